import Foundation
import GRDB
import Sealing
public import TiplineCore

/// The centres' side of the store: staff, queues, status changes, routing, unsealing, retention.
///
/// Every change runs in one write transaction together with its audit entry (rule 3). Staff
/// actions carry the staff member's signed request into the entry.
public struct TriageStore: Sendable {
    /// The triage store's database.
    public let database: AppDatabase
    /// The server key that signs the audit entries.
    public let signer: AuditSigner
    /// The policies in force (centres, routing, timeliness, retention, …).
    public let policies: PolicySet
    /// The centres' key ids, current and former, shared with the rest of the server (a rotation
    /// changes them without a restart).
    public let keyBook: CentreKeyBook
    /// Current content/identity key ids by centre id: lets the store check wraps name only centre keys.
    public var centreKeys: [CentreID: (content: String, identity: String)] { keyBook.current }
    /// Content/registry key ids by unit id (issue 14): informant identities must be wrapped for the
    /// district office's registry key (and the city's identity key).
    public let unitKeys: [String: (content: String, registry: String?)]

    /// A store over `database`; `unitKeys` is empty for a deployment without the network.
    public init(database: AppDatabase, signer: AuditSigner, policies: PolicySet,
                centreKeys: [CentreID: (content: String, identity: String)],
                unitKeys: [String: (content: String, registry: String?)] = [:], keyBook: CentreKeyBook? = nil) {
        self.database = database
        self.signer = signer
        self.policies = policies
        self.keyBook = keyBook ?? CentreKeyBook(current: centreKeys)
        self.unitKeys = unitKeys
    }

    var city: CentreID { policies.centres.city.id }

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await database.writer.write(body)
        } catch {
            throw StoreError.wrap(error)
        }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await database.writer.read(body)
        } catch {
            throw StoreError.wrap(error)
        }
    }

    /// The tip row for `reference`, if the actor's centre may see it.
    func visibleTip(_ reference: String, to member: StaffMember, in db: Database) throws -> TipRecord {
        guard let tip = try TipRecord.filter(TipRecord.Columns.reference == reference).fetchOne(db) else {
            throw StoreError.notFound("tip \(reference)")
        }
        guard try isVisible(tip, to: member.centre, in: db) else {
            // Same answer as a missing tip: a district must not learn which references exist elsewhere.
            throw StoreError.notFound("tip \(reference)")
        }
        return tip
    }

    /// The city sees every tip; a district sees tips routed to it or copied to it.
    func isVisible(_ tip: TipRecord, to centre: CentreID, in db: Database) throws -> Bool {
        if centre == city || tip.centre == centre { return true }
        return try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM tip_copy WHERE tip_id = ? AND centre = ?)",
                                 arguments: [tip.id, centre.rawValue]) ?? false
    }

    /// Every centre the tip was ever routed to, plus copies and the city: the centres whose keys may hold wraps.
    func allowedCentres(tipID: Int64, in db: Database) throws -> Set<String> {
        var centres = Set(try String.fetchAll(db, sql: "SELECT centre FROM tip_route WHERE tip_id = ?", arguments: [tipID]))
        centres.formUnion(try String.fetchAll(db, sql: "SELECT centre FROM tip_copy WHERE tip_id = ?", arguments: [tipID]))
        centres.insert(city.rawValue)
        return centres
    }

    @discardableResult
    func audit(_ event: AuditEvent, at: Int64, in db: Database) throws -> AuditEntry {
        try AuditLog.append(event, at: at, signer: signer, in: db)
    }
}
