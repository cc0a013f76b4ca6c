import Foundation
import GRDB
import Testing
import TiplineAdminAPI
import TiplineAudit
import TiplineCore
import TiplineDeployment
import TiplineStore
import Sealing
import ZIPFoundation

/// Issue 16, the seven ledgers (S-5.4), against the real server and the real CLI: a clerk adds an
/// inspection and a sales venue (an individual operator's name sealed apart); another unit's clerk
/// cannot edit or read them; the city office reads both; an edit is a new version and the old one stays;
/// bad input is refused with nothing changed; CSV and XLSX exports (the XLSX read back with ZIPFoundation);
/// the tip-lead ledger equals the tip table and holds no identity byte; zero reports and completeness;
/// `audit verify` passes and catches a deleted or altered record.
@Suite("Ledgers (台账): versioned, sealed, audited, exported", .serialized)
struct BooksEndToEndTests {
    typealias Staff = TriageEndToEndTests.Staff

    /// Drops the ledger tables' no-delete/no-update triggers (as an intruder with the file would), then tampers.
    static func tamper(_ root: URL, _ sql: String) throws {
        let queue = try DatabaseQueue(path: DeploymentLayout(root: root).database.path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: """
                DROP TRIGGER IF EXISTS book_record_fixed; DROP TRIGGER IF EXISTS book_record_forward; DROP TRIGGER IF EXISTS book_record_no_delete;
                DROP TRIGGER IF EXISTS book_version_no_update; DROP TRIGGER IF EXISTS book_version_no_delete;
                DROP TRIGGER IF EXISTS book_zero_report_no_update; DROP TRIGGER IF EXISTS book_zero_report_no_delete
                """)
        }
        try NetworkEndToEndTests.tamper(root, sql)
    }

    /// The cells of the first worksheet of an XLSX file, read back through ZIPFoundation: `A1` → text.
    static func cells(ofWorkbook url: URL) throws -> (cells: [String: String], parts: [String: Data]) {
        let archive = try Archive(url: url, accessMode: .read)
        var parts: [String: Data] = [:]
        for entry in archive {
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            parts[entry.path] = data
        }
        let sheet = String(decoding: try #require(parts["xl/worksheets/sheet1.xml"]), as: UTF8.self)
        var cells: [String: String] = [:]
        let pattern = /<c r="([A-Z]+[0-9]+)"[^>]*>(?:<is><t[^>]*>(.*?)<\/t><\/is>|<v>(.*?)<\/v>)<\/c>/
        for match in sheet.matches(of: pattern) {
            let raw = String(match.2 ?? match.3 ?? "")
            cells[String(match.1)] = raw.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
        }
        return (cells, parts)
    }

    /// A CSV file's rows (RFC 4180, a leading byte-order mark dropped).
    static func csvRows(_ url: URL) throws -> [[String]] {
        var text = try String(contentsOf: url, encoding: .utf8)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var iterator = Array(text).makeIterator()
        var pending: Character?
        while let c = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { field.append("\"") } else { quoted = false; pending = next }
                    } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(field); field = ""
            } else if c == "\r\n" || c == "\n" {
                row.append(field); field = ""
                rows.append(row); row = []
            } else {
                field.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }

    @Test("Add, refuse another unit, city reads, versioned edit, sealed names, bad input, CSV/XLSX, tip leads, zero report, completeness, verify and tamper")
    func ledgerStory() async throws {
        let live = try LiveServer()
        let root = live.root
        let token = UUID().uuidString.prefix(8)
        let reporterCanary = "举报人金丝雀\(token)"
        let operatorCanary = "个体经营者金丝雀\(token)"
        let exports = FileManager.default.temporaryDirectory.appendingPathComponent("tipline-books-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: exports, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: exports) }
        let now = Int64(Date().timeIntervalSince1970)
        let today = CivilDate.today(at: now)
        let month = String(today.prefix(7))
        let quarter = "\(today.prefix(4))-Q\((Int(today.dropFirst(5).prefix(2))! - 1) / 3 + 1)"
        // Record ids are the ledger's prefix, the year (China) and a serial per ledger and year.
        let inspection = "JC-\(today.prefix(4))-000001"
        let venue = "CS-\(today.prefix(4))-000001"
        try await live.run { live in
            let staff = Staff(live: live, dir: live.holders.appendingPathComponent("workstations"))
            // Each one's own key files, as on their workstations (the deployment's holders/ is not theirs).
            let keyFiles = ["clerk.nm": ["--content-key", "unit-nanming-office-content"], "clerk.yy": ["--content-key", "unit-yunyan-office-content"],
                            "clerk.city": ["--content-key", "unit-city-office-content"], "hd.nm": ["--content-key", "unit-nanming-office-content"],
                            "h1": ["--identity-key", "city-identity"], "tr": ["--content-key", "nanming-content"]]
            func cli(_ arguments: [String], _ who: String) async throws -> CLIRunner.Result {
                // The test's own option wins over the default one.
                let keys = keyFiles[who].flatMap { arguments.contains($0[0]) ? nil : [$0[0], live.holders.appendingPathComponent("\($0[1]).key.pem").path] } ?? []
                return try await staff.cli(arguments + staff.common(who) + keys)
            }
            func ok(_ arguments: [String], _ who: String) async throws -> CLIRunner.Result {
                let result = try await cli(arguments, who)
                #expect(result.status == 0, "\(arguments): \(result.stderr)")
                return result
            }
            try await staff.enrol("clerk.nm", role: "clerk", centre: "nanming", unit: "nanming-office")
            try await staff.enrol("clerk.yy", role: "clerk", centre: "yunyan", unit: "yunyan-office")
            try await staff.enrol("clerk.city", role: "clerk", centre: "city", unit: "city-office")
            try await staff.enrol("hd.nm", role: "handler", centre: "nanming", unit: "nanming-office")
            try await staff.enrol("h1", role: "identity-holder", centre: "city")
            try await staff.enrol("tr", role: "triage", centre: "nanming")

            // Tips for the tip-lead ledger: one with a reporter whose name is a canary; one verified with a fine.
            var references: [String] = []
            for (district, name) in [("nanming", reporterCanary), ("nanming", nil), ("yunyan", nil)] {
                var tip: [String: Any] = ["category": "illegal-publication", "district": district, "description": "某书店出售盗版图书", "wants_reward": name != nil]
                if let name { tip["reporter"] = ["name": name, "phone": "13800001111"] }
                let reply = try await live.postJSON("/api/v1/tips", tip)
                references.append(try #require(try reply.json()["reference"] as? String))
            }
            let triage: [String] = []
            for step in [["triaged"], ["verifying", "--unit", "南明区文化市场综合执法大队"], ["verified", "--outcome", "administrative", "--fines", "5000"]] {
                _ = try await ok(["tips", "status", references[0]] + step + triage, "tr")
            }

            // The policy as the clerks see it.
            let fields = try await ok(["books", "fields", "inspections", "--json"], "clerk.nm")
            #expect(((try fields.json() as? [String: Any])?["fields"] as? [[String: Any]])?.count == 11)

            // A clerk adds an inspection (--field) and a sales venue (--file, with an individual operator's name).
            let added = try await ok(["books", "add", "inspections", "--field", "date=\(today)", "--field", "officers=12", "--field", "places_checked=5",
                                      "--field", "seized=1200册", "--field", "findings=查获盗版教辅，已立案", "--field", "area_code=520102016000",
                                      "--field", "follow_up=\(references[0])", "--json"], "clerk.nm")
            #expect((try added.json() as? [String: Any])?["record"] as? String == inspection)
            let venueFile = live.holders.appendingPathComponent("venue.json")
            try JSONSerialization.data(withJSONObject: ["name": "花果园图书批发市场", "area_code": "520102016000", "venue_type": "图书市场",
                                                        "operator_person": operatorCanary, "stalls": 40, "risk_level": "high",
                                                        "licence_no": "新出发黔字第0001号"]).write(to: venueFile)
            let addedVenue = try await ok(["books", "add", "venues", "--file", venueFile.path, "--json"], "clerk.nm")
            #expect((try addedVenue.json() as? [String: Any])?["record"] as? String == venue)
            let sealedNames = try live.readDatabase { try Int.fetchOne($0, sql: "SELECT count(*) FROM book_version WHERE names IS NOT NULL")! }
            #expect(sealedNames == 1, "the operator's name travels in its own envelope")

            // Another unit's clerk can neither read nor edit them: the CLI is refused, and so is the server itself.
            let foreignEdit = try await cli(["books", "edit", "inspections", inspection, "--field", "officers=1"], "clerk.yy")
            #expect(foreignEdit.status == 3, "\(foreignEdit.stderr)")
            #expect(try await cli(["books", "show", venue], "clerk.yy").status == 3)
            #expect(try await cli(["books", "list", "venues", "--unit", "nanming-office"], "clerk.yy").status == 4)
            let store = try await live.triageStore()
            let yunyanClerk = try #require(try await store.listStaff().first { $0.name == "clerk.yy" })
            do {
                // A well-sealed version for the yunyan office, sent for the nanming record: refused as another unit's.
                let manifest = live.deployment.manifest
                let keys = [try #require(try manifest.unitKey("yunyan-office")), try #require(try manifest.unitKey("city-office"))]
                let sealed = try EnvelopeCrypto.sealMessage(recordID: BookRecord.newUID(), name: "record", value: Array("{}".utf8), recipients: keys)
                await #expect(throws: StoreError.forbidden("只能修改本单位的台账记录 / a unit edits its own records only (\(inspection) is another unit's)")) {
                    _ = try await store.editRecord(inspection, RecordBody(recordDate: today, envelope: sealed, names: nil),
                                                   by: StaffActor(member: yunyanClerk, request: Data(), signature: Data()), at: now)
                }
            }

            // The city office reads both (opened with its own content key); the name stays sealed.
            let cityInspections = try await ok(["books", "list", "inspections", "--json"], "clerk.city")
            let inspectionRow = try #require((try cityInspections.json() as? [[String: Any]])?.first)
            #expect(inspectionRow["record"] as? String == inspection && inspectionRow["unit"] as? String == "nanming-office")
            #expect((inspectionRow["values"] as? [String: String])?["seized"] == "1200 册")
            let cityVenues = try await ok(["books", "list", "venues", "--json"], "clerk.city")
            let venueRow = try #require((try cityVenues.json() as? [[String: Any]])?.first)
            #expect((venueRow["values"] as? [String: String])?["venue_type"] == "book-market" && venueRow["sealed_names"] as? Bool == true)
            #expect(!cityVenues.stdout.contains(operatorCanary))
            let table = try await ok(["books", "list", "venues"], "clerk.city")
            #expect(table.stdout.contains(venue) && table.stdout.contains("(sealed)") && !table.stdout.contains(operatorCanary), "\(table.stdout)")

            // An edit is a new version; the old one stays. An edit that keeps the sealed name keeps its envelope.
            let edited = try await ok(["books", "edit", "inspections", inspection, "--field", "officers=15", "--json"], "clerk.nm")
            #expect((try edited.json() as? [String: Any])?["version"] as? Int == 2)
            _ = try await ok(["books", "edit", "venues", venue, "--field", "stalls=45"], "clerk.nm")
            let versions = try await ok(["books", "show", "inspections", inspection, "--versions", "--json"], "clerk.city")
            #expect(try await cli(["books", "show", "venues", inspection], "clerk.city").status == 2, "the record is not a venue")
            let shownVersions = try #require(try versions.json() as? [[String: Any]])
            #expect(shownVersions.map { $0["version"] as? Int } == [1, 2])
            #expect(shownVersions.map { ($0["values"] as? [String: String])?["officers"] } == ["12", "15"])
            let unchanged = try await cli(["books", "edit", "inspections", inspection, "--field", "officers=15"], "clerk.nm")
            #expect(unchanged.status == 2, "no change, no version: \(unchanged.stderr)")

            // The names of individual operators: the district's handler and a city identity holder open them
            // with a reason (audited first); a clerk cannot.
            let registry = ["--identity-key", live.holders.appendingPathComponent("unit-nanming-office-registry.key.pem").path]
            let byHandler = try await ok(["books", "show", venue, "--versions", "--names", "--reason", "核实经营者身份", "--json"] + registry, "hd.nm")
            let namesShown = try #require(try byHandler.json() as? [[String: Any]])
            #expect(namesShown.count == 2 && namesShown.allSatisfy { ($0["names"] as? [String: String])?["operator_person"] == operatorCanary })
            _ = try await ok(["books", "show", venue, "--names", "--reason", "市级核查"], "h1")
            let byClerk = try await cli(["books", "show", venue, "--names", "--reason", "想看"], "clerk.nm")
            #expect(byClerk.status == 4 && !byClerk.stdout.contains(operatorCanary), "\(byClerk.stderr)")
            let nanmingClerk = try #require(try await store.listStaff().first { $0.name == "clerk.nm" })
            await #expect(throws: StoreError.notFound("record \(venue)"), "the server refuses a clerk too") {
                _ = try await store.recordNames(venue, reason: "想看", by: StaffActor(member: nanmingClerk, request: Data(), signature: Data()), at: now)
            }
            let noReason = try await cli(["books", "show", venue, "--names"] + registry, "hd.nm")
            #expect(noReason.status == 2)
            let openings = try live.readDatabase {
                try Int.fetchOne($0, sql: "SELECT count(*) FROM audit_entry WHERE action = 'books.names' AND subject = ?", arguments: [venue])!
            }
            #expect(openings == 2)

            // Bad input is refused before anything is sent: nothing changes.
            let counts = { try live.readDatabase { db in
                (try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_entry")!, try Int.fetchOne(db, sql: "SELECT count(*) FROM book_version")!)
            } }
            let before = try counts()
            for (arguments, message) in [
                (["books", "add", "inspections", "--field", "date=\(today)", "--field", "officers=1", "--field", "places_checked=1", "--field", "colour=red"], "unknown field colour"),
                (["books", "add", "venues", "--field", "area_code=520102016000", "--field", "venue_type=mall", "--field", "risk_level=low"], "missing required field name"),
                (["books", "add", "venues", "--field", "name=x", "--field", "area_code=520102016000", "--field", "venue_type=mall", "--field", "risk_level=extreme"], "risk_level (Risk level) is one of"),
                (["books", "add", "inspections", "--field", "date=2026-13-45", "--field", "officers=1", "--field", "places_checked=1"], "date (Date) is a date"),
                (["books", "add", "inspections", "--field", "date=\(today)", "--field", "officers=-3", "--field", "places_checked=1"], "is at least 0"),
                (["books", "add", "inspections", "--field", "date=\(today)", "--field", "officers=1", "--field", "places_checked=1", "--field", "seized=12 斤"], "unit of measure"),
                (["books", "add", "inspections", "--field", "date=\(today)", "--field", "officers=1", "--field", "places_checked=1", "--field", "area_code=110101"], "lies in no district"),
                (["books", "add", "tip-leads", "--field", "reference=GY-2026-000001"], "generated from the tips"),
            ] {
                let refused = try await cli(arguments, "clerk.nm")
                #expect(refused.status == 2 && refused.stderr.contains(message), "\(arguments): \(refused.stderr)")
            }
            // Staff read Chinese first: the same refusal in Chinese names the field and the values it takes.
            let chinese = try await CLIRunner.run(["books", "add", "venues", "--field", "name=x", "--field", "area_code=520102016000", "--field", "venue_type=mall",
                                                   "--field", "risk_level=极高"] + staff.common("clerk.nm"), passphrase: staff.passphrase,
                                                  environment: ["TIPLINE_LANG": "zh"])
            #expect(chinese.status == 2 && chinese.stderr.contains("risk_level（风险等级）应为以下之一") && chinese.stderr.contains("未发送任何内容"),
                    "\(chinese.stderr)")
            #expect(try counts() == before, "a refusal changes nothing")

            // Exports: CSV and XLSX of this quarter (the XLSX read back with ZIPFoundation).
            let csv = exports.appendingPathComponent("inspections.csv")
            let xlsx = exports.appendingPathComponent("inspections.xlsx")
            _ = try await ok(["books", "export", "inspections", "--period", quarter, "--csv", csv.path], "clerk.city")
            _ = try await ok(["books", "export", "inspections", "--period", quarter, "--xlsx", xlsx.path], "clerk.city")
            #expect(try await cli(["books", "export", "inspections", "--period", quarter, "--csv", csv.path], "clerk.city").status == 2, "never overwrites")
            let rows = try Self.csvRows(csv)
            #expect(rows.count == 2 && rows[0].prefix(4) == ["Record", "Unit", "Version", "Written"] && rows[0].contains("Officers deployed"))
            let officersColumn = try #require(rows[0].firstIndex(of: "Officers deployed"))
            #expect(rows[1][0] == inspection && rows[1][2] == "2" && rows[1][officersColumn] == "15" && rows[1].contains("1200 册"))
            let attributes = try FileManager.default.attributesOfItem(atPath: xlsx.path)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
            let (cells, parts) = try Self.cells(ofWorkbook: xlsx)
            #expect(parts["[Content_Types].xml"] != nil && parts["xl/workbook.xml"] != nil)
            #expect(cells["A1"] == "Record" && cells["A2"] == inspection && cells["C2"] == "2")
            let officersCell = XLSXColumn.name(officersColumn) + "2"
            #expect(cells[officersCell] == "15", "\(cells)")
            #expect(String(decoding: parts["xl/worksheets/sheet1.xml"]!, as: UTF8.self).contains("<c r=\"\(officersCell)\"><v>15</v></c>"), "a number cell")
            let venueCSV = exports.appendingPathComponent("venues.csv")
            _ = try await ok(["books", "export", "venues", "--period", quarter, "--csv", venueCSV.path], "clerk.city")
            let venueRows = try Self.csvRows(venueCSV)
            #expect(venueRows.count == 2 && venueRows[1][0] == venue && venueRows[1].contains("45") && venueRows[1].contains("图书市场") == false
                    && venueRows[1].contains("Book market"))

            // The tip-lead ledger equals the tip table (no canary tip here) and holds no identity byte.
            let leads = try await ok(["books", "list", "tip-leads", "--json"], "clerk.city")
            let leadRows = try #require(try leads.json() as? [[String: Any]])
            let tipRows = try live.readDatabase { db in
                try Row.fetchAll(db, sql: "SELECT reference, centre, district, category, urgency, status, resolution, enforcement_unit, channel, wants_reward FROM tip ORDER BY id")
            }
            #expect(leadRows.count == tipRows.count && leadRows.count == 3)
            for (lead, tip) in zip(leadRows, tipRows) {
                #expect(lead["reference"] as? String == tip["reference"] as String && lead["centre"] as? String == tip["centre"] as String)
                #expect(lead["district"] as? String == tip["district"] as String && lead["category"] as? String == tip["category"] as String)
                #expect(lead["urgency"] as? String == tip["urgency"] as String && lead["status"] as? String == tip["status"] as String)
                #expect(lead["resolution"] as? String == tip["resolution"] as String? && lead["enforcement_unit"] as? String == tip["enforcement_unit"] as String?)
                #expect(lead["channel"] as? String == tip["channel"] as String)
                #expect(lead["reward"] as? String == ((tip["wants_reward"] as Bool) ? "requested" : "not-requested"))
            }
            #expect(leadRows[0]["outcome"] as? String == "administrative" && leadRows[0]["fines_fen"] as? Int == 500_000)
            let nanmingLeads = try await ok(["books", "list", "tip-leads", "--json"], "clerk.nm")
            #expect(((try nanmingLeads.json() as? [[String: Any]]) ?? []).compactMap { $0["reference"] as? String } == Array(references.prefix(2)),
                    "a district office's tip leads are its centre's")
            let leadCSV = exports.appendingPathComponent("tip-leads.csv")
            let leadXLSX = exports.appendingPathComponent("tip-leads.xlsx")
            _ = try await ok(["books", "export", "tip-leads", "--period", quarter, "--csv", leadCSV.path], "clerk.city")
            _ = try await ok(["books", "export", "tip-leads", "--period", quarter, "--xlsx", leadXLSX.path], "clerk.city")
            #expect(try Self.csvRows(leadCSV).dropFirst().map(\.first) == references.map(Optional.some))
            let leadSheet = try Self.cells(ofWorkbook: leadXLSX)
            #expect(leadSheet.cells["A2"] == references[0] && leadSheet.cells["A4"] == references[2])
            var exported = [try Data(contentsOf: leadCSV), try Data(contentsOf: csv), try Data(contentsOf: venueCSV), Data(leads.stdout.utf8)]
            exported += Array(leadSheet.parts.values) + Array(parts.values)
            for canary in [reporterCanary, operatorCanary, "13800001111"] {
                for bytes in [Data(canary.utf8), canary.data(using: .utf16LittleEndian)!, canary.data(using: .utf16BigEndian)!] {
                    #expect(!exported.contains { $0.range(of: bytes) != nil }, "no identity byte in any export")
                }
            }

            // Zero reports and completeness for this month.
            _ = try await ok(["books", "zero-report", "inspections", "--period", month], "clerk.yy")
            #expect(try await cli(["books", "zero-report", "inspections", "--period", month], "clerk.yy").status == 4, "once")
            let withRecords = try await cli(["books", "zero-report", "inspections", "--period", month], "clerk.nm")
            #expect(withRecords.status == 4 && withRecords.stderr.contains("no zero report"), "\(withRecords.stderr)")
            let completeness = try await cli(["books", "completeness", "--period", month, "--json"], "clerk.city")
            #expect(completeness.status == 1, "units are missing ledgers")
            let state = Dictionary(uniqueKeysWithValues: (((try completeness.json() as? [String: Any])?["rows"] as? [[String: Any]]) ?? []).map {
                ("\($0["unit"]!)|\($0["book"]!)", $0["state"] as? String ?? "")
            })
            #expect(state["nanming-office|inspections"] == "records" && state["nanming-office|venues"] == "records")
            #expect(state["yunyan-office|inspections"] == "zero-report" && state["huaxi-office|inspections"] == "missing")
            #expect(state["public-security|vendor-areas"] == nil, "only the units that keep a ledger (kept_by)")
            #expect(state["city-office|inspections"] == nil, "the hub keeps none")
            let own = try await cli(["books", "completeness", "--period", month, "--json"], "clerk.yy")
            #expect(((try own.json() as? [String: Any])?["rows"] as? [[String: Any]])?.allSatisfy { $0["unit"] as? String == "yunyan-office" } == true)

            // Every read was audited: who read which records.
            let reads = try live.readDatabase { try String.fetchAll($0, sql: "SELECT details FROM audit_entry WHERE action = 'books.read'") }
            #expect(reads.count >= 8 && reads.contains { $0.contains(inspection) })
        }

        // Nothing personal at rest: the canaries are nowhere in data/.
        let scan = try await CLIRunner.run(["audit", "scan", "--deployment", root.path, "--canaries-only", "--canary", reporterCanary, "--canary", operatorCanary],
                                           passphrase: "")
        #expect(scan.status == 0, "\(scan.stdout) \(scan.stderr)")
        // An auditor with no key: who opened the operator's name of this record, when, why — from the log alone.
        let log = try await CLIRunner.run(["audit", "log", "--deployment", root.path, "--record", venue.lowercased(), "--action", "books.names", "--json"],
                                          passphrase: "")
        let opened = try #require(try log.json() as? [[String: String]], "\(log.stderr)")
        #expect(opened.map { $0["actor_name"] } == ["hd.nm", "h1"] && opened.map { $0["reason"] } == ["核实经营者身份", "市级核查"])
        let verify = try await CLIRunner.run(["audit", "verify", "--deployment", root.path], passphrase: "")
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
        let report = try AuditVerifier(sources: try AuditSources.deployment(at: root)).verify()
        #expect(report.passed, "\(report.checks.map { "\($0.name.rawValue)=\($0.failures) \($0.first?.text ?? "")" })")
        try NetworkEndToEndTests.expectVerifyFails(root, after: [
            "DELETE FROM book_version WHERE version = 1 AND record_id = (SELECT id FROM book_record WHERE record = '\(inspection)')",
            "UPDATE book_version SET envelope = CAST(replace(CAST(envelope AS TEXT), 'record', 'recorD') AS BLOB) WHERE version = 2",
            "DELETE FROM book_version WHERE record_id = (SELECT id FROM book_record WHERE record = '\(venue)'); DELETE FROM book_record WHERE record = '\(venue)'",
            "UPDATE book_record SET unit = 'yunyan-office' WHERE record = '\(inspection)'",
            "UPDATE book_record SET version = 1 WHERE record = '\(inspection)'",
            "UPDATE book_version SET names = NULL, names_sha256 = NULL WHERE version = 1 AND names IS NOT NULL",
            "DELETE FROM book_zero_report",
        ], tamper: Self.tamper)
    }
}

/// Spreadsheet column names (`0` → `A`, `26` → `AA`).
enum XLSXColumn {
    static func name(_ index: Int) -> String {
        var name = ""
        var n = index + 1
        while n > 0 {
            name = String(UnicodeScalar(UInt8(65 + (n - 1) % 26))) + name
            n = (n - 1) / 26
        }
        return name
    }
}
