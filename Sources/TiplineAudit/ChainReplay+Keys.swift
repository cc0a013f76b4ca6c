import Foundation
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
            if hashed.isEmpty || hashed != references {
                envelopes.fail(seq: seq, subject: subject, "keys.rewrap: the wrap hashes do not name exactly the tips the entry lists")
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
        if !rotation.rotated.isEmpty || !rotation.retired.isEmpty {
            notes.append("key rotation: \(rotation.rotated.count) keys rotated in, \(rotation.retired.count) retired")
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
