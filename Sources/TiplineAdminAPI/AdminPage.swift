/// Page sizes of the tip lists (`GET tips`, `GET overdue`): the server refuses a `limit` outside
/// `1...maxSize` with 400, and the CLI checks `--limit` against the same bounds before sending.
public enum AdminPage {
    /// The page when no `limit` is given.
    public static let defaultSize = 200
    /// The largest page.
    public static let maxSize = 10_000
}
