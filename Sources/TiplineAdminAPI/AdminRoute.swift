/// The HTTP methods the admin API uses.
public enum AdminMethod: String, Sendable, Hashable {
    case get = "GET"
    case post = "POST"
}

/// One route of the admin API (docs/ADMIN-API.md): its method and its path below `/admin/v1`.
///
/// The one home of every admin path: the server registers its handlers from these values, the
/// CLI builds its request targets from them, and the auditor's verifier matches each signed
/// request in the audit log against them (`AuditedRequest`). A path is written nowhere else.
public struct AdminRoute: Sendable, Hashable, CustomStringConvertible {
    /// Where every admin route lives.
    public static let prefix = "/admin/v1"

    /// The method.
    public let method: AdminMethod
    /// The path below `prefix`, with at most one `:name` parameter, as the server's router takes it.
    public let template: String

    init(_ method: AdminMethod, _ template: String) {
        self.method = method
        self.template = template
    }

    /// The parameter's name (`ref`, `key`), if the path has one.
    public var parameterName: String? {
        template.split(separator: "/").first { $0.hasPrefix(":") }.map { String($0.dropFirst()) }
    }

    /// The request target: the path with `parameter` filled in (percent-encoded, so a reference or
    /// key id can never add a path segment) and `query` appended in the order given.
    public func target(_ parameter: String? = nil, query: [(name: String, value: String)] = []) -> String {
        let path = template.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix(":") ? Self.percentEncoded(parameter ?? "") : String(segment)
        }.joined(separator: "/")
        let suffix = query.isEmpty ? "" : "?" + query.map { "\(Self.percentEncoded($0.name))=\(Self.percentEncoded($0.value))" }
            .joined(separator: "&")
        return Self.prefix + "/" + path + suffix
    }

    public var description: String { "\(method.rawValue) \(Self.prefix)/\(template)" }

    /// RFC 3986 unreserved characters stay; every other byte is `%XX`.
    static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]], as: UTF8.self)
            }
        }
        return out
    }
}

// MARK: - Every route

extension AdminRoute {
    // Who am I, and the deployment's public keys.
    public static let whoami = AdminRoute(.get, "whoami")
    public static let keys = AdminRoute(.get, "keys")

    // Centre key rotation (Keys/README.md "Rotation").
    /// An administrator registers a centre's new public key (`keys rotate`): the old key is superseded.
    public static let rotateKey = AdminRoute(.post, "keys/rotate")
    /// The records of a centre still to re-wrap for its current key, with their old wraps (`?centre=&class=&key=&limit=`).
    public static let rewrapPending = AdminRoute(.get, "keys/rewrap")
    /// A holder sends one batch of new wraps (`keys rewrap`).
    public static let rewrapKeys = AdminRoute(.post, "keys/rewrap")
    /// An administrator retires a superseded key (`keys retire`).
    public static let retireKey = AdminRoute(.post, "keys/retire")

    // Staff (administrators; two approvals for privileged roles).
    public static let listStaff = AdminRoute(.get, "staff")
    public static let enrolStaff = AdminRoute(.post, "staff")
    public static let revokeStaff = AdminRoute(.post, "staff/:key/revoke")

    // Queues and counts.
    public static let queue = AdminRoute(.get, "tips")
    public static let overdue = AdminRoute(.get, "overdue")
    public static let pendingWraps = AdminRoute(.get, "pending")
    public static let stats = AdminRoute(.get, "stats")
    public static let periodStats = AdminRoute(.get, "stats/period")

    /// A triage officer records a tip that came by phone, letter, visit or e-mail (`tips record`): the
    /// answer carries the new tip's receipt, once.
    public static let recordTip = AdminRoute(.post, "tips/record")

    // One tip.
    public static let tip = AdminRoute(.get, "tips/:ref")
    public static let changeStatus = AdminRoute(.post, "tips/:ref/status")
    public static let assign = AdminRoute(.post, "tips/:ref/assign")
    public static let changeUrgency = AdminRoute(.post, "tips/:ref/urgency")
    public static let markDuplicate = AdminRoute(.post, "tips/:ref/duplicate")
    public static let addNote = AdminRoute(.post, "tips/:ref/notes")
    public static let reply = AdminRoute(.post, "tips/:ref/replies")
    public static let route = AdminRoute(.post, "tips/:ref/route")
    public static let addIdentityWrap = AdminRoute(.post, "tips/:ref/identity-wraps")
    public static let unseal = AdminRoute(.post, "tips/:ref/unseal")
    /// An auditor marks the canary tip they planted, proving it with the tip's receipt (in the body,
    /// never in a URL): it leaves the queues and statistics (`tipline-audit canary`).
    public static let markCanary = AdminRoute(.post, "tips/:ref/canary")

