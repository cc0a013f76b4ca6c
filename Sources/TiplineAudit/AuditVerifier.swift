import Foundation
import GRDB
import Sealing
import TiplineCore
import TiplineStore

/// `audit verify`: proves from the data alone — no private key — that the audit chain is whole,
/// that every entry was signed by the server and every staff action by its actor's enrolled key,
/// that each action was allowed, that every tip's envelope has exactly the recipients its routing
/// history allows, and that the checkpoints outside the database vouch for the chain
/// (docs/AUDIT.md). It reads the database read-only and streams the chain through one cursor.
public struct AuditVerifier: Sendable {
    /// Called now and then with (entries done, entries in all).
    public typealias Progress = @Sendable (Int64, Int64) -> Void

    /// What is verified.
    public let sources: AuditSources

    /// A verifier of `sources`.
    public init(sources: AuditSources) {
        self.sources = sources
    }

    /// Runs every check and reports each with a count and its first failure.
    /// - Throws: `AuditError` only when the data cannot be read at all.
    public func verify(progress: Progress? = nil) throws(AuditError) -> AuditReport {
        let started = Date()
        let keys = try KeyDirectory(sources: sources)
        let database = try ReadOnlyDatabase(sources.database)
        var replay = ChainReplay(keys: keys)
        let checkpoints = CheckpointReader.read(sources.checkpointLog)
        let tips: Int = try database.read { db in
            let total = try Int64.fetchOne(db, sql: "SELECT max(seq) FROM audit_entry") ?? 0
            // One track per tip: sized from the table, not from `seq`, which a damaged log could inflate.
            replay.tips.reserveCapacity(try Int.fetchOne(db, sql: "SELECT count(*) FROM tip") ?? 0)
            let cursor = try Row.fetchCursor(db, sql: """
                SELECT \(AuditColumn.selectList) FROM audit_entry ORDER BY seq
                """)
            var lastReport = Date()
            while let row = try cursor.next() {
                try replay.consume(row)
                if replay.entries % 4096 == 0, let progress, Date().timeIntervalSince(lastReport) >= 1 {
                    lastReport = Date()
                    progress(replay.entries, total)
                }
            }
            progress?(replay.entries, total)
            // The tip tables and checkpoints are checked while the last signatures are verified.
            replay.checkCheckpoints(checkpoints, in: db)
            replay.checkLedger(sources.ledgerDatabase, checkpointReader: checkpoints)
            try replay.checkVouchers(db)
            let tips = try replay.checkTipTables(db)
            replay.checkKeyGenerations()
            try replay.checkEnvelopeWraps(db)
            try replay.checkInformants(db)
            try replay.checkItems(db)
            try replay.checkReports(db)
            try replay.checkCityDesk(db)
            try replay.checkBooks(db)
            try replay.checkAssessment(db)
            replay.flushSignatures()
            return tips
        }
        var notes = replay.notes
        if sources.checkpointLog == nil { notes.append("no checkpoint file") }
        return AuditReport(
            entries: replay.entries, tips: tips, headSeq: replay.lastSeq, headHash: Hex.encode(replay.lastHash),
            checks: [replay.chain.result, replay.signatures.result, replay.authority.result, replay.envelopes.result,
                     replay.checkpoints.result, replay.ledger.result],
            notes: notes, seconds: Date().timeIntervalSince(started))
    }
}
