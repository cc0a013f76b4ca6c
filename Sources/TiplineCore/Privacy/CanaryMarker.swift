/// The words every audit canary value carries (`tipline-audit canary`'s `CanaryIdentity`), so a text
/// that must never hold one (a bulletin before publication) can be scanned for any canary at all.
public enum CanaryMarker {
    public static let zh = "金丝雀"
    public static let en = "canary"
    /// Both, for a case-insensitive search.
    public static let all = [zh, en]
}
