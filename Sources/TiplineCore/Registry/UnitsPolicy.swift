/// The kind of a node of the reporting network (NETWORK.md "Nodes and people", S-2.0, S-2.3).
public enum UnitKind: String, Sendable, Codable, CaseIterable {
    /// 市"扫黄打非"办公室: the hub — collects, edits, publishes, assesses, pays.
    case cityOffice = "city-office"
    /// 区县"扫黄打非"办: runs its district's reporting centre and its informant team.
    case districtOffice = "district-office"
    /// 成员单位: police, culture, market regulation, post… (S-2.3).
    case memberUnit = "member-unit"
    /// 市文化市场综合执法支队: hosts the city reporting centre; names liaisons too (三(二)).
    case detachment
}

/// One unit of the network (`Policies/units.yaml`).
public struct NetworkUnit: Sendable, Equatable, Codable {
    /// The unit's id: lowercase letters, digits and '-'.
    public let id: String
    /// Its name in Chinese.
    public let nameZh: String
    /// Its name in English.
    public let nameEn: String
    /// What kind of unit it is.
    public let kind: UnitKind
    /// The reporting centre this unit runs, if any (a district office its district's, the detachment the city's).
    public let centre: CentreID?
    /// Whether the unit receives the city's bulletins (快报/简报).
    public let receivesBulletins: Bool
    /// District offices: the 6-digit statistical code of the county-level division (`520102`).
    public let countyCode: String?
    /// District offices: the letters before an informant's serial (`NM` → `NM-0007`).
    public let informantPrefix: String?
    /// Marked in the file as an example the city edits (the starting list of member units).
    public let example: Bool

    enum CodingKeys: String, CodingKey {
        case id, kind, centre, example
        case nameZh = "name_zh", nameEn = "name_en", receivesBulletins = "receives_bulletins"
        case countyCode = "county_code", informantPrefix = "informant_prefix"
    }

    /// A unit as the policy defines it.
    public init(id: String, nameZh: String, nameEn: String, kind: UnitKind, centre: CentreID?, receivesBulletins: Bool,
                countyCode: String? = nil, informantPrefix: String? = nil, example: Bool = false) {
        self.id = id
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.kind = kind
        self.centre = centre
        self.receivesBulletins = receivesBulletins
        self.countyCode = countyCode
        self.informantPrefix = informantPrefix
        self.example = example
    }

    /// Nodes of the network (every unit but the hub): they name 1–2 liaisons (S-3.2).
    public var isNode: Bool { kind != .cityOffice }
}

/// The units of the network: one city office, one district office per district centre, the
/// detachment, and the member units (`Policies/units.yaml`).
public struct UnitsPolicy: Sendable, Equatable {
    /// Every unit, in file order.
    public let units: [NetworkUnit]

    /// A policy of `units`.
    public init(units: [NetworkUnit]) { self.units = units }

    /// The unit with id `id`, if defined.
    public func unit(_ id: String) -> NetworkUnit? { units.first { $0.id == id } }

    /// The one city office.
    public var cityOffice: NetworkUnit { units.first { $0.kind == .cityOffice }! }

    /// The unit that runs `centre` (the detachment runs the city's; each district office its own).
    public func runner(of centre: CentreID) -> NetworkUnit? { units.first { $0.centre == centre } }

    /// The district office of the district centre `centre`.
    public func districtOffice(of centre: CentreID) -> NetworkUnit? {
        units.first { $0.kind == .districtOffice && $0.centre == centre }
    }

    /// Every district office, in file order.
    public var districtOffices: [NetworkUnit] { units.filter { $0.kind == .districtOffice } }

    /// Unit ids: lowercase ASCII letters, digits and '-' (at most 40): safe in file names and paths.
    public static func isWellFormedID(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 40
            && text.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
    }

    static func parse(file: String, text: String, centres: CentresPolicy) throws(PolicyError) -> UnitsPolicy {
        let doc = try PolicyNode.document(file: file, text: text)
        try doc.onlyKeys(["version", "units"])
        var units: [NetworkUnit] = []
        var seen = Set<String>()
        var prefixes = Set<String>()
        var runners = Set<CentreID>()
        for node in try doc.array("units") {
            try node.onlyKeys(["id", "name_zh", "name_en", "kind", "centre", "receives_bulletins", "county_code", "informant_prefix", "example"])
            let id = try node.string("id")
            guard isWellFormedID(id) else { throw node.child("id").error("ids are lowercase letters, digits and '-' (at most 40)") }
            guard seen.insert(id).inserted else { throw node.child("id").error("duplicate unit id") }
            guard let kind = UnitKind(rawValue: try node.string("kind")) else {
                throw node.child("kind").error("one of \(UnitKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let centre = try node.optionalString("centre").map { CentreID($0) }
            if let centre {
                guard centres.centre(centre) != nil else { throw node.child("centre").error("no centre \(centre) in centres.yaml") }
                guard runners.insert(centre).inserted else { throw node.child("centre").error("another unit already runs centre \(centre)") }
            }
            var county: String?
            var prefix: String?
            if kind == .districtOffice {
                guard let centre, centre != centres.city.id else {
                    throw node.child("centre").error("a district office names the district centre it runs")
                }
                county = try node.string("county_code")
                guard let county, county.utf8.count == 6, county.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                    throw node.child("county_code").error("the 6-digit statistical code of the district or county")
                }
                prefix = try node.string("informant_prefix")
                guard let prefix, (2...3).contains(prefix.utf8.count), prefix.utf8.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }) else {
                    throw node.child("informant_prefix").error("2 or 3 capital letters (NM for 南明区)")
                }
                guard prefixes.insert(prefix).inserted else { throw node.child("informant_prefix").error("duplicate informant prefix") }
            } else if node.has("county_code") || node.has("informant_prefix") {
                throw node.error("county_code and informant_prefix belong to district offices only")
            }
            units.append(NetworkUnit(
                id: id, nameZh: try node.string("name_zh"), nameEn: try node.string("name_en"), kind: kind, centre: centre,
                receivesBulletins: node.has("receives_bulletins") ? try node.bool("receives_bulletins") : true,
                countyCode: county, informantPrefix: prefix, example: node.has("example") ? try node.bool("example") : false))
        }
        guard units.filter({ $0.kind == .cityOffice }).count == 1 else { throw doc.child("units").error("exactly one city-office unit is needed") }
        for district in centres.districts where !units.contains(where: { $0.kind == .districtOffice && $0.centre == district.id }) {
            throw doc.child("units").error("no district office runs the district centre \(district.id)")
        }
        return UnitsPolicy(units: units)
    }
}
