import Foundation
import GRDB
import Sealing
import TiplineCore

/// Centre key rotation as the chain tells it (`keys.rotate`, `keys.rewrap`, `keys.retire`): which key of
/// each centre and class was current at each point, who rotated and retired what and when.
struct KeyRotationTrack {
    /// The current key id per slot (`centre index * 2 + identity`) at this point of the chain.
    var current: [String]
    /// Keys registered by a rotation: the entry, when, and the administrator.
    var rotated: [String: (seq: Int64, at: Int64, actor: String)] = [:]
    /// Keys superseded, by the entry that did it.
    var superseded: [String: Int64] = [:]
    /// Keys retired: the entry, when, and the administrator.
    var retired: [String: (seq: Int64, at: Int64, actor: String)] = [:]
    /// Wraps re-wraps added to messages, notes and files (`envelope_wrap`), by `uid|keyid`.
    var envelopeWraps: [String: EnvelopeWrapClaim] = [:]

    /// What a `keys.rewrap` entry says it added to a message, note or file.
    struct EnvelopeWrapClaim {
        let kind: String
        let reference: String
        let keyID: String
        let hash: String
        let actor: String
        let seq: Int64
    }

    init(keys: KeyDirectory) { current = keys.initialKeyID }

    static func slot(_ centre: Int, _ keyClass: KeyClass) -> Int { 2 * centre + (keyClass == .identity ? 1 : 0) }

    /// The key of `centre`/`keyClass` current at this point.
    func currentKey(_ centre: Int, _ keyClass: KeyClass) -> String { current[Self.slot(centre, keyClass)] }
}

