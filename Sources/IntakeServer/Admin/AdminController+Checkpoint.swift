import Accounting
import LedgerModel
import Foundation
import Hummingbird
import Sealing
import TiplineAdminAPI
import TiplineCore
import TiplineStore

/// `GET /admin/v1/audit/checkpoint` (issue 11, item 10): a fresh signed checkpoint of the audit
/// chain's and the reward ledger's heads, for an auditor to keep on their own machine
/// (`tipline-admin audit checkpoint pull`). With `audit_seq` / `ledger_seq` (the auditor's last
/// checkpoint) it also answers the hash each chain has *now* at that point, so the pull can tell at
/// once whether history was rewritten since. The checkpoint is appended to `data/checkpoints.log` too.
extension AdminController {
    func registerCheckpoint(on v1: RouterGroup<TiplineRequestContext>) {
        v1.on(.checkpoint) { request, context in
            try await handle(context, .exportAudit) { _, _ in
                guard let checkpoints else { throw APIError(status: .notFound, code: "not_found", message: "no checkpoints here") }
                let query = request.uri.queryParameters
                func seq(_ name: String) throws -> Int64? {
                    guard let text = query.get(name) else { return nil }
                    guard text.utf8.count <= 19, let value = Int64(text), value >= 0 else {
                        throw APIError(status: .badRequest, code: "invalid", message: "\(name) must be a sequence number")
                    }
                    return value
                }
                let auditSeq = try seq("audit_seq")
                let ledgerSeq = try seq("ledger_seq")
                let checkpoint = try checkpoints.append(try await checkpoints.heads())
                var auditHash: String?
                if let auditSeq {
                    auditHash = auditSeq == 0 ? Hex.encode(AuditLog.genesisHash) : try await store.auditHash(at: auditSeq).map { Hex.encode($0) }
                }
                var ledgerHash: String?
                if let ledgerSeq, let ledger = checkpoints.ledger, ledgerSeq > 0 {
                    ledgerHash = try await ledger.journal(from: ledgerSeq, limit: 1).first.flatMap { $0.seq == ledgerSeq ? $0.hash : nil }
                }
                return try JSONResponse.json(.ok, CheckpointAnswer(checkpoint: checkpoint, auditHashAt: auditHash, ledgerHashAt: ledgerHash))
            }
        }
    }
}
