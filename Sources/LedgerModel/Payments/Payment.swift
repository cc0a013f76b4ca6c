public import Foundation

/// The two kinds of payment the ledger makes beside case-lead rewards (docs/LEDGER.md "Payments"):
/// remuneration for adopted information (S-3.4) and subsidies to units from the city's special
/// fund (三(五), S-3.5). Each has its own fund, payable and paid accounts.
public enum PaymentScheme: String, Sendable, Codable, CaseIterable {
    /// 信息稿酬: paid for adopted information, to its authors by name or to an informant by voucher.
    case remuneration
    /// 专项经费补助: a grant to a unit, by the assessment's ranking.
    case subsidy

    /// The fund the scheme draws on.
    public var fund: LedgerAccount { self == .remuneration ? .informationFund : .subsidyFund }
    /// Approved and not yet paid.
    public var payable: LedgerAccount { self == .remuneration ? .informationPayable : .subsidyPayable }
    /// Paid, cumulative.
    public var paid: LedgerAccount { self == .remuneration ? .informationPaid : .subsidyPaid }
}

/// Who is paid. The ledger never learns who an informant is: it keeps the voucher's hash only.
public enum PayeeKind: String, Sendable, Codable, CaseIterable {
    /// A named author (a liaison in the item's byline, S-3.3): paid by name.
    case author
    /// An informant (信息员): paid by a voucher sealed to the informant's key; no name.
    case informant
    /// A unit of the network (a subsidy).
    case unit
}

/// One payee line of a payment.
public struct Payee: Sendable, Equatable, Hashable, Codable {
    /// Who.
    public var kind: PayeeKind
    /// The author's name or the unit's id; nil for an informant.
    public var name: String?
    /// Their share.
    public var amount: Fen

    /// A payee line.
    public init(kind: PayeeKind, name: String?, amount: Fen) {
        self.kind = kind
        self.name = name
        self.amount = amount
    }
}

/// What a proposer asks the ledger to pay.
public struct PaymentRequest: Sendable, Equatable {
    /// The scheme.
    public var scheme: PaymentScheme
    /// What is paid for: an item reference (`XX-2026-000001`) or a subsidy's `2026-nanming`.
    public var subject: String
    /// The unit the payment is booked to (the item's unit, or the subsidised unit), for reports.
    public var unit: String
    /// How the amount was reached (levels, pictures, rank), one line for auditors.
    public var basis: String
    /// What the payment covers (adoption ids, a subsidy's year and unit): each is paid at most once.
    public var covers: [String]
    /// The payee lines; their sum is the payment's amount.
    public var payees: [Payee]

    /// A request.
    public init(scheme: PaymentScheme, subject: String, unit: String, basis: String, covers: [String], payees: [Payee]) {
        self.scheme = scheme
        self.subject = subject
        self.unit = unit
        self.basis = basis
        self.covers = covers
        self.payees = payees
    }

    /// The cover of one adoption at one level (remuneration): what the pending list and a proposal name.
    public static func adoptionCover(item: String, level: String) -> String { "adoption:\(item):\(level)" }
    /// The cover of a unit's subsidy for a year.
    public static func subsidyCover(year: Int, unit: String) -> String { "subsidy:\(year):\(unit)" }

    /// The sum of the payee lines.
    public var amount: Fen { Fen(payees.reduce(Int64(0)) { $0 &+ $1.amount.rawValue }) }
}

/// A payment as the ledger knows it: subject, unit, payees (an informant without a name), who
/// proposed and approved, and the voucher's hash for an informant.
public struct Payment: Sendable, Equatable, Hashable, Codable {
    /// Where a payment stands: the states of a reward (proposed, declined, approved, paid, expired —
    /// an informant's voucher lapses like a reporter's).
    public typealias Status = Reward.Status

    public let id: Int64
    public let scheme: PaymentScheme
    public let subject: String
    public let unit: String
    public let basis: String
    public let covers: [String]
    public let payees: [Payee]
    public let amount: Fen
    public let status: Status
    public let proposedAt: Int64
    public let proposerKeyID: String
    public let decidedAt: Int64?
    public let deciderKeyID: String?
    /// SHA-256 (hex) of an informant's voucher code, once issued.
    public let voucherHash: String?
    public let expiresAt: Int64?
    public let settledAt: Int64?

    /// A payment as read from the ledger.
    public init(id: Int64, scheme: PaymentScheme, subject: String, unit: String, basis: String, covers: [String],
                payees: [Payee], amount: Fen, status: Status, proposedAt: Int64, proposerKeyID: String,
                decidedAt: Int64?, deciderKeyID: String?, voucherHash: String?, expiresAt: Int64?, settledAt: Int64?) {
        self.id = id
        self.scheme = scheme
        self.subject = subject
        self.unit = unit
        self.basis = basis
        self.covers = covers
        self.payees = payees
        self.amount = amount
        self.status = status
        self.proposedAt = proposedAt
        self.proposerKeyID = proposerKeyID
        self.decidedAt = decidedAt
        self.deciderKeyID = deciderKeyID
        self.voucherHash = voucherHash
        self.expiresAt = expiresAt
        self.settledAt = settledAt
    }

    /// Whether an informant is paid (by voucher) rather than named payees.
    public var paysInformant: Bool { payees.contains { $0.kind == .informant } }
}

/// What approving a payment returns; for an informant, the voucher code (clear only here) and
/// the sealed copy the caller's `seal` made.
public struct PaymentIssue: Sendable, Equatable {
    public let payment: Payment
    /// The informant's voucher code, on the first approval only (nil for named payees and on a retry).
    public let code: VoucherCode?
    /// The code as `seal` sealed it (to the informant's key); the same bytes on a retry.
    public let sealedCode: Data?
    /// The entry posting fund → payable.
    public let entry: JournalEntry

    public init(payment: Payment, code: VoucherCode?, sealedCode: Data?, entry: JournalEntry) {
        self.payment = payment
        self.code = code
        self.sealedCode = sealedCode
        self.entry = entry
    }
}

/// A payment settled: paid to a named payee, or an informant's voucher redeemed.
public struct PaymentSettlement: Sendable, Equatable, Codable {
    public let payment: Payment
    public let entry: JournalEntry

    public init(payment: Payment, entry: JournalEntry) {
        self.payment = payment
        self.entry = entry
    }
}
