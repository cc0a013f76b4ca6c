import Foundation
import GRDB
import Sealing
import TiplineCore
import TiplineStore

/// The state of `verify` while it walks the chain once, in order: the chain link, the staff history
/// and every tip's history so far. Each entry is checked against the state *before* it (so "at the
/// time" means "at that point of the chain"), then applied.
struct ChainReplay {
    let keys: KeyDirectory

    var chain = AuditTally(.chain)
    var signatures = AuditTally(.signatures)
    var authority = AuditTally(.authority)
    var envelopes = AuditTally(.envelopes)
    var checkpoints = AuditTally(.checkpoints)
    var ledger = AuditTally(.ledger)
    var notes: [String] = []
    /// What the `ledger.*` / `reward.*` entries say was posted (checked against ledger.sqlite at the end).
    var ledgerClaims: [LedgerClaim] = []

    var entries: Int64 = 0
    var lastSeq: Int64 = 0
    var lastHash: [UInt8] = Array(AuditLog.genesisHash)
    var lastAt: Int64 = 0

    var staff = StaffHistory()
    var tips: [String: TipTrack] = [:]
    /// Files reporters added (`evidence.reporter`), by file uid: the entry, its tip and the sealed bytes' SHA-256.
    var addedEvidence: [String: (seq: Int64, subject: String, hash: String)] = [:]
    /// Reward proposals by subject (and reward id when given): the proposer's key id.
    var rewardProposers: [String: String] = [:]
    /// The voucher copies the log says were stored (`tip:<reference>`, `payment:<id>`): entry and envelope hash.
    var voucherClaims: [String: (seq: Int64, hash: String)] = [:]
    /// Who proposed each remuneration or subsidy payment (issue 17), by payment id.
    var paymentProposers: [String: String] = [:]
    /// First approvals of privileged enrolments (`staff.enrol-pending`) by enrolled key id: the first administrator.
    var pendingEnrolments: [String: String] = [:]
    /// First 8 bytes of every staff request signature seen: a repeat is a replayed request.
    var requestSignatures = Set<UInt64>()
    var batch = SignatureBatch()
    /// Informants and identity-opening requests as the entries tell them (issue 14).
    var network = NetworkTrack()
    /// Information items by reference (issue 15).
    var items: [String: ItemTrack] = [:]
    /// Informant reports by reference (issue 15).
    var reports: [String: ReportTrack] = [:]
    /// Bulletin issues by id (issue 16).
    var bulletins: [String: BulletinTrack] = [:]
    /// Ledger records by record id, and the zero reports filed (issue 16).
    var books = BooksTrack()
    /// Assessment adjustments and freezes (issue 17).
    var assessment = AssessmentTrack()
    /// Centre key rotations, re-wraps and retirements.
    var rotation: KeyRotationTrack
    /// Parsed `recipients` lists: a deployment has a few dozen distinct ones (one per routing), and
    /// parsing each of 10^6 again was a quarter of the replay's time. Bounded against hostile data.
    private var recipientLists: [String: (mask: UInt64, problem: String?)] = [:]

    private var canonical = CanonicalEncoder(domain: "tipline-audit-v1")
    private let serverSignaturePrefix = Array("tipline-audit-sig-v1:".utf8)

    init(keys: KeyDirectory) {
        self.keys = keys
        rotation = KeyRotationTrack(keys: keys)
    }

