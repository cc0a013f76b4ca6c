import Foundation
import GRDB
import Sealing
import Testing
import TiplineAdminAPI
import TiplineCore
@testable import TiplineStore

/// Issue 16: the ledgers in the store — pages of a dated ledger's period in date order that an export
/// walks with `after` (no record twice, none left out, across equal dates), a register as it stood at
/// a period's end, versions that only move forward, refusals that write nothing, zero reports and
/// completeness; the chain stays intact.
@Suite("Ledgers in the store")
struct BooksStoreTests {
    /// 2026-01-10 12:00 China time, and a day.
    static let january: Int64 = 1_768_017_600
    static let day: Int64 = 86_400

    let fixture: TemporaryDatabase
    let store: TriageStore
    let nanming = X25519PrivateKey.generate()
    let yunyan = X25519PrivateKey.generate()
    let city = X25519PrivateKey.generate()

    init() throws {
        fixture = try TemporaryDatabase()
        let policies = TriageScaleTests.policies
        store = TriageStore(database: fixture.database, signer: fixture.signer, policies: policies,
                            centreKeys: [policies.centres.city.id: (content: String(repeating: "c", count: 32), identity: String(repeating: "d", count: 32))],
                            unitKeys: ["nanming-office": (nanming.publicKey.keyID, String(repeating: "e", count: 32)),
                                       "yunyan-office": (yunyan.publicKey.keyID, String(repeating: "f", count: 32)),
                                       "city-office": (city.publicKey.keyID, nil)])
    }

    static func clerk(_ unit: String, centre: String, key: Character) throws -> StaffActor {
        let json = """
            {"key_id":"\(String(repeating: key, count: 32))","name":"clerk-\(unit)","role":"clerk","centre":"\(centre)","unit":"\(unit)",
             "public_key":"\(Data(repeating: 0, count: 32).base64EncodedString())","enrolled_at":0,"enrolled_by":"t"}
            """
        return StaffActor(member: try JSONDecoder().decode(StaffMember.self, from: Data(json.utf8)), request: Data("signed".utf8),
                          signature: Data(repeating: UInt8(key.asciiValue ?? 1), count: 64))
    }

    func body(_ date: String?, unitKey: X25519PrivateKey, base: Int? = nil) throws -> RecordBody {
        let keys = [unitKey.publicKey, city.publicKey]
        let envelope = try EnvelopeCrypto.sealMessage(recordID: BookRecord.newUID(), name: "record", value: Array("{\"values\":{}}".utf8), recipients: keys)
        return RecordBody(recordDate: date, envelope: envelope, names: nil, baseVersion: base)
    }

    @Test("An export walks a quarter page by page in date order: every record dated in it once, none outside it")
    func quarterPages() async throws {
        let clerk = try Self.clerk("nanming-office", centre: "nanming", key: "a")
        var dated: [String: String] = [:]
        // 260 inspections, two a day from 2026-01-10 on (Q1 and into Q2), added out of date order.
        for index in 0..<260 {
            let offset = Int64((index * 37) % 130)
            let date = CivilDate.today(at: Self.january + offset * Self.day)
            let written = try await store.addRecord(book: "inspections", try body(date, unitKey: nanming), by: clerk, at: Self.january + Int64(index))
            dated[written.record] = date
        }
        let quarter = try #require(ReportingPeriod("2026-Q1"))
        var seen: [RecordVersionView] = []
        var after: String?
        repeat {
            let page = try await store.recordViews(book: "inspections", .init(period: quarter, limit: 50, after: after))
            seen += page
            after = page.count == 50 ? page.last?.record : nil
        } while after != nil
        let expected = Set(dated.filter { $0.value <= "2026-03-31" }.keys)
        #expect(Set(seen.map(\.record)) == expected && seen.count == expected.count, "every record of the quarter exactly once")
        #expect(seen.map { $0.recordDate ?? "" } == seen.map { $0.recordDate ?? "" }.sorted(), "in date order")
        #expect(seen.allSatisfy { $0.recordDate == dated[$0.record] && $0.latest == 1 })
        // The audited release of one page names every record it released.
        let page = try await store.openRecords(book: "inspections", .init(period: quarter, limit: 20), by: clerk, at: Self.january + 1000)
        let details = try await fixture.database.writer.read { try String.fetchOne($0, sql: "SELECT details FROM audit_entry WHERE action = 'books.read'") }
        #expect(page.count == 20 && page.allSatisfy { details?.contains($0.record) == true })
        guard try fixture.verify().chainIntact else { Issue.record("the chain is not intact"); return }
    }

