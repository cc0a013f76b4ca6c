/// A named entry of `information.yaml` (a kind, sub-kind or aspect).
public struct InformationTerm: Sendable, Equatable, Codable {
    /// The entry's id.
    public let id: String
    /// Its name in Chinese.
    public let nameZh: String
    /// Its name in English.
    public let nameEn: String

    /// An entry.
    public init(id: String, nameZh: String, nameEn: String) {
        self.id = id
        self.nameZh = nameZh
        self.nameEn = nameEn
    }

    enum CodingKeys: String, CodingKey {
        case id
        case nameZh = "name_zh", nameEn = "name_en"
    }
}

/// A kind of information item with its sub-kinds.
public struct InformationKind: Sendable, Equatable, Codable {
    /// The kind's id and names.
    public let term: InformationTerm
    /// Its sub-kinds; empty when it has none.
    public let subKinds: [InformationTerm]

    /// The kind's id.
    public var id: String { term.id }
}

/// How soon an item is due after its matter became known (S-4.1).
public enum Timeliness: String, Sendable, Codable, CaseIterable {
    /// A major event: within one hour.
    case majorEvent = "major-event"
    /// A major deployment or action: within one day.
    case deployment
    /// Routine information: within one week.
    case routine
    /// A summary: by its call's due date.
    case summary
}

/// `Policies/information.yaml`: kinds and sub-kinds, aspects, timeliness limits (S-3.3, S-4.1–S-4.5, S-5.1–S-5.3).
public struct InformationPolicy: Sendable, Equatable {
    /// The kinds, in file order.
    public let kinds: [InformationKind]
    /// The aspects an item may be tagged with.
    public let aspects: [InformationTerm]
    /// Seconds after `known_at` by which an item of each class (but `summary`) is due.
    public let dueSeconds: [Timeliness: Int64]
    /// A `dynamic` item whose event is older than this (at submission) is refused (S-5.2).
    public let dynamicMaxAgeSeconds: Int64

    /// The kind with id `id`, if defined.
    public func kind(_ id: String) -> InformationKind? { kinds.first { $0.id == id } }

    /// Why `kind`/`subKind`/`aspects` are not a valid classification, or nil.
    public func problem(kind: String, subKind: String?, aspects: [String]) -> String? {
        guard let entry = self.kind(kind) else { return "unknown kind \(kind)" }
        if entry.subKinds.isEmpty {
            if subKind != nil { return "\(kind) has no sub-kinds" }
        } else {
            guard let subKind, entry.subKinds.contains(where: { $0.id == subKind }) else {
                return "\(kind) needs a sub-kind: \(entry.subKinds.map(\.id).joined(separator: ", "))"
            }
        }
        if let unknown = aspects.first(where: { aspect in !self.aspects.contains { $0.id == aspect } }) { return "unknown aspect \(unknown)" }
        return nil
    }

    static func parse(file: String, text: String) throws(PolicyError) -> InformationPolicy {
        let doc = try PolicyNode.document(file: file, text: text)
        try doc.onlyKeys(["version", "kinds", "aspects", "timeliness", "dynamic_max_age_seconds"])
        func term(_ node: PolicyNode) throws(PolicyError) -> InformationTerm {
            try node.onlyKeys(["id", "name_zh", "name_en", "sub_kinds"])
            let id = try node.string("id")
            guard UnitsPolicy.isWellFormedID(id) else { throw node.child("id").error("ids are lowercase letters, digits and '-'") }
            return InformationTerm(id: id, nameZh: try node.string("name_zh"), nameEn: try node.string("name_en"))
        }
        var kinds: [InformationKind] = []
        for node in try doc.array("kinds") {
            let kind = try term(node)
            var subs: [InformationTerm] = []
            for sub in try node.array("sub_kinds") { subs.append(try term(sub)) }
            guard Set(subs.map(\.id)).count == subs.count else { throw node.child("sub_kinds").error("duplicate sub-kind id") }
            kinds.append(InformationKind(term: kind, subKinds: subs))
        }
        guard Set(kinds.map(\.id)).count == kinds.count else { throw doc.child("kinds").error("duplicate kind id") }
        for required in ["case", "dynamic", "research", "summary", "statistics"] where !kinds.contains(where: { $0.id == required }) {
            throw doc.child("kinds").error("the kind \(required) is required (S-5.1–S-5.3)")
        }
        var aspects: [InformationTerm] = []
        for node in try doc.array("aspects") { aspects.append(try term(node)) }
        let timeliness = try doc.mapping("timeliness")
        try timeliness.onlyKeys(Set(Timeliness.allCases.filter { $0 != .summary }.map(\.rawValue)))
        var due: [Timeliness: Int64] = [:]
        for item in Timeliness.allCases where item != .summary {
            due[item] = Int64(try timeliness.int(item.rawValue, in: 60...(90 * 86_400)))
        }
        let maxAge = Int64(try doc.int("dynamic_max_age_seconds", in: 3600...(30 * 86_400)))
        return InformationPolicy(kinds: kinds, aspects: aspects, dueSeconds: due, dynamicMaxAgeSeconds: maxAge)
    }
}