    /// One audit row (columns as selected by `AuditVerifier`).
    mutating func consume(_ row: Row) throws {
        let seq: Int64 = row[AuditColumn.seq.index]
        let at: Int64 = row[AuditColumn.at.index]
        entries += 1
        chain.checked += 1

        // 1. Chain: sequence, link, hash over the canonical bytes (AuditEntry.canonicalBytes).
        canonical.restart()
        canonical.int(seq)
        canonical.int(at)
        for column in AuditColumn.canonicalFields { try appendColumn(row, column.index) }
        let prevHash: [UInt8] = try row.withUnsafeData(atIndex: AuditColumn.prevHash.index) { $0.map(Array.init) ?? [] }
        canonical.fixed(prevHash)
        let hash = Hashing.sha256(canonical.bytes)
        let stored: [UInt8] = try row.withUnsafeData(atIndex: AuditColumn.hash.index) { $0.map(Array.init) ?? [] }

        if seq != lastSeq + 1 {
            chain.fail(seq: seq, subject: nil, seq > lastSeq + 1 ? "gap: entries #\(lastSeq + 1)–#\(seq - 1) are missing"
                                                                   : "sequence goes back from #\(lastSeq)")
        } else if prevHash != lastHash {
            chain.fail(seq: seq, subject: nil, "prev_hash is not the hash of entry #\(lastSeq)")
        }
        if hash != stored {
            chain.fail(seq: seq, subject: nil, "hash does not match the entry's contents")
        }
        lastSeq = seq
        lastHash = stored
        lastAt = at

        let actor: String = row[AuditColumn.actor.index]
        let action: String = row[AuditColumn.action.index]
        let subject: String = row[AuditColumn.subject.index]
        let signerKeyID: String = row[AuditColumn.signerKeyID.index]

        // 2. The server's signature on the entry (over the hash of what is there now).
        signatures.checked += 1
        if signerKeyID != keys.server.keyID {
            signatures.fail(seq: seq, subject: subject, "entry signed by \(signerKeyID), not the server key")
        } else {
            let signature: [UInt8] = try row.withUnsafeData(atIndex: AuditColumn.signature.index) { $0.map(Array.init) ?? [] }
            enqueue(.init(seq: seq, subject: subject, key: keys.server, message: serverSignaturePrefix + hash, signature: signature,
                          check: .signatures, problem: "the server's signature on the entry does not verify"))
        }

        guard let details = try row.withUnsafeData(atIndex: AuditColumn.details.index, { data in
            data.flatMap { data in data.withUnsafeBytes { FlatJSON.parse($0) } }
        }) else {
            authority.fail(seq: seq, subject: subject, "details are not a flat JSON object of strings")
            return
        }

        noteLedgerClaim(seq: seq, action: action, subject: subject, details: details)
        if actor == "server" {
            if try row.withUnsafeData(atIndex: AuditColumn.request.index, { $0 != nil }) {
                signatures.fail(seq: seq, subject: subject, "a server entry carries a staff request")
            }
            applyServerEntry(seq: seq, at: at, action: action, subject: subject, details: details)
        } else {
            let request: [UInt8]? = try row.withUnsafeData(atIndex: AuditColumn.request.index) { $0.map(Array.init) }
            let requestSignature: [UInt8]? = try row.withUnsafeData(atIndex: AuditColumn.requestSignature.index) { $0.map(Array.init) }
            applyStaffEntry(seq: seq, at: at, actor: actor, action: action, subject: subject, details: details,
                            request: request, requestSignature: requestSignature)
        }
    }

    /// Appends a text or blob column length-prefixed (NULL as empty), as `AuditEntry.canonicalBytes` does.
    private mutating func appendColumn(_ row: Row, _ index: Int) throws {
        try row.withUnsafeData(atIndex: index) { data in canonical.blob(data ?? Data()) }
    }

    mutating func enqueue(_ job: SignatureBatch.Job) {
        batch.add(job)
    }

    /// Waits for every queued signature and records the ones that do not verify (once, at the end).
    mutating func flushSignatures() {
        for job in batch.finish() {
            switch job.check {
            case .signatures: signatures.fail(seq: job.seq, subject: job.subject, job.problem)
            case .authority: authority.fail(seq: job.seq, subject: job.subject, job.problem)
            default: chain.fail(seq: job.seq, subject: job.subject, job.problem)
            }
        }
    }

