/// One line of a journal entry: an amount on one side of one account.
public struct Posting: Sendable, Equatable, Hashable, Codable {
    /// The line number within the entry, from 1.
    public let line: Int
    /// The account posted to.
    public let account: LedgerAccount
    /// Debit or credit.
    public let side: EntrySide
    /// The amount, always positive.
    public let amount: Fen

    /// A posting line.
    public init(line: Int, account: LedgerAccount, side: EntrySide, amount: Fen) {
        self.line = line
        self.account = account
        self.side = side
        self.amount = amount
    }
}
