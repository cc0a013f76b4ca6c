public import TiplineCore

/// Wire types of remuneration and subsidies (issue 17, S-3.4, 三(五)); routes in `AdminRoute`.

/// An adoption not yet paid for, as `GET ledger/remuneration` lists it. The city never sees an
/// informant's pseudonym: an informant payee is shown as 信息员（district）.
public struct PendingRemuneration: Sendable, Codable, Equatable {
    /// The item (信息编号).
    public let item: String
    public let unit: String
    /// The adoption level (`AdoptionLevel` raw value) and its date (China time, `YYYY-MM-DD`).
    public let level: String
    public let onDate: String
    public let pictures: Int
    /// `author`, `informant`, or `none` (a unit-only byline with no informant behind it: nobody to pay).
    public let payee: String
    /// The authors' names, or 信息员（district）.
    public let payeeLabel: String
    /// What `remuneration.yaml` prices this adoption at, before the caps.
    public let amountFen: Int64
    /// What the payment records as covered (`adoption:<item>:<level>`).
    public let cover: String

    public init(item: String, unit: String, level: String, onDate: String, pictures: Int, payee: String, payeeLabel: String,
                amountFen: Int64, cover: String) {
        self.item = item
        self.unit = unit
        self.level = level
        self.onDate = onDate
        self.pictures = pictures
        self.payee = payee
        self.payeeLabel = payeeLabel
        self.amountFen = amountFen
        self.cover = cover
    }

    enum CodingKeys: String, CodingKey {
        case item, unit, level, pictures, payee, cover
        case onDate = "on_date"
        case payeeLabel = "payee_label"
        case amountFen = "amount_fen"
    }
}

/// `POST ledger/subsidies/propose`: the year whose frozen assessment ranks the units.
public struct ProposeSubsidiesBody: StrictBody {
    public let year: Int
    public let idempotencyKey: String
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case year
        case idempotencyKey = "idempotency_key"
    }

    public init(year: Int, idempotencyKey: String) {
        self.year = year
        self.idempotencyKey = idempotencyKey
    }
}