    // Rewards and the ledger.
    public static let rewards = AdminRoute(.get, "rewards")
    public static let proposeReward = AdminRoute(.post, "rewards/:ref/propose")
    public static let approveReward = AdminRoute(.post, "rewards/:ref/approve")
    public static let declineReward = AdminRoute(.post, "rewards/:ref/decline")
    public static let fund = AdminRoute(.post, "ledger/fund")
    public static let redeem = AdminRoute(.post, "ledger/redeem")
    /// Looks a voucher up without paying it (POST: the code is in the body, never in a URL).
    public static let voucher = AdminRoute(.post, "ledger/voucher")
    public static let expire = AdminRoute(.post, "ledger/expire")
    public static let balance = AdminRoute(.get, "ledger/balance")
    public static let journal = AdminRoute(.get, "ledger/journal")
    public static let report = AdminRoute(.get, "ledger/report")
    public static let verifyLedger = AdminRoute(.get, "ledger/verify")

    // Remuneration for adopted information and unit subsidies (issue 17, S-3.4, 三(五)).
    /// Adoptions not yet paid for, priced by `remuneration.yaml` (`?year=`).
    public static let remunerationPending = AdminRoute(.get, "ledger/remuneration")
    public static let proposeRemuneration = AdminRoute(.post, "ledger/remuneration/:ref/propose")
    public static let payments = AdminRoute(.get, "ledger/payments")
    public static let approvePayment = AdminRoute(.post, "ledger/payments/:id/approve")
    public static let declinePayment = AdminRoute(.post, "ledger/payments/:id/decline")
    public static let payPayment = AdminRoute(.post, "ledger/payments/:id/pay")
    /// Proposes the year's subsidies to the best units of the frozen assessment.
    public static let proposeSubsidies = AdminRoute(.post, "ledger/subsidies/propose")

    // Auditors.
    public static let checkpoint = AdminRoute(.get, "audit/checkpoint")

    // Notifications (`tipline-admin watch`): a server-sent event stream of `StaffEvent`s.
    public static let events = AdminRoute(.get, "events")

    // The reporting network's registry (issue 14, docs/NETWORK.md).
    public static let units = AdminRoute(.get, "network/units")
    public static let unit = AdminRoute(.get, "network/units/:unit")
    public static let setUnitLeaders = AdminRoute(.post, "network/units/:unit/leaders")
    public static let unitSelfCheck = AdminRoute(.post, "network/units/:unit/self-check")
    public static let liaisons = AdminRoute(.get, "network/liaisons")
    public static let recordLiaison = AdminRoute(.post, "network/liaisons/:key")
    public static let addTraining = AdminRoute(.post, "network/trainings")
    public static let areas = AdminRoute(.get, "network/areas")
    public static let importAreas = AdminRoute(.post, "network/areas/import")
    public static let coverage = AdminRoute(.get, "network/coverage")
    public static let informants = AdminRoute(.get, "network/informants")
    public static let registerInformant = AdminRoute(.post, "network/informants")
    public static let informant = AdminRoute(.get, "network/informants/:pseudonym")
    public static let changeInformant = AdminRoute(.post, "network/informants/:pseudonym/status")
    public static let reviewInformant = AdminRoute(.post, "network/informants/:pseudonym/reviews")
    public static let reissueInformantCode = AdminRoute(.post, "network/informants/:pseudonym/code")
    public static let requestInformantUnseal = AdminRoute(.post, "network/informants/:pseudonym/unseal-requests")
    public static let approveInformantUnseal = AdminRoute(.post, "network/informants/:pseudonym/unseal-approvals")
    public static let unsealInformant = AdminRoute(.post, "network/informants/:pseudonym/unseal")

    // Information items (issue 15).
    public static let items = AdminRoute(.get, "info/items")
    public static let newItem = AdminRoute(.post, "info/items")
    public static let item = AdminRoute(.get, "info/items/:ref")
    public static let submitItem = AdminRoute(.post, "info/items/:ref/submit")
    public static let addItemPicture = AdminRoute(.post, "info/items/:ref/pictures")
    public static let returnItem = AdminRoute(.post, "info/items/:ref/return")
    public static let acceptItem = AdminRoute(.post, "info/items/:ref/accept")
    public static let zeroReport = AdminRoute(.post, "info/zero-reports")
    public static let silent = AdminRoute(.get, "info/silent")
    public static let calls = AdminRoute(.get, "info/calls")
    public static let openCall = AdminRoute(.post, "info/calls")
    public static let researchDuty = AdminRoute(.get, "info/research-duty")
    // The city desk (issue 16).
    public static let editItem = AdminRoute(.post, "info/items/:ref/versions")
    public static let adoptItem = AdminRoute(.post, "info/items/:ref/adoptions")
    public static let adoption = AdminRoute(.get, "info/adoption")
    public static let bulletins = AdminRoute(.get, "bulletins")
    public static let newBulletin = AdminRoute(.post, "bulletins")
    public static let bulletin = AdminRoute(.get, "bulletins/:id")
    public static let addToBulletin = AdminRoute(.post, "bulletins/:id/items")
    public static let publishBulletin = AdminRoute(.post, "bulletins/:id/publish")
    public static let bulletinDocument = AdminRoute(.get, "bulletins/:id/document")
    // The informant channel's reports (issue 15).
    public static let informantReports = AdminRoute(.get, "info/reports")
    public static let informantReport = AdminRoute(.get, "info/reports/:ref")
    public static let replyReport = AdminRoute(.post, "info/reports/:ref/reply")
    public static let reportToTip = AdminRoute(.post, "info/reports/:ref/tip")

