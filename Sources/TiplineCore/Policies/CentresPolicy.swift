/// The reporting centres (S-2.0–S-2.2): the city hub and the district/county centres.
public struct CentresPolicy: Sendable, Equatable {
    public let city: Centre
    public let districts: [Centre]

    /// Every centre, the city first.
    public var all: [Centre] { [city] + districts }

    /// The centre with `id`, if any.
    public func centre(_ id: CentreID) -> Centre? {
        id == city.id ? city : districts.first { $0.id == id }
    }

    public init(city: Centre, districts: [Centre]) {
        self.city = city
        self.districts = districts
    }

    static func parse(file: String, text: String) throws(PolicyError) -> CentresPolicy {
        let doc = try PolicyNode.document(file: file, text: text)
        try doc.onlyKeys(["version", "city", "districts"])
        let cityNode = try doc.mapping("city")
        try cityNode.onlyKeys(["id", "name_zh", "name_en", "host_zh", "host_en"])
        let city = Centre(
            id: CentreID(try cityNode.string("id")),
            nameZh: try cityNode.string("name_zh"),
            nameEn: try cityNode.string("name_en"),
            districtZh: nil, districtEn: nil, isCity: true)
        var seen: Set<CentreID> = [city.id]
        var districts: [Centre] = []
        for node in try doc.array("districts") {
            try node.onlyKeys(["id", "district_zh", "district_en", "name_zh", "name_en"])
            let id = CentreID(try node.string("id"))
            guard CentreID.isWellFormed(id.rawValue) else {
                throw node.child("id").error("ids are lowercase letters, digits and '-' (at most 32)")
            }
            guard id.rawValue != TipDistrict.unknownToken else {
                throw node.child("id").error("'unknown' is reserved for tips whose district is not known")
            }
            guard seen.insert(id).inserted else { throw node.child("id").error("duplicate centre id") }
            districts.append(Centre(
                id: id,
                nameZh: try node.string("name_zh"),
                nameEn: try node.string("name_en"),
                districtZh: try node.string("district_zh"),
                districtEn: try node.string("district_en"),
                isCity: false))
        }
        guard !districts.isEmpty else { throw doc.child("districts").error("at least one district centre is needed") }
        guard CentreID.isWellFormed(city.id.rawValue) else {
            throw cityNode.child("id").error("ids are lowercase letters, digits and '-' (at most 32)")
        }
        return CentresPolicy(city: city, districts: districts)
    }
}
