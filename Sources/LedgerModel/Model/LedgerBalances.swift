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
    /// Remuneration fund, uncommitted (S-3.4).
    public var informationFund: Fen
    /// Remuneration approved, not yet paid.
    public var informationPayable: Fen
    /// Remuneration paid, cumulative.
    public var informationPaid: Fen
    /// Subsidy fund, uncommitted.
    public var subsidyFund: Fen
    /// Subsidies approved, not yet paid.
    public var subsidyPayable: Fen
    /// Subsidies paid, cumulative.
    public var subsidyPaid: Fen

    /// Balances as given (the remuneration and subsidy accounts default to zero).
    public init(appropriation: Fen, fund: Fen, payable: Fen, paid: Fen, expired: Fen,
                informationFund: Fen = Fen(0), informationPayable: Fen = Fen(0), informationPaid: Fen = Fen(0),
                subsidyFund: Fen = Fen(0), subsidyPayable: Fen = Fen(0), subsidyPaid: Fen = Fen(0)) {
        self.appropriation = appropriation
        self.fund = fund
        self.payable = payable
        self.paid = paid
        self.expired = expired
        self.informationFund = informationFund
        self.informationPayable = informationPayable
        self.informationPaid = informationPaid
        self.subsidyFund = subsidyFund
        self.subsidyPayable = subsidyPayable
        self.subsidyPaid = subsidyPaid
    }

    /// Balances from a map of account to balance (missing accounts are zero).
    public init(_ balances: [LedgerAccount: Fen]) {
        func value(_ account: LedgerAccount) -> Fen { balances[account] ?? Fen(0) }
        self.init(appropriation: value(.appropriation), fund: value(.fund), payable: value(.payable), paid: value(.paid),
                  expired: value(.expired), informationFund: value(.informationFund),
                  informationPayable: value(.informationPayable), informationPaid: value(.informationPaid),
                  subsidyFund: value(.subsidyFund), subsidyPayable: value(.subsidyPayable), subsidyPaid: value(.subsidyPaid))
    }

    /// The balance of `account`.
    public subscript(account: LedgerAccount) -> Fen {
        switch account {
        case .appropriation: appropriation
        case .fund: fund
        case .payable: payable
        case .paid: paid
        case .expired: expired
        case .informationFund: informationFund
        case .informationPayable: informationPayable
        case .informationPaid: informationPaid
        case .subsidyFund: subsidyFund
        case .subsidyPayable: subsidyPayable
        case .subsidyPaid: subsidyPaid
        }
    }
}
