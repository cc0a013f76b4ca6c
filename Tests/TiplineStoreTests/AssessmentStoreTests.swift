import Foundation
import GRDB
import Sealing
import Testing
import TiplineAdminAPI
import TiplineCore
@testable import TiplineStore

/// Issue 17 in the store, over a finished year (what the end-to-end test, living in the present, cannot
/// reach): tips acted on late and overdue, a call missed, silent months against a quarter's zero report;
/// adjust, freeze with the reviewed hash; after the freeze adjustments, a second freeze and row edits are
/// refused; the chain stays intact.
@Suite("Assessment in the store")
struct AssessmentStoreTests {
    /// 2027-01-15 12:00 China time: the whole of 2026 is over.
    static let after2026: Int64 = 1_799_985_600
    static let may2026: Int64 = 1_780_000_000

    static func assessor() throws -> StaffActor {
        let json = """
            {"key_id":"\(String(repeating: "a", count: 32))","name":"考核员","role":"assessor","centre":"city","unit":"city-office",
             "public_key":"\(Data(repeating: 0, count: 32).base64EncodedString())","enrolled_at":0,"enrolled_by":"t"}
            """
        return StaffActor(member: try JSONDecoder().decode(StaffMember.self, from: Data(json.utf8)), request: Data("signed".utf8),
                          signature: Data(repeating: 7, count: 64))
    }

    @Test("A finished year: overdue and late tips, a missed call, silent months; adjust, freeze, then nothing changes")
    func finishedYear() async throws {
        #expect(CivilTime.chinaYear(Self.after2026) == 2027 && CivilTime.chinaYear(Self.may2026) == 2026)
        let fixture = try TemporaryDatabase()
        let tips = SQLiteTipStore(database: fixture.database, signer: fixture.signer, maxBatch: 1)
        let store = TriageStore(database: fixture.database, signer: fixture.signer, policies: TriageScaleTests.policies, centreKeys: [:])
        var references: [String] = []
        for offset in [0, 10, 20] {
            var tip = try fixture.newTip(receivedAt: Self.may2026 + Int64(offset))
            tip.dueAt = Self.may2026 + 86_400
            references.append(try await tips.insert(tip).reference.rawValue)
        }
        let acted = references
        try await fixture.database.writer.write { db in
            // One acted on in time, one late; the third never acted on and past due (S-4.1).
            try db.execute(sql: "UPDATE tip SET acted_at = ?, acted_on_time = 1 WHERE reference = ?", arguments: [Self.may2026 + 600, acted[1]])
            try db.execute(sql: "UPDATE tip SET acted_at = ?, acted_on_time = 0 WHERE reference = ?", arguments: [Self.may2026 + 200_000, acted[2]])
            try db.execute(sql: "INSERT INTO info_call(id, topic, kind, due_on, units, opened_at, opened_by) VALUES ('YG-2026-01', '调研', 'research', '2026-06-30', 'nanming-office', ?, 'x')",
                           arguments: [Self.may2026])
            try db.execute(sql: "INSERT INTO info_zero_report(unit, period, filed_at, filed_by) VALUES ('nanming-office', '2026-Q1', ?, 'x')", arguments: [Self.may2026])
        }
        let draft = try await store.assessment(year: 2026, at: Self.after2026)
        let nanming = try #require(draft.units.first { $0.unit == "nanming-office" })
        func score(_ id: String) -> (Int?, Int)? { nanming.scores.first { $0.criterion == id }.map { ($0.measure, $0.points) } }
        // Hand-computed: tips 1 on time of 3 acted on or overdue = 33% → 3; overdue 2 → −2; the call missed → −2;
        // silent 12 − 3 = 9 months → −27, capped at −18; one zero report → 1; no research item → −10.
        #expect(score("tips-on-time")! == (33, 3) && score("tips-overdue")! == (2, -2) && score("calls-missed")! == (1, -2))
        #expect(score("silent-months")! == (9, -18) && score("zero-reports")! == (1, 1) && score("research-duty")! == (1, -10))
        #expect(nanming.total == 3 - 2 - 2 - 18 + 1 - 10)

        let actor = try Self.assessor()
        await #expect(throws: StoreError.self) {
            _ = try await store.adjustAssessment(AdjustAssessmentBody(year: 2026, unit: "nanming-office", criterion: "other", points: 3, reason: "  "), by: actor, at: Self.after2026)
        }
        await #expect(throws: StoreError.self) {
            _ = try await store.adjustAssessment(AdjustAssessmentBody(year: 2026, unit: "nanming-office", criterion: "other", points: 99, reason: "超限"), by: actor, at: Self.after2026)
        }
        _ = try await store.adjustAssessment(AdjustAssessmentBody(year: 2026, unit: "nanming-office", criterion: "other", points: 3, reason: "协助查办大案"),
                                             by: actor, at: Self.after2026)
        let adjusted = try await store.assessment(year: 2026, at: Self.after2026)
        #expect(adjusted.units.first { $0.unit == "nanming-office" }?.total == nanming.total + 3)
        await #expect(throws: StoreError.self, "a stale hash is refused") {
            _ = try await store.freezeAssessment(FreezeAssessmentBody(year: 2026, resultsSHA256: draft.resultsSHA256), by: actor, at: Self.after2026)
        }
        let frozen = try await store.freezeAssessment(FreezeAssessmentBody(year: 2026, resultsSHA256: adjusted.resultsSHA256), by: actor, at: Self.after2026)
        #expect(frozen.resultsSHA256 == adjusted.resultsSHA256 && frozen.units.map(\.unit) == adjusted.units.map(\.unit))
        await #expect(throws: StoreError.self) {
            _ = try await store.adjustAssessment(AdjustAssessmentBody(year: 2026, unit: "customs", criterion: "other", points: 1, reason: "补录"), by: actor, at: Self.after2026)
        }
        await #expect(throws: StoreError.self) {
            _ = try await store.freezeAssessment(FreezeAssessmentBody(year: 2026, resultsSHA256: adjusted.resultsSHA256), by: actor, at: Self.after2026)
        }
        // Later data changes nothing frozen.
        try await fixture.database.writer.write { db in
            try db.execute(sql: "INSERT INTO info_zero_report(unit, period, filed_at, filed_by) VALUES ('nanming-office', '2026-Q2', ?, 'x')", arguments: [Self.after2026])
        }
        let again = try await store.assessment(year: 2026, at: Self.after2026 + 86_400)
        #expect(again.state == "frozen" && again.resultsSHA256 == adjusted.resultsSHA256)
        // The rows refuse edits; the chain holds every entry.
        try await fixture.database.writer.write { db in
            #expect(throws: (any Error).self) { try db.execute(sql: "UPDATE assessment_result SET computed = 0") }
            #expect(throws: (any Error).self) { try db.execute(sql: "DELETE FROM assessment_total") }
            #expect(throws: (any Error).self) { try db.execute(sql: "INSERT INTO assessment_adjustment(year, unit, criterion, points, reason, recorded_at, recorded_by) VALUES (2026, 'customs', 'other', 1, 'x', 0, 'x')") }
        }
        let entries = try await fixture.database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT action FROM audit_entry WHERE action LIKE 'assess.%' ORDER BY seq")
        }
        #expect(entries == ["assess.adjust", "assess.freeze"])
        #expect(try fixture.verify().chainIntact)
    }
}
