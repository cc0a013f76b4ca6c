import Testing
@testable import TiplineCore

@Suite("Routing (routing.yaml)")
struct RouterTests {
    let router: TipRouter
    let city: CentreID = "city"

    init() throws { router = try RepoPolicies.load().router }

    @Test("Routing table", arguments: [
        // category, district, urgency → centre, copies, rule
        ("illegal-publication", "nanming", Urgency.routine, "nanming", [String](), "district-centre"),
        ("online", "huaxi", .important, "huaxi", [], "district-centre"),
        ("illegal-av", "xiuwen", .routine, "xiuwen", [], "district-centre"),
        ("other", "unknown", .routine, "city", [], "unknown-district-to-city"),
        ("cross-border", "nanming", .important, "city", [], "cross-border-to-city"),
        ("cross-border", "unknown", .major, "city", [], "cross-border-to-city"),
        ("online", "baiyun", .major, "baiyun", ["city"], "district-centre"),
        ("other", "unknown", .major, "city", [], "unknown-district-to-city"),
    ])
    func table(category: String, district: String, urgency: Urgency, centre: String, copies: [String], rule: String) {
        let tipDistrict: TipDistrict = district == "unknown" ? .unknown : .known(CentreID(district))
        let decision = router.route(category: CategoryID(category), district: tipDistrict, urgency: urgency)
        #expect(decision.centre == CentreID(centre))
        #expect(decision.copies == copies.map { CentreID($0) })
        #expect(decision.rule == rule)
        #expect(decision.policyHash.count == 64)
    }

    @Test("Content and identity keys always go to the routed centre and the city, once each")
    func recipients() {
        let district = router.route(category: "online", district: .known("huaxi"), urgency: .major)
        #expect(district.recipients(city: city) == ["huaxi", "city"])
        let cityTip = router.route(category: "other", district: .unknown, urgency: .routine)
        #expect(cityTip.recipients(city: city) == ["city"])
    }
}
