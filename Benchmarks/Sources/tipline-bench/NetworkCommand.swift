import ArgumentParser
import Foundation
import GRDB
import Sealing
import TiplineCore
import TiplineDeployment
import TiplineStore
import Accounting
import TiplineTestSupport

/// `tipline-bench network`: seeds informants and areas straight into a deployment's database (rows
/// shaped as the store writes them; their sealed blobs are random bytes, since reads never open
/// them — a ledger version's envelope is one real sealed envelope, copied, since its list decodes it)
/// and times the registry's lists and coverage, the items' lists and the ledgers' lists (issue 16)
/// as the admin API calls them, p50/p99.
struct NetworkBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "network", abstract: "Seed informants, items and ledger records; time the registry's, items' and ledgers' queries.")

    @OptionGroup var target: DeploymentOption
    @Option(help: "Informants to add before timing (spread over the districts).") var informants = 100_000
    @Option(help: "Generated villages per district to add before timing.") var villages = 300
    @Option(help: "Information items to add before timing (spread over the nodes).") var items = 100_000
    @Option(help: "Ledger records to add before timing (inspections and venues, spread over the district offices).") var records = 100_000
    @Option(help: "Timed runs of each query (after 3 warm-up runs).") var runs = 100

    func run() async throws {
        let deployment = try Deployment.open(at: target.url)
        let database = try AppDatabase(path: deployment.layout.database.path)
        let policies = deployment.policies
        let store = TriageStore(database: database, signer: AuditSigner(key: .generate()), policies: policies,
                                centreKeys: deployment.manifest.centreKeyIDs, unitKeys: deployment.manifest.unitKeyIDs)
        let offices = policies.units.districtOffices
        let direct = try database.directConnection()
        let seedStart = monotonicNanos()
        try await direct.write { db in
            var serials: [String: Int] = [:]
            for office in offices {
                guard let centre = office.centre?.rawValue else { continue }
                serials[centre] = try Int.fetchOne(db, sql: "SELECT max(serial) FROM informant WHERE district = ?", arguments: [centre]) ?? 0
            }
            var areasByDistrict: [String: [String]] = [:]
            for office in offices {
                guard let centre = office.centre?.rawValue, let county = office.countyCode else { continue }
                let townships = policies.areas.filter { $0.countyCode == county }
                var codes = townships.map(\.code)
                for index in 0..<villages {
                    let township = townships[index % townships.count].code
                    let code = String(township.prefix(9)) + String(format: "%03d", 200 + index / townships.count)
                    try db.execute(sql: "INSERT OR IGNORE INTO area(code, level, parent, name_zh, district, imported_at) VALUES (?, 'village', ?, ?, ?, 0)",
                                   arguments: [code, township, "基准村\(index)", centre])
                    codes.append(code)
                }
                areasByDistrict[centre] = codes
            }
            let roles = InformantSourceRole.allCases.map(\.rawValue)
            let statuses = ["active", "active", "active", "suspended", "retired"]
            let insert = try db.makeStatement(sql: """
                INSERT INTO informant(pseudonym, uid, district, serial, source_role, status, registered_at, registered_by, review_due,
                  identity, identity_sha256, code_locator_hash, code_salt, code_n, code_r, code_p, code_verifier, public_key, sealed_key, code_issued_at)
                VALUES (?, ?, ?, ?, ?, ?, 0, 'bench', ?, ?, ?, ?, ?, 32768, 8, 1, ?, ?, ?, 0)
                """)
            let area = try db.makeStatement(sql: "INSERT OR IGNORE INTO informant_area(code, pseudonym) VALUES (?, ?)")
            let identity = Data(SecureRandom.bytes(600))
            for index in 0..<informants {
                let office = offices[index % offices.count]
                guard let centre = office.centre?.rawValue, let prefix = office.informantPrefix, let codes = areasByDistrict[centre] else { continue }
                let serial = (serials[centre] ?? 0) + 1
                serials[centre] = serial
                let pseudonym = Pseudonym(prefix: prefix, serial: serial).rawValue
                let due = String(format: "2027-%02d-%02d", 1 + index % 12, 1 + index % 28)
                try insert.execute(arguments: [pseudonym, "inf-" + Hex.encode(SecureRandom.bytes(16)), centre, serial, roles[index % roles.count],
                                               statuses[index % statuses.count], due, identity, Hashing.sha256Hex(Array(identity)),
                                               Data(SecureRandom.bytes(32)), Data(SecureRandom.bytes(16)), Data(SecureRandom.bytes(32)),
                                               Data(SecureRandom.bytes(32)), Data(SecureRandom.bytes(60))])
                for k in 0..<(1 + index % 3) {
                    try area.execute(arguments: [codes[(index * 7 + k * 13) % codes.count], pseudonym])
                }
            }
        }
        let ledger = try Ledger(path: deployment.layout.ledgerDatabase.path, policy: deployment.rewardPolicy,
                                payments: deployment.remunerationPolicy)
        let nodes = policies.units.units.filter(\.isNode).map(\.id)
        let itemCount = items
        try await direct.write { db in
            let year = CivilTime.chinaYear(Int64(Date().timeIntervalSince1970))
            var serial = try Int.fetchOne(db, sql: "SELECT max(serial) FROM info_item WHERE year = ?", arguments: [year]) ?? 0
            let insert = try db.makeStatement(sql: """
                INSERT INTO info_item(reference, year, serial, uid, unit, kind, sub_kind, aspects, timeliness, event_at, known_at, created_at, created_by,
                  submitted_at, due_at, late, authors, unit_only, statement, signature, signer_key_id, envelope, envelope_sha256, state)
                VALUES (?, ?, ?, ?, ?, 'dynamic', 'other', '', 'routine', ?, ?, ?, 'bench', ?, ?, ?, 'bench', 0, 'bench', ?, 'bench', ?, 'bench', ?)
                """)
            let now = Int64(Date().timeIntervalSince1970)
            let envelope = Data(SecureRandom.bytes(800))
            let states = ["submitted", "accepted", "accepted", "returned", "draft"]
            for index in 0..<itemCount {
                serial += 1
                let submitted = now - Int64(index) * 300  // one every five minutes, back about a year at 10^5
                let late = index % 7 == 0
                try insert.execute(arguments: ["XX-\(year)-\(String(format: "%06d", serial))", year, serial, "item-" + Hex.encode(SecureRandom.bytes(16)),
                                               nodes[index % nodes.count], submitted - 7200, submitted - 3600, submitted - 60,
                                               states[index % 5] == "draft" ? nil : submitted, submitted + 86_400, states[index % 5] == "draft" ? nil : late,
                                               Data(SecureRandom.bytes(64)), envelope, states[index % 5]])
            }
        }
        // Adoptions (issue 17): every tenth accepted item adopted in the quick report, for the remuneration list.
        try await direct.write { db in
            try db.execute(sql: """
                INSERT OR IGNORE INTO info_adoption(item_id, level, on_date, ref, recorded_at, recorded_by)
                SELECT id, 'kuaibao', strftime('%Y-%m-%d', submitted_at + 8 * 3600, 'unixepoch'), NULL, submitted_at, 'bench'
                FROM info_item WHERE state = 'accepted' AND id % 20 IN (2, 3) AND submitted_at IS NOT NULL
                """)
        }
        let recordCount = records
        let officeIDs = offices.map(\.id)
        try await direct.write { db in
            let now = Int64(Date().timeIntervalSince1970)
            let year = CivilTime.chinaYear(now)
            // One real sealed envelope (the list decodes it), copied into every version.
            let envelope = try EnvelopeCrypto.sealMessage(recordID: BookRecord.newUID(), name: "record", value: Array(repeating: 0x7B, count: 400),
                                                          recipients: [X25519PrivateKey.generate().publicKey]).jsonRepresentation()
            let hash = Hashing.sha256Hex(envelope)
            var serials: [String: Int] = [:]
            for book in ["inspections", "venues"] {
                serials[book] = try Int.fetchOne(db, sql: "SELECT max(serial) FROM book_record WHERE book = ? AND year = ?", arguments: [book, year]) ?? 0
            }
            let record = try db.makeStatement(sql: """
                INSERT INTO book_record(record, book, year, serial, unit, created_at, created_by, version, record_date, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, 'bench', 1, ?, ?)
                """)
            let version = try db.makeStatement(sql: """
                INSERT INTO book_version(record_id, version, record_date, written_at, written_by, envelope, envelope_sha256)
                VALUES (?, 1, ?, ?, 'bench', ?, ?)
                """)
            for index in 0..<recordCount {
                // Three inspections (dated, one a day back about a year) to two venues (a register).
                let book = index % 5 < 3 ? "inspections" : "venues"
                let serial = (serials[book] ?? 0) + 1
                serials[book] = serial
                let written = now - Int64(index) * 300
                let date = book == "inspections" ? CivilDate.today(at: now - Int64(index % 365) * 86_400) : nil
                let id = BookRecordID(prefix: book == "inspections" ? "JC" : "CS", year: year, serial: serial).description
                try record.execute(arguments: [id, book, year, serial, officeIDs[(index / 5) % officeIDs.count], written, date, written])
                try version.execute(arguments: [db.lastInsertedRowID, date, written, Data(envelope), hash])
            }
        }
        print("seed_seconds=\(format(Double(monotonicNanos() - seedStart) / 1e9, 2))")
        let recordTotal = try await database.reader.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM book_record") ?? 0 }
        print("ledger_records=\(recordTotal)")
        let counts = try await database.reader.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM informant") ?? 0, try Int.fetchOne(db, sql: "SELECT count(*) FROM informant_area") ?? 0,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM area") ?? 0)
        }
        print("informants=\(counts.0) informant_areas=\(counts.1) imported_areas=\(counts.2)")
        let itemTotal = try await database.reader.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM info_item") ?? 0 }
        print("items=\(itemTotal)")
        let cityEditor = try TriageCommand.member(role: "editor", centre: "city", unit: "city-office")
        let liaison = try TriageCommand.member(role: "liaison", centre: "nanming", unit: "nanming-office")
        let month = ReportingPeriod(String(CivilDate.today(at: Int64(Date().timeIntervalSince1970)).prefix(7)))!
        let quarterBack = ReportingPeriod("\(CivilTime.chinaYear(Int64(Date().timeIntervalSince1970)))")!

        let handler = try TriageCommand.member(role: "handler", centre: "nanming", unit: "nanming-office")
        let cityClerk = try TriageCommand.member(role: "clerk", centre: "city", unit: "city-office")
        let thisYear = CivilTime.chinaYear(Int64(Date().timeIntervalSince1970))
        let today = CivilDate.today(at: Int64(Date().timeIntervalSince1970))
        let quarter = ReportingPeriod("\(thisYear)-Q\((Int(today.dropFirst(5).prefix(2))! - 1) / 3 + 1)")!
        let cases: [(String, @Sendable () async throws -> Int)] = [
            ("informants_district_page", { try await store.informants(for: handler, status: nil, overdueOn: nil, limit: 200).count }),
            ("informants_district_active", { try await store.informants(for: handler, status: .active, overdueOn: nil, limit: 200).count }),
            ("informants_district_overdue", { try await store.informants(for: handler, status: nil, overdueOn: "2027-07-01", limit: 200).count }),
            ("informant_detail", { try await store.informantDetail("NM-0001", for: handler).reviews.count + 1 }),
            ("coverage_district", { try await store.coverage(district: "nanming").districts.count }),
            ("coverage_city", { try await store.coverage(district: nil).districts.count }),
            ("areas_district", { try await store.areas(district: "nanming").count }),
            ("liaisons", { try await store.liaisons().liaisons.count }),
            ("items_city_page", { try await store.items(for: cityEditor, unit: nil, kind: nil, late: false, period: nil, limit: 200).count }),
            ("items_city_late", { try await store.items(for: cityEditor, unit: nil, kind: nil, late: true, period: nil, limit: 200).count }),
            ("items_city_month", { try await store.items(for: cityEditor, unit: nil, kind: nil, late: false, period: month, limit: 200).count }),
            ("items_city_unit_year", { try await store.items(for: cityEditor, unit: "nanming-office", kind: nil, late: false, period: quarterBack, limit: 200).count }),
            ("items_unit_page", { try await store.items(for: liaison, unit: nil, kind: nil, late: false, period: nil, limit: 200).count }),
            ("items_silent_month", { try await store.silentNodes(month).silent.count }),
            // The ledgers (issue 16): what `books list|export` and `books completeness` ask the store for.
            ("books_city_page", { try await store.recordViews(book: "inspections", .init(limit: 200)).count }),
            ("books_unit_page", { try await store.recordViews(book: "inspections", .init(unit: "nanming-office", limit: 200)).count }),
            ("books_city_quarter", { try await store.recordViews(book: "inspections", .init(period: quarter, limit: 200)).count }),
            ("books_unit_quarter", { try await store.recordViews(book: "inspections", .init(unit: "nanming-office", period: quarter, limit: 200)).count }),
            ("books_register_as_of", { try await store.recordViews(book: "venues", .init(unit: "nanming-office", period: quarter, limit: 200)).count }),
            ("books_record_versions", { try await store.recordViews(book: "inspections", .init(record: "JC-\(thisYear)-000001", versions: true)).count }),
            ("books_completeness_month", { try await store.bookCompleteness(month, for: cityClerk).rows.count }),
            ("books_tip_leads_page", { try await store.tipLeads(period: nil, for: cityClerk, limit: 200, after: nil).count }),
            // Remuneration (issue 17): the pending list as `ledger remuneration pending --year` asks for it (a page of adoptions,
            // the item's informant looked up by index, then one ledger query for which are already paid).
            ("remuneration_pending_year", {
                let adoptions = try await store.payableAdoptions(year: thisYear, limit: 200)
                return adoptions.count - (try await ledger.coveredAlready(adoptions.map(\.cover))).count
            }),
        ]
        var worst = 0.0
        for (name, body) in cases {
            for _ in 0..<3 { _ = try await body() }
            var samples: [Double] = []
            var rows = 0
            for _ in 0..<runs {
                let start = monotonicNanos()
                rows = try await body()
                samples.append(Double(monotonicNanos() - start) / 1e6)
            }
            samples.sort()
            let p99 = percentile(samples, 99)
            worst = max(worst, p99)
            print("\(name)_rows=\(rows) \(name)_p50_ms=\(format(percentile(samples, 50), 3)) \(name)_p99_ms=\(format(p99, 3))")
        }
        print("worst_p99_ms=\(format(worst, 3))")
    }
}
