/// The accounts of the reward ledger (docs/LEDGER.md "Accounts").
///
/// The money the office appropriates (a debit of `appropriation`) is always somewhere on the
/// credit side: uncommitted in `fund`, owed on an issued voucher in `payable`, or gone to a
/// reporter in `paid`. `expired` is a transit account that lapsed vouchers pass through on
/// their way back to the fund; its balance is zero after every command.
public enum LedgerAccount: String, Sendable, Codable, CaseIterable, Comparable {
    /// External: appropriations received from the office's budget (debit-normal).
    case appropriation
    /// The reward fund's uncommitted balance, available for new rewards (credit-normal).
    case fund
    /// Rewards payable: approved rewards whose voucher is outstanding (credit-normal).
    case payable
    /// Rewards paid against redeemed vouchers, cumulative (credit-normal).
    case paid
    /// Expired vouchers on their way back to the fund (credit-normal, always zero at rest).
    case expired
    /// The information-remuneration fund's uncommitted balance (S-3.4; credit-normal).
    case informationFund = "info-fund"
    /// Remuneration approved and not yet paid (credit-normal).
    case informationPayable = "info-payable"
    /// Remuneration paid, cumulative (credit-normal).
    case informationPaid = "info-paid"
    /// The city's special fund for unit subsidies, uncommitted (三(五); credit-normal).
    case subsidyFund = "subsidy-fund"
    /// Subsidies approved and not yet paid (credit-normal).
    case subsidyPayable = "subsidy-payable"
    /// Subsidies paid, cumulative (credit-normal).
    case subsidyPaid = "subsidy-paid"

    /// The accounts a top-up can credit: the three funds.
    public static let funds: [LedgerAccount] = [.fund, .informationFund, .subsidyFund]

    /// The side on which the account's balance is positive.
    public var normalSide: EntrySide { self == .appropriation ? .debit : .credit }

    /// A human-readable name.
    public var name: String {
        switch self {
        case .appropriation: "Appropriations received"
        case .fund: "Reward fund (uncommitted)"
        case .payable: "Rewards payable"
        case .paid: "Rewards paid"
        case .expired: "Expired vouchers (transit)"
        case .informationFund: "Information remuneration fund (uncommitted)"
        case .informationPayable: "Remuneration payable"
        case .informationPaid: "Remuneration paid"
        case .subsidyFund: "Unit subsidy fund (uncommitted)"
        case .subsidyPayable: "Subsidies payable"
        case .subsidyPaid: "Subsidies paid"
        }
    }

    /// Orders accounts as declared.
    public static func < (lhs: LedgerAccount, rhs: LedgerAccount) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