extension ChainReplay {
    /// A `keys.*` staff entry (the role was checked by the caller): rotations follow one another from the
    /// keys init made, each agreeing with keys.json; a re-wrap is by a holder of that centre's key of that
    /// class, from a superseded key not yet retired, for the key current at the time, on tips that held a
    /// wrap for that centre and class; a retirement retires a superseded key once.
    mutating func applyKeyAction(seq: Int64, at: Int64, actor: String, member: StaffHistory.Member, action: String, subject: String,
                                 details: [String: String]) {
        guard let centre = keys.centreIndex[subject] else {
            authority.fail(seq: seq, subject: subject, "\(action) for an unknown centre")
            return
        }
        guard let keyClass = details["key_class"].flatMap(KeyClass.init(rawValue:)) else {
            authority.fail(seq: seq, subject: subject, "\(action) without a key class")
            return
        }
        let slot = KeyRotationTrack.slot(centre, keyClass)
        func owned(_ keyID: String?) -> Bool {
            guard let keyID, let key = keys.keys[keyID] else { return false }
            return key.centre == centre && key.keyClass == keyClass
        }
        switch action {
        case "keys.rotate":
            let old = details["old_key"], new = details["new_key"] ?? ""
            if old != rotation.current[slot] {
                authority.fail(seq: seq, subject: subject, "keys.rotate supersedes \(old ?? "?"), but \(rotation.current[slot]) was current")
            }
            guard owned(new), let generation = keys.generations[new] else {
                authority.fail(seq: seq, subject: subject, "keys.rotate registers \(new), which keys.json does not list as a \(keyClass.rawValue) key of \(subject)")
                return
            }
            if details["public_key"] != generation.publicKey { authority.fail(seq: seq, subject: subject, "keys.rotate of a public key other than keys.json's") }
            if generation.sinceSeq != seq { authority.fail(seq: seq, subject: subject, "keys.json says \(new) came at #\(generation.sinceSeq.map(String.init) ?? "init"), not this entry") }
            if let old, keys.generations[old]?.supersededSeq != seq || keys.generations[old]?.supersededBy != new {
                authority.fail(seq: seq, subject: subject, "keys.json does not record \(old) as superseded by \(new) at this entry")
            }
            if rotation.rotated[new] != nil { authority.fail(seq: seq, subject: subject, "key \(new) registered twice") }
            rotation.rotated[new] = (seq, at, actor)
            if let old { rotation.superseded[old] = seq }
            rotation.current[slot] = new
        case "keys.retire":
            let key = details["key_id"] ?? ""
            if !owned(key) || rotation.superseded[key] == nil {
                authority.fail(seq: seq, subject: subject, "keys.retire of \(key), which is no superseded \(keyClass.rawValue) key of \(subject)")
            }
            if rotation.retired[key] != nil { authority.fail(seq: seq, subject: subject, "keys.retire of \(key), retired before") }
            if keys.generations[key]?.retiredSeq != seq { authority.fail(seq: seq, subject: subject, "keys.json does not record \(key) as retired at this entry") }
            rotation.retired[key] = (seq, at, actor)
        case "keys.rewrap":
            let holds: Set<StaffRole> = keyClass == .content ? [.triage, .supervisor] : [.identityHolder]
            if member.centre != subject || !(member.role.map(holds.contains) ?? false) {
                authority.fail(seq: seq, subject: subject, "keys.rewrap by \(member.roleName)@\(member.centre), who holds no \(subject) \(keyClass.rawValue) key")
            }
            let old = details["old_key"] ?? "", new = details["new_key"] ?? ""
            if !owned(old) || rotation.superseded[old] == nil { envelopes.fail(seq: seq, subject: subject, "keys.rewrap from \(old), which was no superseded key of \(subject)") }
            if let retired = rotation.retired[old] { envelopes.fail(seq: seq, subject: subject, "keys.rewrap from \(old), retired at #\(retired.seq)") }
            if new != rotation.current[slot] { envelopes.fail(seq: seq, subject: subject, "keys.rewrap for \(new), which was not the current key") }
            let bit = KeyDirectory.bit(centre: centre, keyClass)
            let references = (details["tips"] ?? "").split(separator: ",").map(String.init)
            var hashed: [String] = []
            for item in (details["wrap_hashes"] ?? "").split(separator: ",") {
                guard let colon = item.lastIndex(of: ":"), item[item.index(after: colon)...].utf8.count == 64 else {
                    envelopes.fail(seq: seq, subject: subject, "malformed wrap hash \(item)")
                    continue
                }
                let reference = String(item[..<colon])
                hashed.append(reference)
                guard var track = tips[reference] else {
                    envelopes.fail(seq: seq, subject: reference, "keys.rewrap of a tip that was never received")
                    continue
                }
                if track.wraps & bit == 0 {
                    envelopes.fail(seq: seq, subject: reference, "keys.rewrap added a \(keyClass.rawValue) wrap for \(subject), which held none of the tip")
                }
                if track.contentDestroyed || (keyClass == .identity && track.identityDestroyed) {
                    envelopes.fail(seq: seq, subject: reference, "keys.rewrap after the tip's \(keyClass.rawValue) was destroyed")
                }
                track.laterWraps.append(.init(key: "\(keyClass.rawValue):\(new)", hash: String(item[item.index(after: colon)...]), actor: actor, seq: seq))
                tips[reference] = track
            }
            if hashed != references {
                envelopes.fail(seq: seq, subject: subject, "keys.rewrap: the wrap hashes do not name exactly the tips the entry lists")
            }
            // Messages, notes and files: `kind:uid:reference:sha256hex` (content keys only).
            let records = (details["records"] ?? "").split(separator: ",")
            if hashed.isEmpty && records.isEmpty { envelopes.fail(seq: seq, subject: subject, "keys.rewrap that added nothing") }
            for item in records {
                let parts = item.split(separator: ":").map(String.init)
                guard parts.count == 4, ["message", "note", "file"].contains(parts[0]), parts[3].utf8.count == 64, keyClass == .content else {
                    envelopes.fail(seq: seq, subject: subject, "malformed re-wrapped record \(item)")
                    continue
                }
                guard let track = tips[parts[2]] else {
                    envelopes.fail(seq: seq, subject: parts[2], "keys.rewrap of a \(parts[0]) of a tip that was never received")
                    continue
                }
                if track.wraps & bit == 0 {
                    envelopes.fail(seq: seq, subject: parts[2], "keys.rewrap added a wrap for \(subject) to a \(parts[0]) of a tip it held no wrap of")
                }
                if track.contentDestroyed { envelopes.fail(seq: seq, subject: parts[2], "keys.rewrap of a \(parts[0]) after the content was destroyed") }
                let key = "\(parts[1])|\(new)"
                if rotation.envelopeWraps[key] != nil { envelopes.fail(seq: seq, subject: parts[2], "a second wrap for \(new) added to \(parts[0]) \(parts[1])") }
                rotation.envelopeWraps[key] = .init(kind: parts[0], reference: parts[2], keyID: new, hash: parts[3], actor: actor, seq: seq)
            }
        default:
            authority.fail(seq: seq, subject: subject, "\(action) is not an action the server records")
        }
    }

    /// After the chain: every rotated or retired key in keys.json has its entry (a key keys.json lists as
    /// rotated in or retired with no entry, or an entry keys.json does not reflect, fails).
    mutating func checkKeyGenerations() {
        for (keyID, generation) in keys.generations.sorted(by: { $0.key < $1.key }) {
            if generation.sinceSeq != nil, rotation.rotated[keyID] == nil {
                authority.fail(seq: generation.sinceSeq, subject: keyID, "keys.json lists \(keyID) as rotated in, but no keys.rotate entry registered it")
            }
            if let retired = generation.retiredSeq, rotation.retired[keyID] == nil {
                authority.fail(seq: retired, subject: keyID, "keys.json lists \(keyID) as retired, but no keys.retire entry retired it")
            }
            if generation.supersededSeq != nil, rotation.superseded[keyID] == nil {
                authority.fail(seq: generation.supersededSeq, subject: keyID, "keys.json lists \(keyID) as superseded, but no keys.rotate entry superseded it")
            }
        }
        for (slot, keyID) in rotation.current.enumerated() where !keyID.isEmpty {
            let current = slot % 2 == 0 ? keys.contentKeyID[slot / 2] : keys.identityKeyID[slot / 2]
            if current != keyID {
                authority.fail(seq: nil, subject: keys.centres[slot / 2], "keys.json's current key \(current) is not the one the chain ends with (\(keyID))")
            }
        }
        // Who rotated and retired what, and when (China time), for the report.
        for (keyID, event) in rotation.rotated.sorted(by: { $0.value.seq < $1.value.seq }) {
            let owner = keys.keys[keyID].map { "\(keys.centres[$0.centre]) \($0.keyClass.rawValue)" } ?? "?"
            let old = keys.generations.first { $0.value.supersededBy == keyID }?.key ?? "?"
            notes.append("key rotation #\(event.seq) \(CivilTime.chinaDisplay(event.at)) by \(event.actor): \(owner) \(old) → \(keyID)")
        }
        for (keyID, event) in rotation.retired.sorted(by: { $0.value.seq < $1.value.seq }) {
            notes.append("key retired #\(event.seq) \(CivilTime.chinaDisplay(event.at)) by \(event.actor): \(keyID)")
        }
    }

