public import LedgerModel
import TiplineCore
import Foundation
import GRDB

extension Ledger {
    /// The largest single top-up (¥100,000,000), so that running balances can never overflow.
    public static let maximumTopUp = Fen(10_000_000_000)

    /// Tops up a fund — the reward fund, the information fund or the subsidy fund (`into`):
    /// Dr appropriation / Cr that fund.
    ///
    /// - Parameters:
    ///   - amount: positive, at most `maximumTopUp`.
    ///   - memo: a short note (e.g. the budget line), at most 200 characters.
    ///   - actor: a role the permission table allows to fund rewards (`StaffAction.fundRewards`: accountants), with the signed request.
    ///   - idempotencyKey: the same key with the same request returns the same entry and posts nothing.
    ///   - now: UTC seconds.
    /// - Returns: the `fund` journal entry.
    public func fund(amount: Fen, memo: String, by actor: SignedStaffRequest, idempotencyKey: String,
                     now: Int64, into account: LedgerAccount) async throws(LedgerError) -> JournalEntry {
        guard LedgerAccount.funds.contains(account) else { throw .invalidArgument("only a fund can be topped up") }
        try Self.checkAmount(amount)
        guard amount <= Self.maximumTopUp else { throw .invalidArgument("a top-up is at most \(Self.maximumTopUp)") }
        try Self.checkMemo(memo)
        try Self.checkTime(now)
        try actor.validate()
        guard StaffAction.fundRewards.allows(actor.role) else {
            throw .roleNotAllowed(action: "top up the reward fund", role: actor.role)
        }
        let key = try CommandKey(idempotencyKey)
        let requestHash = Self.requestHash("fund") { out in
            out.int(amount.rawValue)
            out.text(memo)
            Self.encode(actor, into: &out)
            if account != .fund { out.text(account.rawValue) }  // the reward fund keeps its original request hash
        }
        return try await write { db in
            if let command = try Self.replay(key, kind: "fund", requestHash: requestHash, db) {
                return try Self.entry(seq: Int64(command.result) ?? 0, db)
            }
            let seq = try Self.nextSeq(db)
            var action = ActionRecord(id: nil, kind: .fund, at: now, keyID: actor.keyID, role: actor.role.rawValue,
                                      request: actor.request, signature: actor.signature, entrySeq: seq)
            try action.insert(db)
            let record = try Self.post(
                kind: .fund, at: now, rewardID: nil, actor: actor.keyID, memo: memo,
                evidence: Self.fundEvidence(action, amount: amount.rawValue),
                lines: [(.appropriation, .debit, amount.rawValue), (account, .credit, amount.rawValue)], db)
            try Self.remember(key, kind: "fund", requestHash: requestHash, result: String(record.seq), at: now, db)
            return try Self.entry(record, db)
        }
    }
}