    /// Entries the server records on its own: intake, reporter messages, policies, bootstrap, retention.
    mutating func applyServerEntry(seq: Int64, at: Int64, action: String, subject: String, details: [String: String]) {
        switch action {
        case ServerAction.tipReceived.rawValue:
            received(seq: seq, subject: subject, details: details)
        case ServerAction.reporterMessage.rawValue:
            authority.checked += 1
            if tips[subject] == nil { authority.fail(seq: seq, subject: subject, "reporter message on a tip that was never received") }
        case ServerAction.reporterEvidence.rawValue:
            authority.checked += 1
            guard let track = tips[subject] else {
                authority.fail(seq: seq, subject: subject, "reporter file on a tip that was never received")
                return
            }
            if track.contentDestroyed { envelopes.fail(seq: seq, subject: subject, "reporter file after the content was destroyed") }
            guard let uid = details["file"], uid.utf8.count == 32, let hash = details["envelope_hash"], hash.utf8.count == 64,
                  addedEvidence[uid] == nil else {
                envelopes.fail(seq: seq, subject: subject, "evidence.reporter without a new file id and envelope hash")
                return
            }
            addedEvidence[uid] = (seq, subject, hash)
        case ServerAction.informantReport.rawValue:
            reportFiled(seq: seq, subject: subject, details: details)
        case ServerAction.policiesLoaded.rawValue, ServerAction.legacyReceiptParameters.rawValue:
            break
        case ServerAction.vouchersExpired.rawValue, ServerAction.ledgerReconciled.rawValue:
            break  // the timer's expiries and start-up reconciliations: cross-checked against ledger.sqlite (checkLedger)
        case ServerAction.staffBootstrap.rawValue:
            authority.checked += 1
            guard let bootstrap = keys.bootstrap else {
                authority.fail(seq: seq, subject: subject, "staff.bootstrap but keys.json names no administrator")
                return
            }
            guard staff.isEmpty else {
                authority.fail(seq: seq, subject: subject, "staff.bootstrap after staff were already enrolled")
                return
            }
            guard subject == bootstrap.keyID, details["role"] == StaffRole.admin.rawValue else {
                authority.fail(seq: seq, subject: subject, "staff.bootstrap of a key other than the administrator in keys.json")
                return
            }
            staff.enrol(keyID: subject, .init(key: bootstrap.key, role: .admin, roleName: StaffRole.admin.rawValue,
                                              centre: details["centre"] ?? bootstrap.centre, enrolledSeq: seq, enrolledAt: at,
                                              enrolledBy: "server"))
        case ServerAction.identityDestroyed.rawValue:
            guard var track = tips[subject] else {
                envelopes.fail(seq: seq, subject: subject, "retention on a tip that was never received")
                return
            }
            // A tip never closed loses its identity a policy period after its last action (retention.yaml, while_open).
            if TipTrack.statuses[Int(track.status)] != "closed", details["after"] != "inactivity" {
                envelopes.fail(seq: seq, subject: subject, "identity destroyed on a tip that is not closed")
            }
            track.wraps &= KeyDirectory.contentBits
            track.identityDestroyed = true
            track.pendingIdentity = 0
            tips[subject] = track
        case ServerAction.contentDestroyed.rawValue:
            guard var track = tips[subject] else {
                envelopes.fail(seq: seq, subject: subject, "retention on a tip that was never received")
                return
            }
            if !track.identityDestroyed {
                envelopes.fail(seq: seq, subject: subject, "content destroyed before the identity")
            }
            track.wraps = 0
            track.contentDestroyed = true
            track.identityDestroyed = true
            tips[subject] = track
        default:
            if StaffAction(rawValue: action) != nil {
                signatures.fail(seq: seq, subject: subject, "staff action \(action) recorded without a staff request")
            } else {
                authority.fail(seq: seq, subject: subject, "unknown action \(action)")
            }
        }
    }

    /// `tip.received`: the intake's routing and recipients must agree: exactly both keys of the routed
    /// centre, its copies and the city; identity wraps only for identity keys.
    mutating func received(seq: Int64, subject: String, details: [String: String]) {
        guard tips[subject] == nil else {
            envelopes.fail(seq: seq, subject: subject, "a second tip.received for the same reference")
            return
        }
        guard let centreName = details["centre"], let centre = keys.centreIndex[centreName] else {
            envelopes.fail(seq: seq, subject: subject, "tip.received names no known centre")
            return
        }
        guard let copies = keys.centreMask(details["copies"] ?? "") else {
            envelopes.fail(seq: seq, subject: subject, "tip.received names an unknown copy centre")
            return
        }
        let (recipients, problem) = parsedRecipients(details["recipients"] ?? "")
        let allowedCentres = copies | (1 << UInt32(centre)) | (1 << UInt32(keys.city))
        let allowed = KeyDirectory.keys(ofCentres: allowedCentres)
        if let problem {
            envelopes.fail(seq: seq, subject: subject, "intake: \(problem)")
        } else if recipients & ~allowed != 0 {
            envelopes.fail(seq: seq, subject: subject,
                           "intake wrapped for \(keys.describe(recipients & ~allowed).joined(separator: ",")) outside the routing")
        } else if recipients != allowed {
            envelopes.fail(seq: seq, subject: subject,
                           "intake wraps missing for \(keys.describe(allowed & ~recipients).joined(separator: ","))")
        }
        var track = TipTrack(receivedSeq: seq, initialCentre: centre, centre: centre, routed: 1 << UInt32(centre), copies: copies,
                             wraps: recipients & allowed, hasIdentity: details["has_identity"] == "1")
        track.urgency = details["urgency"] ?? ""
        if let channel = details["channel"] {
            // Only a recorded tip names its channel (phone, letter, visit, email); a web tip names none.
            if let known = TipChannel(rawValue: channel), known != .web {
                track.channel = known
            } else {
                envelopes.fail(seq: seq, subject: subject, "tip.received names an unknown channel \(channel)")
            }
        }
        tips[subject] = track
    }

    /// `keys.parseRecipients(list)`, remembered for the first 4,096 distinct lists.
    mutating func parsedRecipients(_ list: String) -> (mask: UInt64, problem: String?) {
        if let known = recipientLists[list] { return known }
        let parsed = keys.parseRecipients(list)
        if recipientLists.count < 4096 { recipientLists[list] = parsed }
        return parsed
    }
}
