import Foundation
import GRDB
import Sealing
import TiplineCore
import TiplineStore

/// One `ledger.*` / `reward.approve` audit entry's claim about a posting in the reward ledger.
struct LedgerClaim {
    let seq: Int64
    /// The journal kind the entry stands for: `fund`, `approve`, `redeem` or `expire`.
    let kind: String
    let subject: String
    let amountFen: Int64?
    /// The journal entries it names (`ledger_entry`, or `ledger_entries` for a staff expiry); empty for old server expiries.
    let entries: [Int64]
}

extension ChainReplay {
    /// Remembers what a ledger-related entry says was posted.
    mutating func noteLedgerClaim(seq: Int64, action: String, subject: String, details: [String: String]) {
        // A voucher copy stored for its holder (a reporter's reward, an informant's remuneration) with this entry.
        if let hash = details["voucher_envelope_hash"], details["declined"] != "1",
           [StaffAction.approveReward.rawValue, StaffAction.approvePayment.rawValue, ServerAction.ledgerReconciled.rawValue].contains(action) {
            let key = details["payment_id"].map { "payment:\($0)" } ?? "tip:\(subject)"
            if voucherClaims[key] != nil { ledger.fail(seq: seq, subject: subject, "a second voucher recorded for \(key)") }
            voucherClaims[key] = (seq, hash)
        }
        guard LedgerClaimingAction.names.contains(action) else { return }
        let kind: String
        switch action {
        case StaffAction.fundRewards.rawValue: kind = "fund"
        case StaffAction.approveReward.rawValue:
            if details["declined"] == "1" { return }  // a decline posts nothing
            kind = "approve"
        case StaffAction.redeemVoucher.rawValue: kind = details["payment_id"] != nil ? "payment-redeem" : "redeem"
        case StaffAction.expireVouchers.rawValue: kind = "expire"
        // Remuneration and subsidies (issue 17).
        case StaffAction.approvePayment.rawValue:
            if details["declined"] == "1" { return }
            kind = "payment-approve"
        case StaffAction.payPayment.rawValue: kind = "payment-pay"
        // A posting found at start-up without its entry (the server recorded it then): it names its kind.
        case ServerAction.ledgerReconciled.rawValue:
            guard let named = details["kind"], ["fund", "approve", "redeem", "expire", "payment-approve", "payment-pay",
                                                "payment-redeem", "payment-expire"].contains(named) else { return }
            kind = named
            notes.append("ledger.reconciled #\(seq): ledger entry \(details["ledger_entry"] ?? "?") was recorded at start-up, after the server stopped between the ledger's commit and the audit entry's")
        default: return
        }
        let named = (details["ledger_entry"] ?? details["ledger_entries"] ?? "").split(separator: ",").compactMap { Int64($0) }
        if kind == "expire", subject == "ledger", details["ledger_entries"] == nil, details["expired"] != "0" {
            notes.append("ledger.expire #\(seq) predates per-posting details; its postings are matched by reference and amount")
        }
        ledgerClaims.append(LedgerClaim(seq: seq, kind: kind, subject: subject, amountFen: details["amount_fen"].flatMap { Int64($0) },
                                        entries: named))
    }

