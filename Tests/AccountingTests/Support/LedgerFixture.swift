import Foundation
import GRDB
import Sealing
import Testing
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

/// One implementation of `RewardLedger` under test, and how to open a fresh, empty one of it.
///
/// `RewardLedgerConformanceTests.implementations` lists them; every other ledger test runs on
/// `.sqlite`. A second implementation (PostgreSQL) is one more value with its own `make`.
struct RewardLedgerImplementation: Sendable, CustomTestStringConvertible {
    /// Its name in test results.
    let name: String
    /// Opens a fresh, empty ledger under `policy` and `payments`. `scratch` is a new, empty directory
    /// removed after the test: an implementation that keeps a file puts it there; others ignore it.
    let make: @Sendable (_ scratch: URL, _ policy: RewardPolicy, _ payments: RemunerationPolicy?) throws -> any RewardLedger

    var testDescription: String { name }

    /// The SQLite (GRDB) `Ledger`, in `scratch/ledger.sqlite`.
    static let sqlite = RewardLedgerImplementation(name: "SQLite (GRDB) Ledger") { scratch, policy, payments in
        try Ledger(path: scratch.appendingPathComponent("ledger.sqlite").path, policy: policy, payments: payments)
    }
}

/// A ledger in a fresh temporary directory, with seven staff members; removed on deinit.
final class LedgerFixture: @unchecked Sendable {
    static let t0: Int64 = 1_767_225_600 // 2026-01-01T00:00:00Z
    static let day: Int64 = 86_400

    let directory: URL
    /// The ledger under test, as the server holds it.
    let subject: any RewardLedger
    let triage = TestStaff(.triage)
    let supervisorA = TestStaff(.supervisor)
    let supervisorB = TestStaff(.supervisor)
    let accountant = TestStaff(.accountant)
    /// Remuneration and subsidies (issue 17): an editor and an assessor propose, a second accountant approves.
    let editor = TestStaff(.editor)
    let assessor = TestStaff(.assessor)
    let accountantB = TestStaff(.accountant)
    private var keyCounter = 0

    init(policy: RewardPolicy = .standard, payments: RemunerationPolicy? = .standard,
         implementation: RewardLedgerImplementation = .sqlite) throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("tipline-ledger-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        do {
            subject = try implementation.make(directory, policy, payments)
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// The SQLite implementation, for the tests of its file, pragmas and read-only opening (not for
    /// the conformance suite, which sees only `subject`).
    var ledger: Ledger {
        guard let ledger = subject as? Ledger else { preconditionFailure("this test needs the SQLite Ledger") }
        return ledger
    }

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

    /// Runs a ledger command and returns its result or its typed error.
    static func attempt<T>(_ body: () async throws(LedgerError) -> T) async -> Result<T, LedgerError> {
        do { return .success(try await body()) } catch { return .failure(error) }
    }

    static let verifiedTip = TipFacts(status: "verified", duplicateOf: nil, wantsReward: true)
    static let administrative = RewardBasis(kind: .administrative)

    @discardableResult
    func fund(_ yuan: Int64, at now: Int64 = t0) async throws -> JournalEntry {
        try await subject.fund(amount: Fen.yuan(yuan)!, memo: "budget line 2026", by: accountant.action("fund \(yuan)"),
                               idempotencyKey: key("fund"), now: now)
    }

    @discardableResult
    func propose(_ reference: String, yuan: Int64, outcome: RewardBasis = administrative,
                 tip: TipFacts = verifiedTip, by staff: TestStaff? = nil, at now: Int64 = t0) async throws -> Reward {
        try await subject.propose(reference: reference, centre: "nanming", outcome: outcome, amount: Fen.yuan(yuan)!, tip: tip,
                                  proposer: (staff ?? triage).action("propose \(reference) \(yuan)"),
                                  idempotencyKey: key("propose"), now: now)
    }

    func approve(_ reference: String, by staff: TestStaff? = nil, at now: Int64 = t0) async throws -> VoucherIssue {
        try await subject.approve(reference: reference, approver: (staff ?? supervisorB).action("approve \(reference)"),
                                  idempotencyKey: IdempotencyKey.generate(), now: now, seal: seal)
    }

    /// Stands in for the reporter's key: the server seals each code to it; the ledger file never holds it.
    let reporterKey = SecretKey.random256()

    /// The `seal` the server passes: here AES-GCM under `reporterKey`.
    var seal: VoucherSeal {
        let key = reporterKey
        return { code in Data(try AESGCM.sealCombined(Array(code.text.utf8), key: key, aad: [])) }
    }

    /// Opens what `seal` made (the reporter's side).
    func open(_ sealed: Data?) -> VoucherCode? {
        guard let sealed, let plain = try? AESGCM.openCombined(Array(sealed), key: reporterKey, aad: []) else { return nil }
        return VoucherCode(parsing: String(decoding: plain, as: UTF8.self))
    }

    func redeem(_ code: String, at now: Int64 = t0) async throws -> Redemption {
        try await subject.redeem(code: code, accountant: accountant.action("redeem"), idempotencyKey: key("redeem"), now: now)
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
