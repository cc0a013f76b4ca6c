import Foundation
import GRDB
import Sealing
@testable import Accounting
@testable import LedgerModel
import TiplineCore

/// A staff member with a real Ed25519 key, signing each request the way the admin CLI would.
struct TestStaff: Sendable {
    let key: Ed25519PrivateKey
    let role: StaffRole

    init(_ role: StaffRole) {
        key = Ed25519PrivateKey.generate()
        self.role = role
    }

    var keyID: String { key.publicKey.keyID }

    /// A signed request whose bytes describe the action (opaque to the ledger).
    func action(_ text: String, role: StaffRole? = nil) -> SignedStaffRequest {
        let request = Array("tipline-admin:v1:\(text)".utf8)
        let signature = (try? key.signature(for: request)) ?? []
        return SignedStaffRequest(keyID: keyID, role: role ?? self.role, request: Data(request), signature: Data(signature))
    }
}

/// A ledger in a fresh temporary directory, with four staff members; removed on deinit.
final class LedgerFixture: @unchecked Sendable {
    static let t0: Int64 = 1_767_225_600 // 2026-01-01T00:00:00Z
    static let day: Int64 = 86_400

    let directory: URL
    let ledger: Ledger
    let triage = TestStaff(.triage)
    let supervisorA = TestStaff(.supervisor)
    let supervisorB = TestStaff(.supervisor)
    let accountant = TestStaff(.accountant)
    /// Remuneration and subsidies (issue 17): an editor and an assessor propose, a second accountant approves.
    let editor = TestStaff(.editor)
    let assessor = TestStaff(.assessor)
    let accountantB = TestStaff(.accountant)
    private var keyCounter = 0

    init(policy: RewardPolicy = .standard, payments: RemunerationPolicy? = .standard) throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("tipline-ledger-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        ledger = try Ledger(path: directory.appendingPathComponent("ledger.sqlite").path, policy: policy, payments: payments)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    var path: String { directory.appendingPathComponent("ledger.sqlite").path }

    var signers: [String: Ed25519PublicKey] {
        Dictionary(uniqueKeysWithValues: [triage, supervisorA, supervisorB, accountant, editor, assessor, accountantB]
            .map { ($0.keyID, $0.key.publicKey) })
    }

    /// A fresh, unique idempotency key.
    func key(_ label: String = "cmd") -> String {
        keyCounter += 1
        return "test-\(label)-\(keyCounter)-\(UUID().uuidString)"
    }

    static let verifiedTip = TipFacts(status: "verified", duplicateOf: nil, wantsReward: true)
    static let administrative = RewardBasis(kind: .administrative)

    @discardableResult
    func fund(_ yuan: Int64, at now: Int64 = t0) throws -> JournalEntry {
        try ledger.fund(amount: Fen.yuan(yuan)!, memo: "budget line 2026", by: accountant.action("fund \(yuan)"),
                        idempotencyKey: key("fund"), now: now)
    }

    @discardableResult
    func propose(_ reference: String, yuan: Int64, outcome: RewardBasis = administrative,
                 tip: TipFacts = verifiedTip, by staff: TestStaff? = nil, at now: Int64 = t0) throws -> Reward {
        try ledger.propose(reference: reference, centre: "nanming", outcome: outcome, amount: Fen.yuan(yuan)!, tip: tip,
                           proposer: (staff ?? triage).action("propose \(reference) \(yuan)"),
                           idempotencyKey: key("propose"), now: now)
    }

    func approve(_ reference: String, by staff: TestStaff? = nil, at now: Int64 = t0) throws -> VoucherIssue {
        try ledger.approve(reference: reference, approver: (staff ?? supervisorB).action("approve \(reference)"),
                           idempotencyKey: IdempotencyKey.generate(), now: now, seal: seal)
    }

    /// Stands in for the reporter's key: the server seals each code to it; the ledger file never holds it.
    let reporterKey = SecretKey.random256()

    /// The `seal` the server passes: here AES-GCM under `reporterKey`.
    var seal: (VoucherCode) throws -> Data {
        let key = reporterKey
        return { code in Data(try AESGCM.sealCombined(Array(code.text.utf8), key: key, aad: [])) }
    }

    /// Opens what `seal` made (the reporter's side).
    func open(_ sealed: Data?) -> VoucherCode? {
        guard let sealed, let plain = try? AESGCM.openCombined(Array(sealed), key: reporterKey, aad: []) else { return nil }
        return VoucherCode(parsing: String(decoding: plain, as: UTF8.self))
    }

    func redeem(_ code: String, at now: Int64 = t0) throws -> Redemption {
        try ledger.redeem(code: code, accountant: accountant.action("redeem"), idempotencyKey: key("redeem"), now: now)
    }

    /// Runs raw SQL on the ledger file through a separate connection, as an intruder with
    /// write access to the file would (tamper tests drop the triggers first).
    func tamper(_ sql: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in try db.execute(sql: sql) }
        try queue.close()
    }

    /// Runs raw SQL in one transaction that is rolled back if any statement fails.
    func tamperInTransaction(_ sql: String) throws {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        try queue.write { db in try db.execute(sql: sql) }
    }

    /// Drops every trigger of the ledger (the first step of any serious tampering).
    func dropTriggers() throws {
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            for name in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger'") {
                try db.execute(sql: "DROP TRIGGER \(name)")
            }
        }
        try queue.close()
    }
}