    /// Cross-checks the reward ledger (`ledger.sqlite`, read with plain SQL) against the audit chain:
    /// every posting (fund, approve, redeem, expire) has the audit entry that records it, with the
    /// same amount and tip reference, and every such audit entry names a posting that exists; and
    /// every checkpoint's ledger head names a journal entry that still has that hash.
    mutating func checkLedger(_ file: URL?, checkpointReader: CheckpointReader) {
        guard let file, FileManager.default.fileExists(atPath: file.path) else {
            if !ledgerClaims.isEmpty {
                notes.append("\(ledgerClaims.count) ledger entries in the audit log, but no ledger.sqlite beside the database: the ledger was not cross-checked")
            }
            return
        }
        struct Posting { let seq: Int64; let kind: String; let total: Int64; let memo: String; let hash: String }
        var postings: [Int64: Posting] = [:]
        do {
            let database = try ReadOnlyDatabase(file)
            try database.read { db in
                let rows = try Row.fetchCursor(db, sql: "SELECT seq, kind, total, memo, hash FROM journal_entry ORDER BY seq")
                while let row = try rows.next() {
                    let seq: Int64 = row[0]
                    postings[seq] = Posting(seq: seq, kind: row[1], total: row[2], memo: row[3], hash: Hex.encode(row[4] as Data))
                }
            }
        } catch {
            ledger.fail(seq: nil, subject: "ledger.sqlite", "the ledger cannot be read: \(error)")
            return
        }

        ledger.checked += 1  // the ledger file itself was read
        // Checkpoints carrying the ledger's head: that journal entry still has that hash.
        for line in checkpointReader.lines {
            guard let checkpoint = line.checkpoint, let head = checkpoint.ledger, head.seq > 0,
                  checkpoint.isValid(under: keys.server) else { continue }
            checkpoints.checked += 1
            let place = "checkpoints.log:\(line.number)"
            guard let posting = postings[head.seq] else {
                checkpoints.fail(seq: checkpoint.seq, subject: place,
                                 "the ledger has no entry #\(head.seq), but a checkpoint vouches for it (the ledger was truncated or rolled back)")
                continue
            }
            if posting.hash != head.hash {
                checkpoints.fail(seq: checkpoint.seq, subject: place, "ledger entry #\(head.seq) is not the one the checkpoint vouched for (the ledger was rewritten)")
            }
        }

        // Audit → ledger.
        var claimed: [Int64: Int64] = [:]  // journal seq → audit seq
        var unnamedExpiries: [LedgerClaim] = []
        for claim in ledgerClaims {
            ledger.checked += 1
            if claim.entries.isEmpty {
                if claim.kind == "expire", claim.subject != "ledger" {
                    unnamedExpiries.append(claim)
                } else if claim.kind != "expire" {
                    ledger.fail(seq: claim.seq, subject: claim.subject, "the \(claim.kind) entry names no ledger posting")
                }
                continue
            }
            for entry in claim.entries {
                guard let posting = postings[entry] else {
                    ledger.fail(seq: claim.seq, subject: claim.subject, "names ledger entry #\(entry), which the ledger does not have")
                    continue
                }
                if let earlier = claimed[entry] {
                    ledger.fail(seq: claim.seq, subject: claim.subject, "ledger entry #\(entry) is already recorded by audit entry #\(earlier)")
                }
                claimed[entry] = claim.seq
                // A sweep lapses informants' remuneration vouchers too (`payment-expire`, issue 17).
                if posting.kind != claim.kind && !(claim.kind == "expire" && posting.kind == "payment-expire") {
                    ledger.fail(seq: claim.seq, subject: claim.subject, "ledger entry #\(entry) is a \(posting.kind), not a \(claim.kind)")
                }
                if claim.entries.count == 1, let amount = claim.amountFen, amount != posting.total {
                    ledger.fail(seq: claim.seq, subject: claim.subject, "amount \(amount) fen, but ledger entry #\(entry) posted \(posting.total) fen")
                }
                if claim.kind != "fund", claim.subject != "ledger", posting.memo != claim.subject {
                    ledger.fail(seq: claim.seq, subject: claim.subject, "ledger entry #\(entry) is for \(posting.memo)")
                }
            }
        }

        // Ledger → audit.
        for posting in postings.values.sorted(by: { $0.seq < $1.seq }) where posting.kind != "restore" && posting.kind != "payment-restore" {
            ledger.checked += 1
            if claimed[posting.seq] != nil { continue }
            if posting.kind == "expire" || posting.kind == "payment-expire",
               let index = unnamedExpiries.firstIndex(where: { $0.subject == posting.memo && $0.amountFen == posting.total }) {
                unnamedExpiries.remove(at: index)
                continue
            }
            ledger.fail(seq: nil, subject: "ledger #\(posting.seq)",
                        "ledger entry #\(posting.seq) (\(posting.kind), \(posting.total) fen) has no audit entry")
        }
        for claim in unnamedExpiries {
            ledger.fail(seq: claim.seq, subject: claim.subject, "an expiry the ledger did not post")
        }
    }

    /// The voucher copies against the log: every stored copy (`tip_voucher` for reporters, `informant_voucher`
    /// for informants) is byte for byte the envelope an approval (or a start-up reconciliation) recorded, and
    /// every recorded copy is there — so a copy swapped for one sealed to another key, or withheld, fails.
    mutating func checkVouchers(_ db: Database) throws {
        var stored: [String: Data] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT t.reference, v.envelope FROM tip_voucher v JOIN tip t ON t.id = v.tip_id") {
            stored["tip:" + (row["reference"] as String)] = row["envelope"]
        }
        if try db.tableExists("informant_voucher") {
            for row in try Row.fetchAll(db, sql: "SELECT payment_id, envelope FROM informant_voucher") {
                stored["payment:\(row["payment_id"] as Int64)"] = row["envelope"]
            }
        }
        for (key, envelope) in stored.sorted(by: { $0.key < $1.key }) {
            ledger.checked += 1
            guard let claim = voucherClaims[key] else {
                ledger.fail(seq: nil, subject: key, "a voucher copy no audit entry records")
                continue
            }
            if Hashing.sha256Hex(Array(envelope)) != claim.hash {
                ledger.fail(seq: claim.seq, subject: key, "the stored voucher copy differs from the one its entry recorded")
            }
        }
        for (key, claim) in voucherClaims.sorted(by: { $0.key < $1.key }) where stored[key] == nil {
            ledger.fail(seq: claim.seq, subject: key, "a voucher copy recorded is missing from the database")
        }
    }
}
