public import Foundation
import Sealing

/// Every policy file of a deployment, loaded and validated together.
///
/// A broken file stops start-up with a `PolicyError` naming the file, line and key.
public struct PolicySet: Sendable {
    /// The files a policy directory must hold, in load order.
    public static let fileNames = ["centres.yaml", "categories.yaml", "routing.yaml", "timeliness.yaml", "retention.yaml", "security.yaml",
                                   "rewards.yaml", "units.yaml", "areas.csv", "information.yaml", "ledgers.yaml", "statistics.yaml",
                                   "remuneration.yaml", "assessment.yaml"]

    /// The files the reporting network added (issues 14–17): a deployment made before has none of them.
    public static let networkFileNames: Set<String> = ["units.yaml", "areas.csv", "information.yaml", "ledgers.yaml", "statistics.yaml",
                                                       "remuneration.yaml", "assessment.yaml"]

    /// `centres.yaml`: the city centre and the district centres.
    public let centres: CentresPolicy
    /// `categories.yaml`: the case-lead classes.
    public let categories: CategoriesPolicy
    /// `routing.yaml`: where tips go.
    public let routing: RoutingPolicy
    /// `timeliness.yaml`: the S-4.1 tiers.
    public let timeliness: TimelinessPolicy
    /// `retention.yaml`: when identities and content are destroyed.
    public let retention: RetentionPolicy
    /// `security.yaml`: receipt KDF, gates and input bounds.
    public let security: SecurityPolicy
    /// The units of the reporting network (NETWORK.md): city office, district offices, detachment, member units.
    public let units: UnitsPolicy
    /// The townships and sub-districts shipped with the policies (`areas.csv`, S-3.1); district offices
    /// import communities and villages into the database (`network areas import`).
    public let areas: [Area]
    /// Kinds, aspects and timeliness of information items (issue 15).
    public let information: InformationPolicy
    /// The seven ledgers (台账) and their fields (issue 16, S-5.4).
    public let ledgers: BooksPolicy
    /// The columns of the results table (成果统计表, issue 16, S-5.4).
    public let statistics: StatisticsPolicy
    /// The criteria of the yearly assessment (考核, issue 17, S-3.5, S-3.6, S-6.3).
    public let assessment: AssessmentPolicy
    /// The text of `rewards.yaml`, hashed and audited with the others; the ledger's `RewardPolicy`
    /// (LedgerModel, which TiplineCore cannot see) parses it, and `Deployment.open` does so at once.
    public let rewardsText: String
    /// The text of `remuneration.yaml` (issue 17), parsed by LedgerModel's `RemunerationPolicy` like `rewardsText`.
    public let remunerationText: String
    /// SHA-256 (hex) of each file's bytes, by file name: recorded in the audit log.
    public let hashes: [String: String]

    /// Loads and validates every policy file in `directory`.
    public static func load(from directory: URL) throws(PolicyError) -> PolicySet {
        var texts: [String: String] = [:]
        var hashes: [String: String] = [:]
        for name in fileNames {
            let url = directory.appendingPathComponent(name)
            guard let data = try? Data(contentsOf: url) else {
                if networkFileNames.contains(name) {
                    throw PolicyError(file: name, line: nil, key: "", message: """
                        missing: this deployment was made before the reporting network (issues 14–17). A demo deployment: \
                        delete it and start again. Otherwise see docs/DEPLOY.md "Upgrading to the network"
                        """)
                }
                throw PolicyError(file: name, line: nil, key: "", message: "cannot be read from the policy directory")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw PolicyError(file: name, line: nil, key: "", message: "is not UTF-8 text")
            }
            texts[name] = text
            hashes[name] = Hashing.sha256Hex(Array(data))
        }
        return try parse(texts: texts, hashes: hashes)
    }

