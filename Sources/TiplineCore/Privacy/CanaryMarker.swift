/// The words every audit canary value carries (`tipline-audit canary`'s `CanaryIdentity`), so a text
/// that must never hold one (a bulletin before publication) can be scanned for any canary at all.
public enum CanaryMarker {
    /// The Chinese marker word.
    public static let zh = "金丝雀"
    /// The English marker word.
    public static let en = "canary"
    /// Both, for a case-insensitive search.
    public static let all = [zh, en]
}
