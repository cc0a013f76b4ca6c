/// The reporting centres (S-2.0–S-2.2): the city hub and the district/county centres.
public struct CentresPolicy: Sendable, Equatable {
    /// The city centre.
    public let city: Centre
    /// The district and county centres, in file order.
    public let districts: [Centre]

    /// Every centre, the city first.
    public var all: [Centre] { [city] + districts }

    /// The centre with `id`, if any.
    public func centre(_ id: CentreID) -> Centre? {
        id == city.id ? city : districts.first { $0.id == id }
    }

    /// A policy of the city centre and the district centres.
    public init(city: Centre, districts: [Centre]) {
        self.city = city
        self.districts = districts
    }

    static func parse(file: String, text: String) throws(PolicyError) -> CentresPolicy {
        let doc = try PolicyNode.document(file: file, text: text)
        try doc.onlyKeys(["version", "city", "districts"])
        let cityNode = try doc.mapping("city")
        try cityNode.onlyKeys(["id", "name_zh", "name_en", "host_zh", "host_en", "address_zh", "address_en"])
        let cityAddress = try Self.address(cityNode)
        let city = Centre(
            id: CentreID(try cityNode.string("id")),
            nameZh: try cityNode.string("name_zh"),
            nameEn: try cityNode.string("name_en"),
            districtZh: nil, districtEn: nil, isCity: true, addressZh: cityAddress?.zh, addressEn: cityAddress?.en)
        var seen: Set<CentreID> = [city.id]
        var districts: [Centre] = []
        for node in try doc.array("districts") {
            try node.onlyKeys(["id", "district_zh", "district_en", "name_zh", "name_en", "address_zh", "address_en"])
            let id = CentreID(try node.string("id"))
            guard CentreID.isWellFormed(id.rawValue) else {
                throw node.child("id").error("ids are lowercase letters, digits and '-' (at most 32)")
            }
            guard id.rawValue != TipDistrict.unknownToken else {
                throw node.child("id").error("'unknown' is reserved for tips whose district is not known")
            }
            guard seen.insert(id).inserted else { throw node.child("id").error("duplicate centre id") }
            let address = try Self.address(node)
            districts.append(Centre(
                id: id,
                nameZh: try node.string("name_zh"),
                nameEn: try node.string("name_en"),
                districtZh: try node.string("district_zh"),
                districtEn: try node.string("district_en"),
                isCity: false, addressZh: address?.zh, addressEn: address?.en))
        }
        guard !districts.isEmpty else { throw doc.child("districts").error("at least one district centre is needed") }
        guard CentreID.isWellFormed(city.id.rawValue) else {
            throw cityNode.child("id").error("ids are lowercase letters, digits and '-' (at most 32)")
        }
        return CentresPolicy(city: city, districts: districts)
    }

    /// The longest public address accepted, in characters.
    static let maxAddressLength = 200

    /// A centre's public address (issue 13 item 10): optional, but zh and en together; one line of
    /// at most 200 characters without control or bidirectional-override characters (it is shown to
    /// reporters as is).
    static func address(_ node: PolicyNode) throws(PolicyError) -> (zh: String, en: String)? {
        let zh = try node.optionalString("address_zh")
        let en = try node.optionalString("address_en")
        switch (zh, en) {
        case (nil, nil): return nil
        case (nil, _): throw node.child("address_zh").error("address_en is given: give address_zh too (zh and en together)")
        case (_, nil): throw node.child("address_en").error("address_zh is given: give address_en too (zh and en together)")
        case let (zh?, en?):
            for (key, text) in [("address_zh", zh), ("address_en", en)] {
                guard text.count <= maxAddressLength else {
                    throw node.child(key).error("at most \(maxAddressLength) characters")
                }
                guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control
                    || (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value) }) else {
                    throw node.child(key).error("one line of text, without control characters")
                }
            }
            return (zh, en)
        }
    }
}