    // The seven ledgers (issue 16, S-5.4).
    /// The ledgers' definitions (`Policies/ledgers.yaml`): the CLI checks a record against them before sealing.
    public static let books = AdminRoute(.get, "books")
    /// A new record of the caller's unit in a ledger (`books add`).
    public static let addRecord = AdminRoute(.post, "books/:book/records")
    /// Releases records' sealed content (POST: the filter is in the signed body; a `books.read` entry first).
    public static let openRecords = AdminRoute(.post, "books/:book/open")
    public static let bookZeroReport = AdminRoute(.post, "books/:book/zero-reports")
    /// The tip-lead ledger, generated from the tip table (`?period=&limit=&after=`).
    public static let tipLeads = AdminRoute(.get, "books/tip-leads")
    /// Per unit and ledger: records, a zero report, or missing (`?period=`).
    public static let bookCompleteness = AdminRoute(.get, "books/completeness")
    /// The next version of a record (`books edit`); the earlier ones stay.
    public static let editRecord = AdminRoute(.post, "book-records/:record/versions")
    /// Releases a record's sealed names of individual operators, with a reason (a `books.names` entry first).
    public static let recordNames = AdminRoute(.post, "book-records/:record/names")

    // The yearly assessment (issue 17, S-3.5, S-6.3).
    /// The year's results: frozen if frozen, else the draft computed now (`assess compute|ranking|notice`).
    public static let assessment = AdminRoute(.get, "assessment/:year")
    /// A frozen year's ranking (404 before the freeze): what unit subsidies build on.
    public static let frozenAssessment = AdminRoute(.get, "assessment/:year/frozen")
    /// An adjustment with a reason (`assess adjust`), refused after the freeze.
    public static let adjustAssessment = AdminRoute(.post, "assessment/adjustments")
    /// Freezes a year (`assess freeze`): the body names the draft's results hash.
    public static let freezeAssessment = AdminRoute(.post, "assessment/freeze")

    /// Every route, for tests and documentation checks.
    public static let all: [AdminRoute] = [
        whoami, keys, rotateKey, rewrapPending, rewrapKeys, retireKey, listStaff, enrolStaff, revokeStaff, queue, overdue, pendingWraps, stats, periodStats,
        recordTip, tip, changeStatus, assign, changeUrgency, markDuplicate, addNote, reply, route, addIdentityWrap, unseal, markCanary,
        rewards, proposeReward, approveReward, declineReward, fund, redeem, voucher, expire, balance, journal, report, verifyLedger,
        remunerationPending, proposeRemuneration, payments, approvePayment, declinePayment, payPayment, proposeSubsidies,
        checkpoint, events,
        units, unit, setUnitLeaders, unitSelfCheck, liaisons, recordLiaison, addTraining, areas, importAreas, coverage,
        informants, registerInformant, informant, changeInformant, reviewInformant, reissueInformantCode,
        requestInformantUnseal, approveInformantUnseal, unsealInformant,
        items, newItem, item, submitItem, addItemPicture, returnItem, acceptItem, zeroReport, silent, calls, openCall, researchDuty,
        informantReports, informantReport, replyReport, reportToTip,
        editItem, adoptItem, adoption, bulletins, newBulletin, bulletin, addToBulletin, publishBulletin, bulletinDocument,
        books, addRecord, openRecords, bookZeroReport, tipLeads, bookCompleteness, editRecord, recordNames,
        assessment, frozenAssessment, adjustAssessment, freezeAssessment,
    ]
}

/// The admin listener's two paths outside `/admin/v1` (docs/ADMIN-API.md "Metrics").
public enum AdminListenerPath {
    /// Prometheus metrics, signed like every admin request (auditor, admin).
    public static let metrics = "/metrics"
    /// Liveness, unsigned (the only open path of the admin listener).
    public static let health = "/healthz"
}
