/// The head of the journal chain: record it outside the ledger (e.g. in the signed audit log)
/// and pass it back to `verify` to detect a rewritten or truncated chain.
public struct LedgerHead: Sendable, Equatable, Hashable, Codable {
    /// The last entry's sequence number (0 for an empty journal).
    public let seq: Int64
    /// The last entry's hash, hex (64 zeros for an empty journal).
    public let hash: String

    /// A head at `seq` with `hash`.
    public init(seq: Int64, hash: String) {
        self.seq = seq
        self.hash = hash
    }
}