    @Test("A register as it stood at a period's end; versions move forward only; another unit's edit and a stale edit write nothing")
    func registerAndVersions() async throws {
        let clerk = try Self.clerk("nanming-office", centre: "nanming", key: "a")
        let other = try Self.clerk("yunyan-office", centre: "yunyan", key: "b")
        let march = Self.january + 60 * Self.day
        let may = Self.january + 120 * Self.day
        let first = try await store.addRecord(book: "venues", try body(nil, unitKey: nanming), by: clerk, at: Self.january)
        let edited = try await store.editRecord(first.record, try body(nil, unitKey: nanming, base: 1), by: clerk, at: may)
        #expect(edited.version == 2)
        let later = try await store.addRecord(book: "venues", try body(nil, unitKey: nanming), by: clerk, at: may)
        // A dated record in a register, or no date in a dated ledger: refused.
        await #expect(throws: StoreError.self) { _ = try await store.addRecord(book: "venues", try body("2026-01-01", unitKey: nanming), by: clerk, at: march) }
        await #expect(throws: StoreError.self) { _ = try await store.addRecord(book: "inspections", try body(nil, unitKey: nanming), by: clerk, at: march) }
        // Sealed to the wrong unit's key, or to the unit without the city office: refused.
        await #expect(throws: StoreError.self) { _ = try await store.addRecord(book: "venues", try body(nil, unitKey: yunyan), by: clerk, at: march) }
        await #expect(throws: StoreError.self) { _ = try await store.addRecord(book: "tip-leads", try body(nil, unitKey: nanming), by: clerk, at: march) }

        let q1 = try await store.recordViews(book: "venues", .init(period: ReportingPeriod("2026-Q1")))
        #expect(q1.map(\.record) == [first.record] && q1.first?.version == 1 && q1.first?.latest == 2, "as it stood on 31 March")
        let q2 = try await store.recordViews(book: "venues", .init(period: ReportingPeriod("2026-Q2")))
        #expect(q2.map(\.record) == [first.record, later.record] && q2.first?.version == 2)
        let all = try await store.recordViews(book: "venues", .init(record: first.record, versions: true))
        #expect(all.map(\.version) == [1, 2])

        let versions = { try await fixture.database.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM book_version") ?? 0 } }
        let entries = { try await fixture.database.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM audit_entry") ?? 0 } }
        let before = (try await versions(), try await entries())
        await #expect(throws: StoreError.forbidden("只能修改本单位的台账记录 / a unit edits its own records only (\(first.record) is another unit's)")) {
            _ = try await store.editRecord(first.record, try body(nil, unitKey: yunyan), by: other, at: may)
        }
        await #expect(throws: StoreError.self) { _ = try await store.editRecord(first.record, try body(nil, unitKey: nanming, base: 1), by: clerk, at: may) }
        let after = (try await versions(), try await entries())
        #expect(after == before, "refusals write nothing")
        // The database itself refuses to rewrite history.
        await #expect(throws: (any Error).self) {
            try await fixture.database.writer.write { try $0.execute(sql: "UPDATE book_record SET version = 1 WHERE record = ?", arguments: [first.record]) }
        }
        await #expect(throws: (any Error).self) {
            try await fixture.database.writer.write { try $0.execute(sql: "DELETE FROM book_version WHERE version = 1") }
        }
        await #expect(throws: (any Error).self) {
            try await fixture.database.writer.write { try $0.execute(sql: "UPDATE book_record SET unit = 'yunyan-office'") }
        }

        // Zero reports and completeness.
        let period = try #require(ReportingPeriod("2026-03"))
        await #expect(throws: StoreError.self) { try await store.bookZeroReport(book: "venues", period: period, by: clerk, at: may) }
        try await store.bookZeroReport(book: "inspections", period: period, by: other, at: may)
        await #expect(throws: StoreError.self) { try await store.bookZeroReport(book: "inspections", period: period, by: other, at: may) }
        let cityClerk = try Self.clerk("city-office", centre: "city", key: "c")
        let rows = try await store.bookCompleteness(period, for: cityClerk.member).rows
        let state = Dictionary(uniqueKeysWithValues: rows.map { ("\($0.unit)|\($0.book)", $0.state) })
        #expect(state["nanming-office|venues"] == .records && state["yunyan-office|inspections"] == .zeroReport)
        #expect(state["nanming-office|inspections"] == .missing && state["city-office|venues"] == nil)
        let own = try await store.bookCompleteness(period, for: other.member).rows
        #expect(!own.isEmpty && own.allSatisfy { $0.unit == "yunyan-office" })
        guard try fixture.verify().chainIntact else { Issue.record("the chain is not intact"); return }
    }
}
