public import Foundation
import GRDB
import Sealing
import TiplineCore
import TiplineDeployment
import TiplineStore

/// `audit export DIR`: everything an outside auditor needs to re-verify the deployment with a second
/// implementation, in plain files (docs/AUDIT.md, "Export"): the public keys, the policies and their
/// hashes, the staff keys with their enrolment history (from the audit entries), the checkpoints,
/// the audit table as JSON lines, every tip's routing and wraps, and this implementation's report.
/// Nothing in it is secret: wraps are HPKE ciphertext of data keys, and no sealed field is exported.
public struct AuditExporter: Sendable {
    /// The format name written to `export.json`.
    public static let format = "tipline-audit-export-v1"

    /// What is exported.
    public let sources: AuditSources

    /// An exporter of `sources`.
    public init(sources: AuditSources) {
        self.sources = sources
    }

    /// Writes the export into `directory`, which must not exist yet or be empty. Returns the report
    /// of the verification that ran alongside.
    public func export(to directory: URL, progress: AuditVerifier.Progress? = nil) throws(AuditError) -> AuditReport {
        let started = Date()
        let fm = FileManager.default
        if let existing = try? fm.contentsOfDirectory(atPath: directory.path), !existing.isEmpty {
            throw .input("\(directory.path) is not empty")
        }
        do {
            try fm.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw .io("cannot create \(directory.path)")
        }
        let keys = try KeyDirectory(sources: sources)
        let database = try ReadOnlyDatabase(sources.database)
        var replay = ChainReplay(keys: keys)
        let checkpoints = CheckpointReader.read(sources.checkpointLog)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dataEncodingStrategy = .base64

        let auditFile = try LineWriter(directory.appendingPathComponent("audit.jsonl"))
        let tipsFile = try LineWriter(directory.appendingPathComponent("tips.jsonl"))
        let tips: Int = try database.read { db in
            let total = try Int64.fetchOne(db, sql: "SELECT max(seq) FROM audit_entry") ?? 0
            var names: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT key_id, name FROM staff") { names[row["key_id"]] = row["name"] }
            let cursor = try Row.fetchCursor(db, sql: """
                SELECT \(AuditColumn.selectList) FROM audit_entry ORDER BY seq
                """)
            var lastReport = Date()
            while let row = try cursor.next() {
                let entry = ExportedEntry(
                    seq: row[AuditColumn.seq.index], at: row[AuditColumn.at.index], actor: row[AuditColumn.actor.index],
                    action: row[AuditColumn.action.index], subject: row[AuditColumn.subject.index], details: row[AuditColumn.details.index],
                    request: row[AuditColumn.request.index], requestSignature: row[AuditColumn.requestSignature.index],
                    prevHash: Hex.encode(row[AuditColumn.prevHash.index] as Data), hash: Hex.encode(row[AuditColumn.hash.index] as Data),
                    signerKeyID: row[AuditColumn.signerKeyID.index], signature: row[AuditColumn.signature.index],
                    actorName: names[row[AuditColumn.actor.index] as String], atChina: CivilTime.iso8601China(row[AuditColumn.at.index]))
                try auditFile.write(try encoder.encode(entry))
                try replay.consume(row)
                if let progress, replay.entries % 4096 == 0, Date().timeIntervalSince(lastReport) >= 1 {
                    lastReport = Date()
                    progress(replay.entries, total)
                }
            }
            replay.flushSignatures()
            replay.checkCheckpoints(checkpoints, in: db)
            replay.checkLedger(sources.ledgerDatabase, checkpointReader: checkpoints)
            let count = try replay.checkTipTables(db)
            let rows = try Row.fetchCursor(db, sql: "SELECT id, reference, centre, status, has_identity, identity_shredded_at, content_shredded_at FROM tip ORDER BY id")
            while let row = try rows.next() {
                let id: Int64 = row[0]
                let tip = ExportedTip(
                    reference: row[1], centre: row[2], status: row[3], hasIdentity: row[4],
                    identityShreddedAt: row[5], contentShreddedAt: row[6],
                    routes: try String.fetchAll(db, sql: "SELECT centre FROM tip_route WHERE tip_id = ? ORDER BY seq", arguments: [id]),
                    copies: try String.fetchAll(db, sql: "SELECT centre FROM tip_copy WHERE tip_id = ? ORDER BY centre", arguments: [id]),
                    wraps: try Row.fetchAll(db, sql: "SELECT key_class, recipient_key_id, centre, sealed FROM tip_wrap WHERE tip_id = ? ORDER BY key_class, recipient_key_id",
                                            arguments: [id]).map {
                        ExportedTip.Wrap(keyClass: $0[0], recipientKeyID: $0[1], centre: $0[2], sealed: $0[3])
                    })
                try tipsFile.write(try encoder.encode(tip))
            }
            return count
        }
        try auditFile.close()
        try tipsFile.close()

        let staffFile = try LineWriter(directory.appendingPathComponent("staff.jsonl"))
        for keyID in replay.staff.order {
            guard let member = replay.staff[keyID] else { continue }
            let staff = ExportedStaff(keyID: keyID, publicKey: Hex.encode(member.key.rawRepresentation), role: member.roleName,
                                      centre: member.centre, enrolledSeq: member.enrolledSeq, enrolledAt: member.enrolledAt,
                                      enrolledBy: member.enrolledBy, revokedSeq: member.revokedSeq, revokedAt: member.revokedAt,
                                      revokedBy: member.revokedBy)
            do { try staffFile.write(try encoder.encode(staff)) } catch { throw .io("cannot write staff.jsonl") }
        }
        try staffFile.close()

        var notes = replay.notes
        if sources.checkpointLog == nil { notes.append("no checkpoint file") }
        let report = AuditReport(
            entries: replay.entries, tips: tips, headSeq: replay.lastSeq, headHash: Hex.encode(replay.lastHash),
            checks: [replay.chain.result, replay.signatures.result, replay.authority.result, replay.envelopes.result,
                     replay.checkpoints.result, replay.ledger.result],
            notes: notes, seconds: Date().timeIntervalSince(started))

        let pretty = JSONEncoder()
        pretty.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            try pretty.encode(sources.manifest).write(to: directory.appendingPathComponent("keys.json"))
            var hashes = sources.policyHashes
            if let deployment = sources.deployment {
                hashes["combined"] = deployment.policies.combinedHash
                let policies = directory.appendingPathComponent("policies")
                try fm.createDirectory(at: policies, withIntermediateDirectories: true)
                for name in PolicySet.fileNames {
                    try fm.copyItem(at: deployment.layout.policiesDir.appendingPathComponent(name), to: policies.appendingPathComponent(name))
                }
            }
            try pretty.encode(hashes).write(to: directory.appendingPathComponent("policy-hashes.json"))
            if let log = sources.checkpointLog {
                try fm.copyItem(at: log, to: directory.appendingPathComponent("checkpoints.log"))
            }
            try pretty.encode(report).write(to: directory.appendingPathComponent("report.json"))
            let manifest = ExportManifest(
                format: Self.format, exportedAt: ISO8601.string(fromSeconds: Int64(Date().timeIntervalSince1970)),
                deployment: sources.deployment?.config.name, city: sources.city, centres: sources.centres,
                checkpointIntervalSeconds: sources.checkpointIntervalSeconds, entries: replay.entries, tips: tips,
                headSeq: replay.lastSeq, headHash: Hex.encode(replay.lastHash),
                files: try Self.fileHashes(in: directory))
            try pretty.encode(manifest).write(to: directory.appendingPathComponent("export.json"))
        } catch let error as AuditError {
            throw error
        } catch {
            throw .io("cannot write the export into \(directory.path)")
        }
        return report
    }

    /// SHA-256 of every file written so far, by relative path.
    private static func fileHashes(in directory: URL) throws -> [String: String] {
        var result: [String: String] = [:]
        for file in DataScanner.files(under: directory) {
            var hasher = SHA256Hasher()
            let handle = try FileHandle(forReadingFrom: file.url)
            defer { try? handle.close() }
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(Array(chunk)) }
            result[file.name] = Hex.encode(hasher.finalize())
        }
        return result
    }
}

/// Buffered writing of JSON lines.
final class LineWriter {
    private let handle: FileHandle
    private var buffer = Data()
    private let name: String

    init(_ url: URL) throws(AuditError) {
        name = url.lastPathComponent
        guard FileManager.default.createFile(atPath: url.path, contents: nil),
              let handle = try? FileHandle(forWritingTo: url) else { throw .io("cannot create \(url.lastPathComponent)") }
        self.handle = handle
        buffer.reserveCapacity(1 << 20)
    }

    func write(_ line: Data) throws(AuditError) {
        buffer.append(line)
        buffer.append(0x0A)
        if buffer.count >= 1 << 20 { try flush() }
    }

    func flush() throws(AuditError) {
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            throw .io("cannot write \(name)")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws(AuditError) {
        try flush()
        try? handle.close()
    }
}
