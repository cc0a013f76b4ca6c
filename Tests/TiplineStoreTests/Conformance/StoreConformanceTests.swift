import Foundation
import Sealing
import Testing
import TiplineAdminAPI
import TiplineCore
import TiplineStore

/// The contract of the store protocols (issue 12, item 10), written against the protocols alone —
/// this file imports TiplineStore without `@testable` and touches no SQL — and run against every
/// implementation in `StoreImplementation.all`.
@Suite("Store conformance: what every implementation of the store protocols must do")
struct StoreConformanceTests {
    static let now: Int64 = 1_780_000_000

    /// Fresh stores with their first administrator (city).
    struct World {
        let stores: StoresUnderTest
        let admin: StaffActor
        var tips: any TipStore { stores.tips }
        var centre: any CentreStore { stores.centre }

        init(_ implementation: StoreImplementation) async throws {
            stores = try implementation.make(TriageScaleTests.policies, AuditSigner(key: .generate()))
            let key = Ed25519PrivateKey.generate()
            try await stores.centre.bootstrapAdministrator(name: "admin", centre: "city", publicKey: key.publicKey.rawRepresentation, at: now)
            let member = try #require(try await stores.centre.staffMember(key.publicKey.keyID))
            admin = Self.actor(member)
        }

        /// A staff member's request as the server hands it to a store (its signature already checked).
        static func actor(_ member: StaffMember) -> StaffActor {
            StaffActor(member: member, request: Data("signed request".utf8), signature: Data(repeating: 1, count: 64))
        }

        /// Enrols a member of a role that one administrator may approve.
        func enrol(_ name: String, _ role: StaffRole, centre: String) async throws -> StaffActor {
            let request = try EnrolmentRequest.make(name: name, role: role, centre: centre, key: .generate(), at: now)
            guard case .enrolled(let member) = try await self.centre.enrol(request, by: admin, at: now) else {
                throw StoreError.conflict("\(role.rawValue) took a second approval")
            }
            return Self.actor(member)
        }

        /// Stores a tip routed to `centre`; returns its reference.
        func tip(_ centre: CentreID, receivedAt: Int64 = now) async throws -> String {
            try await tips.insert(TipFixtures.sealed(receivedAt: receivedAt, centre: centre)).reference.rawValue
        }
    }

    @Test("Staff: the first administrator once, enrol, refuse a second enrolment of a key, replayed nonces, revoke; each change one audit entry",
          arguments: StoreImplementation.all)
    func staff(_ implementation: StoreImplementation) async throws {
        let world = try await World(implementation)
        let centre = world.centre
        #expect(try await centre.listStaff().map(\.role) == [.admin])
        let start = try await centre.lastAuditSeq()
        #expect(start == 1)
        // A second bootstrap does nothing: staff exist.
        try await centre.bootstrapAdministrator(name: "other", centre: "city", publicKey: Ed25519PrivateKey.generate().publicKey.rawRepresentation, at: Self.now)
        #expect(try await centre.listStaff().count == 1)
        #expect(try await centre.lastAuditSeq() == start)

        let key = Ed25519PrivateKey.generate()
        let request = try EnrolmentRequest.make(name: "officer", role: .triage, centre: "nanming", key: key, at: Self.now)
        guard case .enrolled(let officer) = try await centre.enrol(request, by: world.admin, at: Self.now + 1) else {
            Issue.record("a triage officer took a second approval"); return
        }
        #expect(officer.role == .triage && officer.centre == "nanming" && officer.keyID == key.publicKey.keyID && officer.isActive)
        #expect(try await centre.staffMember(officer.keyID) == officer)
        #expect(try await centre.lastAuditSeq() == start + 1)
        await #expect(throws: StoreError.self) { try await centre.enrol(request, by: world.admin, at: Self.now + 2) }
        #expect(try await centre.lastAuditSeq() == start + 1)

        #expect(try await centre.recordNonce(keyID: officer.keyID, nonce: "n-1", at: Self.now))
        #expect(try await !centre.recordNonce(keyID: officer.keyID, nonce: "n-1", at: Self.now + 1))

        try await centre.revoke(keyID: officer.keyID, reason: "left the centre", by: world.admin, at: Self.now + 3)
        let revoked = try #require(try await centre.staffMember(officer.keyID))
        #expect(revoked.revokedAt == Self.now + 3 && !revoked.isActive && revoked.wasValid(at: Self.now + 2))
        #expect(try await centre.lastAuditSeq() == start + 2)
        #expect(try await centre.staffMember(String(repeating: "0", count: 32)) == nil)
    }

