public import Foundation
import GRDB
import TiplineCore

/// The auditor's question in one command (issue 13, item 8): who did what, when, why — read from
/// the audit log alone, with the staff table for names. "Who opened this reporter's identity" is
/// `--tip REF --action unseal`.
public struct AuditLogQuery: Sendable {
    /// One entry as the auditor reads it.
    public struct Line: Sendable, Codable, Equatable {
        public let seq: Int64
        public let at: Int64
        /// `server`, or the staff key id.
        public let actor: String
        /// The staff member's name, role and centre when the actor is one (from the staff table).
        public let actorName: String?
        public let actorRole: String?
        public let actorCentre: String?
        public let action: String
        public let subject: String
        /// The entry's recorded reason, if it has one.
        public let reason: String?
        /// Every detail of the entry (flat strings, as stored).
        public let details: [String: String]
    }

    public var tip: String?
    public var action: String?
    public var staff: String?
    public var from: Int64?
    public var to: Int64?
    public var limit: Int

    public init(tip: String? = nil, action: String? = nil, staff: String? = nil, from: Int64? = nil, to: Int64? = nil, limit: Int = 1_000) {
        self.tip = tip
        self.action = action
        self.staff = staff
        self.from = from
        self.to = to
        self.limit = limit
    }

    /// The action names `--action` means: the wire name, or its last part (`unseal` → `tip.unseal`).
    static func actions(matching typed: String) -> [String] {
        let known = StaffAction.allCases.map(\.rawValue) + ServerAction.allCases.map(\.rawValue)
        let wanted = typed.lowercased()
        let matches = known.filter { $0 == wanted || $0.split(separator: ".").last.map(String.init) == wanted
            || auditActionLabel($0, .zh) == typed }
        return matches.isEmpty ? [wanted] : Array(Set(matches)).sorted()
    }

    /// The entries that match, oldest first (at most `limit`, the most recent ones).
    public func run(database file: URL) throws(AuditError) -> [Line] {
        let database = try ReadOnlyDatabase(file)
        return try database.read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let tip {
                conditions.append("e.subject = ?")
                arguments += [tip]
            }
            if let action {
                let names = Self.actions(matching: action)
                conditions.append("e.action IN (\(names.map { _ in "?" }.joined(separator: ",")))")
                arguments += StatementArguments(names)
            }
            if let staff {
                conditions.append("(e.actor = ? OR e.actor IN (SELECT key_id FROM staff WHERE name = ?))")
                arguments += [staff, staff]
            }
            if let from {
                conditions.append("e.at >= ?")
                arguments += [from]
            }
            if let to {
                conditions.append("e.at < ?")
                arguments += [to]
            }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            let sql = """
                SELECT * FROM (
                  SELECT e.seq, e.at, e.actor, e.action, e.subject, e.details, s.name, s.role, s.centre
                  FROM audit_entry e LEFT JOIN staff s ON s.key_id = e.actor \(filter)
                  ORDER BY e.seq DESC LIMIT ?) ORDER BY seq
                """
            arguments += [max(1, min(limit, 100_000))]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                let details = FlatJSON.parse(row["details"] as String? ?? "{}") ?? [:]
                return Line(seq: row["seq"], at: row["at"], actor: row["actor"], actorName: row["name"], actorRole: row["role"],
                            actorCentre: row["centre"], action: row["action"], subject: row["subject"],
                            reason: details["reason"], details: details)
            }
        }
    }
}
