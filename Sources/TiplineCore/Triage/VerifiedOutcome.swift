/// What enforcement established when a lead is verified (查证属实, S-5.1): the basis of any reward.
/// Money in integer fen only (rule 6).
public struct VerifiedOutcome: Sendable, Codable, Equatable {
    /// How the lead was dealt with.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// An administrative penalty was imposed.
        case administrative
        /// A criminal case was opened.
        case criminal
    }

    /// An administrative penalty or a criminal case.
    public var kind: Kind
    /// Fines and confiscations imposed, in fen.
    public var finesFen: Int64?
    /// Illegal turnover established, in fen (illegal publishing leads).
    public var turnoverFen: Int64?
    /// The lead concerned production or copying equipment.
    public var equipmentLead: Bool
    /// Online content harming minors.
    public var harmsMinorsOnline: Bool

    enum CodingKeys: String, CodingKey {
        case kind
        case finesFen = "fines_fen"
        case turnoverFen = "turnover_fen"
        case equipmentLead = "equipment_lead"
        case harmsMinorsOnline = "harms_minors_online"
    }

    /// An outcome; the figures are in fen.
    public init(kind: Kind, finesFen: Int64? = nil, turnoverFen: Int64? = nil, equipmentLead: Bool = false,
                harmsMinorsOnline: Bool = false) {
        self.kind = kind
        self.finesFen = finesFen
        self.turnoverFen = turnoverFen
        self.equipmentLead = equipmentLead
        self.harmsMinorsOnline = harmsMinorsOnline
    }

    /// Decodes the JSON form; unknown keys are refused, the flags default to false.
    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(allowed: ["kind", "fines_fen", "turnover_fen", "equipment_lead", "harms_minors_online"])
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.decode(Kind.self, forKey: .kind)
        finesFen = try c.decodeIfPresent(Int64.self, forKey: .finesFen)
        turnoverFen = try c.decodeIfPresent(Int64.self, forKey: .turnoverFen)
        equipmentLead = try c.decodeIfPresent(Bool.self, forKey: .equipmentLead) ?? false
        harmsMinorsOnline = try c.decodeIfPresent(Bool.self, forKey: .harmsMinorsOnline) ?? false
    }

    /// Figures are non-negative and below ¥10^12.
    public var isPlausible: Bool {
        [finesFen, turnoverFen].allSatisfy { value in value.map { $0 >= 0 && $0 < 100_000_000_000_000 } ?? true }
    }
}
