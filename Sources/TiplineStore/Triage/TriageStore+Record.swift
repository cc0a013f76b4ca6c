import Foundation
import GRDB
import TiplineCore

extension TriageStore {
    /// Stores a tip a triage officer recorded (`POST tips/record`, issue 15): in one transaction, the
    /// tip exactly as intake stores it (reference, row with its channel, route, copies, fields, wraps,
    /// the server's signed `tip.received` entry) and, right after it, the officer's `tip.record` entry
    /// (actor the officer, subject the new reference, details the channel and the record id) with the
    /// signed request. The receipt never reaches the store: only the row's verifier, salt and locator
    /// hash, as for every tip. `StoreError.receiptLocatorInUse`: nothing was written, issue a new receipt.
    public func recordTip(_ tip: NewTip, by actor: StaffActor) async throws(StoreError) -> StoredTip {
        let digest = tip.digest
        let signer = self.signer
        return try await write { db in
            // The officer's machine chose the record id the identity is bound to: it must be new.
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM tip WHERE uid = ?", arguments: [tip.uid]) == true {
                throw StoreError.conflict("the record id is already in use; record the tip again")
            }
            let stored = try SQLiteTipStore.insert(tip, digest: digest, signer: signer, in: db)
            _ = try self.audit(actor.event(.recordTip, subject: stored.reference.rawValue,
                                           details: ["channel": tip.channel.rawValue, "uid": tip.uid]),
                               at: tip.receivedAt, in: db)
            return stored
        }
    }
}