    @Test("Tips: a stored tip is found by its receipt's locator and shown for follow-up; reporter messages and files are added with an entry each, and a file beyond the cap changes nothing",
          arguments: StoreImplementation.all)
    func tips(_ implementation: StoreImplementation) async throws {
        let world = try await World(implementation)
        let tip = try TipFixtures.sealed(centre: "nanming")
        let stored = try await world.tips.insert(tip)
        let locator = try #require(tip.receipt.locatorHash)
        let found = try #require(try await world.tips.receipt(locatorHash: locator))
        #expect(found.tipID == stored.id && found.record.verifier == tip.receipt.verifier)
        #expect(try await world.tips.receipt(locatorHash: SecureRandom.bytes(32)) == nil)

        let view = try #require(try await world.tips.followup(tipID: stored.id))
        #expect(view.reference == stored.reference && view.status == .received && view.centre == "nanming" && view.messages.isEmpty)
        #expect(try await world.tips.followup(tipID: stored.id + 1_000) == nil)

        let head = try await world.centre.lastAuditSeq()
        try await world.tips.addReporterMessage(tipID: stored.id, uid: Hex.encode(SecureRandom.bytes(16)), envelope: Data("{}".utf8), at: Self.now + 1)
        #expect(try await world.tips.followup(tipID: stored.id)?.messages.map(\.author) == ["reporter"])
        #expect(try await world.centre.lastAuditSeq() == head + 1)

        let file = { (uid: Hex.encode(SecureRandom.bytes(16)), envelope: Data("{}".utf8)) }
        #expect(try await world.tips.addReporterEvidence(tipID: stored.id, files: [file(), file()], maxFiles: 3, at: Self.now + 2) == 2)
        #expect(try await world.centre.lastAuditSeq() == head + 3)
        await #expect(throws: StoreError.conflict("a tip has at most 3 files")) {
            try await world.tips.addReporterEvidence(tipID: stored.id, files: [file(), file()], maxFiles: 3, at: Self.now + 3)
        }
        #expect(try await world.centre.lastAuditSeq() == head + 3)
        #expect(try await world.tips.followup(tipID: stored.id)?.addedEvidence == 2)
    }

    @Test("Visibility: a district sees its own tips, the city every tip; another district's tip answers not-found, like a missing one",
          arguments: StoreImplementation.all)
    func visibility(_ implementation: StoreImplementation) async throws {
        let world = try await World(implementation)
        let nanmingTip = try await world.tip("nanming")
        let cityTip = try await world.tip("city")
        #expect(try await world.tips.tipCount() == 2)
        let district = try await world.enrol("nanming-officer", .triage, centre: "nanming")
        let city = try await world.enrol("city-officer", .triage, centre: "city")

        #expect(try await world.centre.queue(TriageStore.QueueFilter(), for: district.member).map(\.reference) == [nanmingTip])
        #expect(Set(try await world.centre.queue(TriageStore.QueueFilter(), for: city.member).map(\.reference)) == [nanmingTip, cityTip])
        #expect(try await world.centre.detail(nanmingTip, for: district.member).summary.reference == nanmingTip)

        for reference in [cityTip, "2026-999999"] {
            await #expect(throws: StoreError.notFound("tip \(reference)")) { try await world.centre.detail(reference, for: district.member) }
            await #expect(throws: StoreError.self) { try await world.centre.requireVisible(reference, to: district.member) }
        }
        #expect(try await world.centre.visibleReferences([nanmingTip, cityTip], to: district.member) == [nanmingTip])
    }

    @Test("Status changes follow S-5.1: allowed moves change the tip with one audit entry each; a refused move or a change to a closed tip changes nothing",
          arguments: StoreImplementation.all)
    func statusChanges(_ implementation: StoreImplementation) async throws {
        let world = try await World(implementation)
        let reference = try await world.tip("nanming")
        let officer = try await world.enrol("officer", .triage, centre: "nanming")
        let centre = world.centre
        let start = try await centre.lastAuditSeq()

        await #expect(throws: StoreError.self) {
            try await centre.changeStatus(reference, StatusChange(to: .verified), by: officer, at: Self.now + 1)
        }
        #expect(try await centre.lastAuditSeq() == start)
        #expect(try await centre.detail(reference, for: officer.member).summary.status == .received)

        #expect(try await centre.changeStatus(reference, StatusChange(to: .rejected, reason: "not in scope"), by: officer, at: Self.now + 2) == .rejected)
        #expect(try await centre.lastAuditSeq() == start + 1)
        #expect(try await centre.changeStatus(reference, StatusChange(to: .closed), by: officer, at: Self.now + 3) == .closed)
        #expect(try await centre.lastAuditSeq() == start + 2)
        let closed = try await centre.detail(reference, for: officer.member)
        #expect(closed.summary.status == .closed && closed.resolution == TipStatus.rejected.rawValue)

        await #expect(throws: StoreError.conflict("the tip is closed")) {
            try await centre.changeUrgency(reference, to: .major, reason: "late news", by: officer, at: Self.now + 4)
        }
        #expect(try await centre.lastAuditSeq() == start + 2)
    }

    @Test("The audit trail: the head moves by one per entry, hashes exist exactly up to it, the feed shows intake and server events",
          arguments: StoreImplementation.all)
    func auditTrail(_ implementation: StoreImplementation) async throws {
        let world = try await World(implementation)
        let centre = world.centre
        let reference = try await world.tip("nanming")
        let head = try await centre.lastAuditSeq()
        #expect(head == 2)
        #expect(try await centre.auditHash(at: head)?.count == 32)
        #expect(try await centre.auditHash(at: head + 1) == nil)
        #expect(try await centre.auditHash(at: head - 1) != centre.auditHash(at: head))

        let feed = try await centre.eventSources(after: 0)
        #expect(feed.contains { $0.action == ServerAction.tipReceived.rawValue && $0.subject == reference })
        #expect(feed.map(\.seq) == feed.map(\.seq).sorted())
        #expect(try await centre.eventSources(after: head).isEmpty)

        try await centre.recordServerEvent(.vouchersExpired, subject: "ledger", details: ["count": "0"], at: Self.now + 5)
        #expect(try await centre.lastAuditSeq() == head + 1)
    }

    @Test("Retention leaves open and recent tips alone and writes nothing when nothing is due",
          arguments: StoreImplementation.all)
    func retentionNothingDue(_ implementation: StoreImplementation) async throws {
        let world = try await World(implementation)
        _ = try await world.tip("nanming")
        let head = try await world.centre.lastAuditSeq()
        let result = try await world.centre.applyRetention(at: Self.now + 3_650 * 86_400)
        #expect(result.identitiesShredded.isEmpty && result.contentsShredded.isEmpty)
        #expect(try await world.centre.lastAuditSeq() == head)
    }
}
