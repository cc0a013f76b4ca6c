import GRDB

extension AppDatabase {
    /// Appends a `policies.loaded` entry when the policies' combined hash differs from the last one
    /// recorded, so the audit log says which rules were in force for every later entry.
    public func recordPoliciesIfChanged(_ details: [String: String], combined: String, signer: AuditSigner, at: Int64) throws {
        try writer.write { db in
            let last = try String.fetchOne(db, sql: """
                SELECT json_extract(details, '$.combined') FROM audit_entry
                WHERE action = 'policies.loaded' ORDER BY seq DESC LIMIT 1
                """)
            guard last != combined else { return }
            try AuditLog.append(AuditEvent(server: .policiesLoaded, subject: "policies", details: details),
                                at: at, signer: signer, in: db)
        }
    }
}