    /// After the chain: every wrap a re-wrap added to a message, note or file (`envelope_wrap`) is one a
    /// `keys.rewrap` entry recorded — same record, tip, key, bytes (SHA-256) and actor, on a record that
    /// exists — and every recorded one is stored unless retention destroyed the tip's content.
    mutating func checkEnvelopeWraps(_ db: Database) throws {
        guard try db.tableExists("envelope_wrap") else { return }
        var seen = Set<String>()
        let rows = try Row.fetchCursor(db, sql: """
            SELECT e.record_kind, e.record_uid, t.reference, e.key_class, e.recipient_key_id, e.centre, e.sealed, e.added_by
            FROM envelope_wrap e LEFT JOIN tip t ON t.id = e.tip_id ORDER BY e.tip_id, e.record_uid
            """)
        let tables = ["message": "tip_message", "note": "tip_note", "file": "tip_evidence_added"]
        while let row = try rows.next() {
            envelopes.checked += 1
            let kind: String = row[0], uid: String = row[1], reference: String? = row[2], keyID: String = row[4], centre: String = row[5]
            let subject = reference ?? uid
            let sealed: [UInt8] = try row.withUnsafeData(atIndex: 6) { $0.map(Array.init) ?? [] }
            let key = "\(uid)|\(keyID)"
            seen.insert(key)
            guard let claim = rotation.envelopeWraps[key] else {
                if let retired = rotation.retired[keyID] {
                    envelopes.fail(seq: retired.seq, subject: subject, "a wrap for the retired key \(keyID) on \(kind) \(uid) that no entry before its retirement added")
                } else {
                    envelopes.fail(seq: nil, subject: subject, "a wrap for \(keyID) on \(kind) \(uid) that no keys.rewrap entry added")
                }
                continue
            }
            func fail(_ problem: String) { envelopes.fail(seq: claim.seq, subject: subject, problem) }
            if Hashing.sha256Hex(sealed) != claim.hash { fail("the \(keyID) wrap of \(kind) \(uid) differs from the hash recorded when \(claim.actor) added it (entry #\(claim.seq))") }
            if claim.kind != kind || claim.reference != reference { fail("the \(keyID) wrap of \(uid) is filed under another record or tip than its entry says") }
            if (row[7] as String) != claim.actor { fail("the \(keyID) wrap of \(kind) \(uid) says added by \(row[7] as String), not \(claim.actor)") }
            if (row[3] as String) != KeyClass.content.rawValue || keys.keys[keyID].map({ keys.centres[$0.centre] }) != centre {
                fail("the \(keyID) wrap of \(kind) \(uid) is not filed under the content key's centre")
            }
            if let problem = wrapTimeProblem(keyID: keyID, seq: claim.seq) { fail(problem) }
            if let table = tables[kind], try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM \(table) WHERE uid = ?)", arguments: [uid]) != true {
                fail("a wrap for \(kind) \(uid), which is not stored")
            }
        }
        for (key, claim) in rotation.envelopeWraps.sorted(by: { $0.value.seq < $1.value.seq }) where !seen.contains(key) {
            if tips[claim.reference]?.contentDestroyed != true {
                envelopes.fail(seq: claim.seq, subject: claim.reference, "the wrap \(claim.actor) added to \(claim.kind) \(key.split(separator: "|").first ?? "") for \(claim.keyID) is missing")
            }
        }
    }

    /// Whether a wrap for `keyID` added by entry `seq` came before the key existed or after it was retired.
    func wrapTimeProblem(keyID: String, seq: Int64) -> String? {
        if let rotated = rotation.rotated[keyID], seq < rotated.seq {
            return "a wrap for \(keyID) added at #\(seq), before the key was registered (#\(rotated.seq))"
        }
        if let retired = rotation.retired[keyID], seq > retired.seq {
            return "a wrap for \(keyID) added at #\(seq), after the key was retired (#\(retired.seq))"
        }
        return nil
    }
}
