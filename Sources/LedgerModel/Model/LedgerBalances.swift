/// Account balances, each positive on the account's normal side.
public struct LedgerBalances: Sendable, Equatable, Hashable, Codable {
    /// Total appropriated into the scheme.
    public var appropriation: Fen
    /// Uncommitted, available for new rewards.
    public var fund: Fen
    /// Owed on outstanding vouchers.
    public var payable: Fen
    /// Paid out, cumulative.
    public var paid: Fen
    /// In transit back to the fund (zero at rest).
    public var expired: Fen

    /// Balances as given.
    public init(appropriation: Fen, fund: Fen, payable: Fen, paid: Fen, expired: Fen) {
        self.appropriation = appropriation
        self.fund = fund
        self.payable = payable
        self.paid = paid
        self.expired = expired
    }

    /// The balance of `account`.
    public subscript(account: LedgerAccount) -> Fen {
        switch account {
        case .appropriation: appropriation
        case .fund: fund
        case .payable: payable
        case .paid: paid
        case .expired: expired
        }
    }
}