    /// Parses policy texts given by file name (used by `load` and by tests).
    public static func parse(texts: [String: String], hashes: [String: String] = [:]) throws(PolicyError) -> PolicySet {
        func text(_ name: String) throws(PolicyError) -> String {
            guard let value = texts[name] else { throw PolicyError(file: name, line: nil, key: "", message: "missing") }
            return value
        }
        let centres = try CentresPolicy.parse(file: "centres.yaml", text: try text("centres.yaml"))
        let categories = try CategoriesPolicy.parse(file: "categories.yaml", text: try text("categories.yaml"))
        let routing = try RoutingPolicy.parse(file: "routing.yaml", text: try text("routing.yaml"),
                                              centres: centres, categories: categories)
        let timeliness = try TimelinessPolicy.parse(file: "timeliness.yaml", text: try text("timeliness.yaml"))
        let retention = try RetentionPolicy.parse(file: "retention.yaml", text: try text("retention.yaml"))
        let security = try SecurityPolicy.parse(file: "security.yaml", text: try text("security.yaml"))
        let rewardsText = try text("rewards.yaml")
        let remunerationText = try text("remuneration.yaml")
        let units = try UnitsPolicy.parse(file: "units.yaml", text: try text("units.yaml"), centres: centres)
        let areas = try Self.areas(file: "areas.csv", text: try text("areas.csv"), units: units)
        let information = try InformationPolicy.parse(file: "information.yaml", text: try text("information.yaml"))
        let ledgers = try BooksPolicy.parse(file: "ledgers.yaml", text: try text("ledgers.yaml"))
        let statistics = try StatisticsPolicy.parse(file: "statistics.yaml", text: try text("statistics.yaml"), ledgers: ledgers)
        let assessment = try AssessmentPolicy.parse(file: "assessment.yaml", text: try text("assessment.yaml"), information: information)
        var allHashes = hashes
        for (name, value) in texts where allHashes[name] == nil {
            allHashes[name] = Hashing.sha256Hex(Array(value.utf8))
        }
        return PolicySet(centres: centres, categories: categories, routing: routing,
                         timeliness: timeliness, retention: retention, security: security, units: units, areas: areas,
                         information: information, ledgers: ledgers, statistics: statistics, assessment: assessment, rewardsText: rewardsText,
                         remunerationText: remunerationText, hashes: allHashes)
    }

    /// The shipped areas: well formed, and each in the county of a district office.
    static func areas(file: String, text: String, units: UnitsPolicy) throws(PolicyError) -> [Area] {
        let areas: [Area]
        do {
            areas = try AreaCSV.parse(text)
        } catch {
            throw PolicyError(file: file, line: error.line, key: "", message: error.message)
        }
        let counties = Set(units.districtOffices.compactMap(\.countyCode))
        if let stray = areas.first(where: { !counties.contains($0.countyCode) }) {
            throw PolicyError(file: file, line: nil, key: stray.code, message: "lies in no district office's county (units.yaml county_code)")
        }
        return areas
    }

    /// One hash over all files (sorted by name), for a single audit detail.
    public var combinedHash: String {
        let joined = hashes.keys.sorted().map { "\($0)=\(hashes[$0]!)" }.joined(separator: "\n")
        return Hashing.sha256Hex(Array(joined.utf8))
    }

    /// The router for these policies.
    public var router: TipRouter { TipRouter(routing: routing, centres: centres, policyHash: hashes["routing.yaml"] ?? "") }
}

extension PolicySet {
    /// How intake routes a validated tip (S-4.1, `routing.yaml`): its urgency (`urgency`, else the
    /// category's default), the routing decision, and the centres whose keys it is sealed to — the routed
    /// centre, its copies and the city. The one computation shared by the server's sealer and a triage
    /// officer's workstation sealing a recorded tip's identity (`tips record`).
    public func intakeRouting(category: CategoryID, district: TipDistrict, urgency: Urgency? = nil)
        -> (urgency: Urgency, routing: RoutingDecision, centres: [CentreID]) {
        let urgency = urgency ?? categories.category(category)?.defaultUrgency ?? .routine
        let routing = router.route(category: category, district: district, urgency: urgency)
        return (urgency, routing, routing.recipients(city: centres.city.id))
    }
}
