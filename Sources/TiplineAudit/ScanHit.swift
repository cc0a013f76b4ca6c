/// One place in the data where a canary or something that looks like personal data was found.
/// A pattern hit carries its kind, file and offset only — never the bytes it matched.
public struct ScanHit: Sendable, Codable, Equatable {
    /// Path relative to the scanned directory.
    public var file: String
    /// Byte offset of the first byte of the match.
    public var offset: Int64
    /// Length in bytes of the match.
    public var length: Int
    /// `canary/utf-8`, `canary/utf-16le`, `canary/utf-16be`, `mobile-number`, `resident-id`, `email`.
    public var kind: String
    /// The canary found (the auditor's own value), for canary hits only.
    public var canary: String?

    /// A hit at `offset` of `file`.
    public init(file: String, offset: Int64, length: Int, kind: String, canary: String? = nil) {
        self.file = file
        self.offset = offset
        self.length = length
        self.kind = kind
        self.canary = canary
    }
}
