/// The basis of a reward: the facts of a verified outcome that the reward policy needs, as the
/// ledger keeps them (TiplineCore's `VerifiedOutcome` is what triage records; the server maps one
/// to the other).
///
/// It holds only the facts the reward policy needs: the kind of outcome, the amounts the
/// authorities established, and two flags. Amounts are integer fen; nothing here identifies anyone.
public struct RewardBasis: Sendable, Equatable, Hashable, Codable {
    /// How the case was handled.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// An administrative penalty was imposed.
        case administrative
        /// A criminal case was opened.
        case criminal
    }

    /// How the case was handled.
    public var kind: Kind
    /// The established turnover of illegal publishing, if known.
    public var turnoverFen: Fen?
    /// Fines and confiscations imposed, if known (used for equipment leads).
    public var finesAndConfiscationsFen: Fen?
    /// The lead pointed to production equipment (printing, replication, recording).
    public var equipmentLead: Bool
    /// The lead concerned online content harming minors.
    public var harmsMinorsOnline: Bool

    /// Records an outcome; amounts must not be negative (checked when a range is computed).
    public init(kind: Kind, turnoverFen: Fen? = nil, finesAndConfiscationsFen: Fen? = nil,
                equipmentLead: Bool = false, harmsMinorsOnline: Bool = false) {
        self.kind = kind
        self.turnoverFen = turnoverFen
        self.finesAndConfiscationsFen = finesAndConfiscationsFen
        self.equipmentLead = equipmentLead
        self.harmsMinorsOnline = harmsMinorsOnline
    }

    enum CodingKeys: String, CodingKey {
        case kind
        case turnoverFen = "turnover_fen"
        case finesAndConfiscationsFen = "fines_and_confiscations_fen"
        case equipmentLead = "equipment_lead"
        case harmsMinorsOnline = "harms_minors_online"
    }

    /// A stable text form for storage and hashing: `kind=…;turnover=…;fines=…;equipment=0|1;minors=0|1`.
    public var canonicalText: String {
        "kind=\(kind.rawValue);turnover=\(turnoverFen.map { String($0.rawValue) } ?? "-")"
            + ";fines=\(finesAndConfiscationsFen.map { String($0.rawValue) } ?? "-")"
            + ";equipment=\(equipmentLead ? 1 : 0);minors=\(harmsMinorsOnline ? 1 : 0)"
    }

    /// Parses `canonicalText`; nil for anything else.
    public init?(canonicalText text: String) {
        var fields: [String: String] = [:]
        for part in text.split(separator: ";", omittingEmptySubsequences: false) {
            let pair = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2, fields[String(pair[0])] == nil else { return nil }
            fields[String(pair[0])] = String(pair[1])
        }
        guard fields.count == 5, let kind = fields["kind"].flatMap(Kind.init(rawValue:)),
              let turnover = fields["turnover"], let fines = fields["fines"],
              let equipment = fields["equipment"], let minors = fields["minors"],
              ["0", "1"].contains(equipment), ["0", "1"].contains(minors) else { return nil }
        func amount(_ text: String) -> Fen?? {
            if text == "-" { return .some(nil) }
            guard let value = Int64(text), value >= 0 else { return nil }
            return .some(Fen(value))
        }
        guard let turnoverFen = amount(turnover), let finesFen = amount(fines) else { return nil }
        self.init(kind: kind, turnoverFen: turnoverFen, finesAndConfiscationsFen: finesFen,
                  equipmentLead: equipment == "1", harmsMinorsOnline: minors == "1")
        guard canonicalText == text else { return nil }
    }
}
