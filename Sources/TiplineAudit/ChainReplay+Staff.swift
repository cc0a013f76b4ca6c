import Foundation
import Sealing
import TiplineAdminAPI
import TiplineCore

extension ChainReplay {
    /// A staff action: the recorded request must be signed by the actor's key, enrolled and not revoked
    /// at this point of the chain, for exactly this action and subject, within 5 minutes of the entry;
    /// the action must be allowed for the actor's role and centre; then it is applied to the state.
    mutating func applyStaffEntry(seq: Int64, at: Int64, actor: String, action: String, subject: String,
                                  details: [String: String], request: [UInt8]?, requestSignature: [UInt8]?) {
        signatures.checked += 1
        authority.checked += 1
        guard let member = staff[actor] else {
            signatures.fail(seq: seq, subject: subject, "actor \(actor) is not a staff key enrolled before this entry")
            return
        }
        if let revoked = member.revokedSeq {
            signatures.fail(seq: seq, subject: subject, "actor \(actor) acted after its key was revoked at #\(revoked)")
        }
        checkRequest(seq: seq, at: at, member: member, action: action, subject: subject, details: details,
                     request: request, requestSignature: requestSignature)

        guard let staffAction = StaffAction(rawValue: action) else {
            authority.fail(seq: seq, subject: subject, "unknown staff action \(action)")
            return
        }
        guard let role = member.role, staffAction.allows(role) else {
            authority.fail(seq: seq, subject: subject, "the role \(member.roleName) may not \(action)")
            return
        }
        if details["role"] != member.roleName || details["centre"] != member.centre {
            authority.fail(seq: seq, subject: subject, "the entry records a role or centre other than the actor's enrolment")
        }
        if action.hasPrefix("tip.") {
            applyTipAction(seq: seq, at: at, actor: actor, member: member, action: action, subject: subject, details: details)
            return
        }
        switch action {
        case "staff.enrol-pending":
            // The first of two approvals of a privileged role: nothing is enrolled yet.
            guard let role = details["staff_role"].flatMap(StaffRole.init(rawValue:)), role.needsSecondApproval else {
                authority.fail(seq: seq, subject: subject, "a pending approval for a role that needs only one")
                return
            }
            if staff[subject] != nil { authority.fail(seq: seq, subject: subject, "a pending approval of a key that was already enrolled") }
            pendingEnrolments[subject] = actor
        case "staff.enrol":
            if let raw = details["public_key"].flatMap(Hex.decode), let problem = Ed25519PointCheck.problem(raw) {
                authority.fail(seq: seq, subject: subject, "staff.enrol of a refused key: \(problem)")
                return
            }
            guard let hex = details["public_key"], let raw = Hex.decode(hex), let key = try? Ed25519PublicKey(rawRepresentation: raw),
                  key.keyID == subject else {
                authority.fail(seq: seq, subject: subject, "staff.enrol whose public key does not match the enrolled key id")
                return
            }
            guard staff[subject] == nil else {
                authority.fail(seq: seq, subject: subject, "staff.enrol of a key that was already enrolled")
                return
            }
            let roleName = details["staff_role"] ?? ""
            guard let centre = details["staff_centre"], keys.centreIndex[centre] != nil else {
                authority.fail(seq: seq, subject: subject, "staff.enrol at an unknown centre")
                return
            }
            if let role = StaffRole(rawValue: roleName), role.needsSecondApproval {
                checkSecondApproval(seq: seq, actor: actor, subject: subject, role: role, details: details)
            }
            if let unit = details["staff_unit"], let units = keys.units, units.unit(unit) == nil {
                authority.fail(seq: seq, subject: subject, "staff.enrol in an unknown unit \(unit)")
            }
            staff.enrol(keyID: subject, .init(key: key, role: StaffRole(rawValue: roleName), roleName: roleName, centre: centre,
                                              enrolledSeq: seq, enrolledAt: at, enrolledBy: actor, unit: details["staff_unit"]))
        case "staff.revoke":
            guard let target = staff[subject], target.revokedSeq == nil else {
                authority.fail(seq: seq, subject: subject, "staff.revoke of a key that is not enrolled or already revoked")
                return
            }
            if subject == actor { authority.fail(seq: seq, subject: subject, "an administrator revoked their own key") }
            if ReasonText.clean(details["reason"]) == nil { authority.fail(seq: seq, subject: subject, "staff.revoke without a reason") }
            staff.revoke(keyID: subject, seq: seq, at: at, by: actor)
            pendingEnrolments = pendingEnrolments.filter { $0.value != subject }
        case "reward.propose":
            rewardProposers[subject + "|" + (details["reward_id"] ?? "")] = actor
        case "reward.approve":
            guard let proposer = rewardProposers[subject + "|" + (details["reward_id"] ?? "")] else {
                authority.fail(seq: seq, subject: subject, "reward approved without a recorded proposal")
                return
            }
            if proposer == actor, details["declined"] != "1" {
                authority.fail(seq: seq, subject: subject, "reward approved by its own proposer")
            }
        case "ledger.fund", "ledger.redeem", "ledger.expire", "payment.pay":
            break  // money moves in the ledger's own chain (ledger verify); the role was checked above
        // Remuneration and subsidies (issue 17): two different people, as for rewards.
        case "remuneration.propose", "subsidy.propose":
            // A remuneration names its payment; one subsidy request names every proposal it made.
            let ids = (details["payment_id"] ?? details["payment_ids"] ?? "").split(separator: ",").map(String.init)
            guard !ids.isEmpty else {
                authority.fail(seq: seq, subject: subject, "\(action) names no payment")
                return
            }
            for id in ids { paymentProposers[id] = actor }
        case "payment.approve":
            guard let proposer = paymentProposers[details["payment_id"] ?? ""] else {
                authority.fail(seq: seq, subject: subject, "payment approved without a recorded proposal")
                return
            }
            if proposer == actor, details["declined"] != "1" {
                authority.fail(seq: seq, subject: subject, "payment approved by its own proposer")
            }
        case _ where action.hasPrefix("keys."):
            applyKeyAction(seq: seq, at: at, actor: actor, member: member, action: action, subject: subject, details: details)
        case _ where action.hasPrefix("books."):
            applyBooksAction(seq: seq, member: member, action: action, subject: subject, details: details, request: request)
        case _ where action.hasPrefix("info."):
            applyInformationAction(seq: seq, actor: actor, member: member, action: action, subject: subject, details: details)
        case _ where action.hasPrefix("assess."):
            applyAssessmentAction(seq: seq, action: action, subject: subject, details: details)
        case _ where action.hasPrefix("bulletin."):
            applyBulletinAction(seq: seq, member: member, action: action, subject: subject, details: details)
        case _ where action.hasPrefix("network.") || action.hasPrefix("informant."):
            applyNetworkAction(seq: seq, actor: actor, member: member, action: action, subject: subject, details: details)
        default:
            authority.fail(seq: seq, subject: subject, "\(action) is not an action the server records")
        }
    }

    /// A privileged enrolment needs two different administrators: a `staff.enrol-pending` by one, then
    /// this entry by another (naming the first). The only single approval allowed is a sole active
    /// administrator enrolling a second administrator.
    private mutating func checkSecondApproval(seq: Int64, actor: String, subject: String, role: StaffRole, details: [String: String]) {
        if details["approval"] == "sole-admin" {
            if role != .admin || staff.activeCount(.admin) > 1 {
                authority.fail(seq: seq, subject: subject, "a \(role.rawValue) enrolled on one administrator's approval while others were enrolled")
            }
            return
        }
        guard let first = pendingEnrolments.removeValue(forKey: subject) else {
            authority.fail(seq: seq, subject: subject, "a \(role.rawValue) enrolled without a first approval by another administrator")
            return
        }
        if first == actor {
            authority.fail(seq: seq, subject: subject, "both approvals of a \(role.rawValue) enrolment by the same administrator")
        }
        if details["first_approver"] != first {
            authority.fail(seq: seq, subject: subject, "the enrolment names a first approver other than the recorded one")
        }
    }

    /// The recorded request proves the action: body hash, signature, time, method and path, no replay,
    /// and a body that asks for what the entry records.
    private mutating func checkRequest(seq: Int64, at: Int64, member: StaffHistory.Member, action: String, subject: String,
                                       details: [String: String], request: [UInt8]?, requestSignature: [UInt8]?) {
        guard let request, let requestSignature, let parts = SignedAdminRequest.parse(request) else {
            signatures.fail(seq: seq, subject: subject, "no recorded signed request")
            return
        }
        // v2: the staff member signed the hash of the body as stored (secrets as their SHA-256), so it must
        // match, clear fields included. v1 (before): a body with a secret field was kept redacted and
        // cannot match the hash of the whole body that was signed (docs/AUDIT.md).
        if Hashing.sha256Hex(parts.body) != parts.bodyHashHex, parts.signsRedactedBody || !RedactedRequestBody.isRedaction(parts.body) {
            signatures.fail(seq: seq, subject: subject, "the request body does not match the hash that was signed")
        }
        enqueue(.init(seq: seq, subject: subject, key: member.key, message: parts.message, signature: requestSignature,
                      check: .signatures, problem: "the request signature does not verify under the actor's key"))
        if abs(parts.timestamp - at) > AdminRequestSignature.allowedSkewSeconds {
            signatures.fail(seq: seq, subject: subject, "the request was signed \(parts.timestamp - at) s from the entry's time (allowed ±\(AdminRequestSignature.allowedSkewSeconds))")
        }
        if !AuditedRequest.matches(action: action, subject: subject, details: details, method: parts.method, target: parts.target) {
            signatures.fail(seq: seq, subject: subject, "the signed request \(parts.method) \(parts.target) is not \(action) on \(subject)")
        }
        var prefix: UInt64 = 0
        for byte in requestSignature.prefix(8) { prefix = prefix << 8 | UInt64(byte) }
        if !requestSignatures.insert(prefix).inserted {
            signatures.fail(seq: seq, subject: subject, "the same signed request is recorded twice (replay)")
        }
        if let mismatch = RequestBodies.mismatch(action: action, subject: subject, details: details, body: parts.body, keys: keys) {
            signatures.fail(seq: seq, subject: subject, "the signed request body differs from the entry: \(mismatch)")
        }
    }

    /// Tip actions: the actor's centre must see the tip at this point (the city sees all), and each
    /// action's own rules hold; then routing, wraps and status are updated.
    private mutating func applyTipAction(seq: Int64, at: Int64, actor: String, member: StaffHistory.Member, action: String, subject: String,
                                         details: [String: String]) {
        guard var track = tips[subject] else {
            authority.fail(seq: seq, subject: subject, "\(action) on a tip that was never received")
            return
        }
        guard let actorCentre = keys.centreIndex[member.centre] else {
            authority.fail(seq: seq, subject: subject, "the actor's centre \(member.centre) is unknown")
            return
        }
        // A canary mark is proven by the tip's receipt (checked by the server, never stored), not by the
        // auditor's centre: an auditor may plant a canary at any centre.
        // A recorded tip is routed by the policies, not by who took the call: the officer's centre need
        // not be the one it went to (the `tip.record` rules below bind the entry to its intake instead).
        if action != StaffAction.markCanary.rawValue, action != StaffAction.recordTip.rawValue, action != StaffAction.reportToTip.rawValue,
           !track.visible(to: actorCentre, city: keys.city) {
            authority.fail(seq: seq, subject: subject, "a \(member.centre) actor on a tip neither routed nor copied to \(member.centre) at the time")
        }
        let closed = TipTrack.statuses[Int(track.status)] == "closed"
        switch action {
        case "tip.status":
            if let to = details["to"] {
                guard let next = TipStatus(rawValue: to), let index = TipTrack.statusIndex(to) else {
                    authority.fail(seq: seq, subject: subject, "unknown status \(to)")
                    break
                }
                let current = TipStatus(rawValue: TipTrack.statuses[Int(track.status)])!
                if details["from"] != current.rawValue {
                    envelopes.fail(seq: seq, subject: subject, "status change from \(details["from"] ?? "?") but the tip was \(current.rawValue)")
                }
                if !current.canMove(to: next) {
                    authority.fail(seq: seq, subject: subject, "status may not move from \(current.rawValue) to \(to)")
                }
                if (next == .rejected || next == .unfounded), ReasonText.clean(details["reason"]) == nil {
                    authority.fail(seq: seq, subject: subject, "\(to) without a reason")
                }
                track.status = index
                switch next {
                case .verifying: track.enforcementUnit = details["enforcement_unit"]
                case .verified:
                    track.outcome = details["outcome"]
                    track.resolution = to
                case .unfounded, .rejected: track.resolution = to
                default: break
                }
            } else if let original = details["duplicate_of"] {
                if tips[original] == nil { authority.fail(seq: seq, subject: subject, "duplicate of a tip that was never received") }
                track.duplicateOf = original
                if ReasonText.clean(details["reason"]) == nil { authority.fail(seq: seq, subject: subject, "marked a duplicate without a reason") }
            } else {
                authority.fail(seq: seq, subject: subject, "tip.status records neither a status nor a duplicate")
            }
        case "tip.urgency":
            if ReasonText.clean(details["reason"]) == nil { authority.fail(seq: seq, subject: subject, "urgency changed without a reason") }
            if closed { authority.fail(seq: seq, subject: subject, "urgency changed on a closed tip") }
            if let to = details["to"] { track.urgency = to }
            if let added = details["copy_added"] {
                // Raising a tip to major adds the city's copy (issue 12 item 12): only the city, only once.
                if let mask = keys.centreMask(added), mask == 1 << UInt32(keys.city) {
                    track.copies |= mask
                } else {
                    authority.fail(seq: seq, subject: subject, "an urgency change added a copy for a centre other than the city")
                }
            }
        case "tip.assign":
            track.assignee = details["assignee"]
        case "tip.route":
            routed(seq: seq, subject: subject, actor: actor, details: details, closed: closed, track: &track)
        case "tip.identity-wrap":
            identityWrapped(seq: seq, subject: subject, actor: actor, details: details, track: &track)
        case "tip.unseal":
            if ReasonText.clean(details["reason"]) == nil {
                authority.fail(seq: seq, subject: subject, "unseal without a reason")
            }
            // The identity key of the actor's centre current at the time (key rotation changes it).
            let ownKey = rotation.currentKey(actorCentre, .identity)
            if details["wrap"] != "identity:\(ownKey)" {
                authority.fail(seq: seq, subject: subject, "unseal records a wrap other than the identity key of the actor's centre")
            }
            if track.identityDestroyed {
                authority.fail(seq: seq, subject: subject, "unseal after the identity was destroyed")
            } else if track.wraps & KeyDirectory.bit(centre: actorCentre, .identity) == 0 {
                authority.fail(seq: seq, subject: subject, "unseal by \(member.centre), which held no identity wrap of the tip at the time")
            }
            if !track.hasIdentity { authority.fail(seq: seq, subject: subject, "unseal of a tip that has no identity") }
        case "tip.read":
            // A release of the sealed content (`tips show`): who read which tip, checked like any tip action
            // (the actor's centre saw the tip at the time); nothing changes.
            if details["content"] != (track.contentDestroyed ? "destroyed" : "released") {
                envelopes.fail(seq: seq, subject: subject, "tip.read records content \(details["content"] ?? "?") but the content was \(track.contentDestroyed ? "destroyed" : "there")")
            }
        case "tip.canary":
            // The auditor's canary (`tipline-audit canary`): marked once, after it was received; it then
            // leaves the queues and statistics (`canary_at`, compared in checkTipTables).
            if let earlier = track.canaryAt {
                authority.fail(seq: seq, subject: subject, "tip.canary of a tip already marked as a canary (at \(earlier))")
            } else {
                track.canaryAt = at
            }
        case "tip.record", "tip.from-informant":
            // A tip a triage officer recorded, or a handler made from an informant's report (issue 15):
            // the entry comes right after the tip's own tip.received entry (one transaction), once, with
            // the channel that entry recorded (`informant` exactly for a report's tip).
            let fromReport = action == "tip.from-informant"
            if fromReport, let report = details["report"] { reportLinked(seq: seq, report: report, tip: subject, district: district(of: member)) }
            if track.recordedSeq != nil {
                authority.fail(seq: seq, subject: subject, "a second \(action) for the same tip")
            } else if track.receivedSeq != seq - 1 {
                authority.fail(seq: seq, subject: subject, "\(action) not right after the tip's tip.received entry (#\(track.receivedSeq))")
            } else if track.channel == .web || details["channel"] != track.channel.rawValue || fromReport != (track.channel == .informant) {
                authority.fail(seq: seq, subject: subject,
                               "tip.record for channel \(details["channel"] ?? "?") but tip.received records \(track.channel.rawValue)")
            } else {
                track.recordedSeq = seq
            }
                case "tip.reply", "tip.note":
            if track.contentDestroyed { authority.fail(seq: seq, subject: subject, "\(action) after the content was destroyed") }
        default:
            break
        }
        tips[subject] = track
    }

    /// `tip.route`: from the current centre to a known one, with a reason; adds only wraps for the new
    /// centre's keys; leaves an identity wrap pending when it added none.
    private mutating func routed(seq: Int64, subject: String, actor: String, details: [String: String], closed: Bool, track: inout TipTrack) {
        if ReasonText.clean(details["reason"]) == nil { authority.fail(seq: seq, subject: subject, "re-routed without a reason") }
        if closed { authority.fail(seq: seq, subject: subject, "re-routed a closed tip") }
        guard let toName = details["to"], let to = keys.centreIndex[toName] else {
            envelopes.fail(seq: seq, subject: subject, "re-routed to an unknown centre")
            return
        }
        if details["from"] != keys.centres[track.centre] {
            envelopes.fail(seq: seq, subject: subject, "re-routed from \(details["from"] ?? "?") but the tip was at \(keys.centres[track.centre])")
        }
        let (added, problem) = keys.parseRecipients(details["added_wraps"] ?? "")
        let allowed = KeyDirectory.keys(ofCentres: 1 << UInt32(to))
        if let problem {
            envelopes.fail(seq: seq, subject: subject, "re-routing: \(problem)")
        } else if added & ~allowed != 0 {
            envelopes.fail(seq: seq, subject: subject, "re-routing to \(toName) added wraps for another centre's keys")
        } else if (added | track.wraps) & KeyDirectory.bit(centre: to, .content) == 0 {
            envelopes.fail(seq: seq, subject: subject, "re-routing to \(toName) added no content wrap for it")
        }
        let replaced = replacedWraps(details["added_wraps"] ?? "", track: track)
        if replaced != 0 {
            envelopes.fail(seq: seq, subject: subject, "re-routing replaced the existing wraps for \(keys.describe(replaced).joined(separator: ",")) (wraps are append-only)")
        }
        recordLaterWraps(seq: seq, subject: subject, actor: actor, details: details, added: added, track: &track)
        if track.identityDestroyed, added & KeyDirectory.identityBits != 0 {
            envelopes.fail(seq: seq, subject: subject, "re-routing added an identity wrap after the identity was destroyed")
        }
        let pending = details["identity_pending"].map { $0 == "1" }
            ?? (added & KeyDirectory.bit(centre: to, .identity) == 0 && !track.identityDestroyed)
        if pending { track.pendingIdentity |= 1 << UInt32(to) }
        track.wraps |= added & allowed
        track.centre = to
        track.routed |= 1 << UInt32(to)
        track.laterRoutes.append(UInt8(to))
    }

    /// `tip.identity-wrap`: only the pending centre's identity key, only while the identity exists.
    private mutating func identityWrapped(seq: Int64, subject: String, actor: String, details: [String: String], track: inout TipTrack) {
        // The entry's `centre` detail is the actor's centre (StaffActor.event overwrites the store's
        // target centre), so the target is the centre whose identity key the added wrap names.
        let (added, problem) = keys.parseRecipients(details["added_wraps"] ?? "")
        guard problem == nil, added != 0, added & KeyDirectory.contentBits == 0, added.nonzeroBitCount == 1 else {
            envelopes.fail(seq: seq, subject: subject, "identity wrap: \(problem ?? "not exactly one identity key")")
            return
        }
        let centre = added.trailingZeroBitCount / 2
        let name = keys.centres[centre]
        if track.pendingIdentity & (1 << UInt32(centre)) == 0 {
            envelopes.fail(seq: seq, subject: subject, "identity wrap for \(name), which no re-routing left pending")
        }
        if track.identityDestroyed {
            envelopes.fail(seq: seq, subject: subject, "identity wrap added after the identity was destroyed")
        }
        if replacedWraps(details["added_wraps"] ?? "", track: track) != 0 {
            envelopes.fail(seq: seq, subject: subject, "identity wrap replaced the existing wrap for \(name) (wraps are append-only)")
        }
        recordLaterWraps(seq: seq, subject: subject, actor: actor, details: details, added: added, track: &track)
        track.wraps |= added
        track.pendingIdentity &= ~(1 << UInt32(centre))
    }

    /// The wraps of `list` (`class:keyid,…`) for a centre and class that already held a wrap of the tip, unless
    /// the key is one a rotation registered after the tip arrived and nothing gave the tip a wrap for it yet:
    /// that is a wrap for the centre's new key, not a replacement (key rotation).
    func replacedWraps(_ list: String, track: TipTrack) -> UInt64 {
        var replaced: UInt64 = 0
        for item in list.split(separator: ",") {
            let (bit, problem) = keys.parseRecipients(String(item))
            guard problem == nil, track.wraps & bit != 0 else { continue }
            let keyID = item.split(separator: ":").last.map(String.init) ?? ""
            if let rotated = rotation.rotated[keyID], track.receivedSeq < rotated.seq, !track.laterWraps.contains(where: { $0.key == item }) {
                continue
            }
            replaced |= bit
        }
        return replaced
    }

    /// The `wrap_hashes` of an entry that added wraps: one `class:keyid:sha256hex` per added wrap,
    /// kept so that `checkTipTables` can compare the stored bytes. Entries written before v5 have none.
    private mutating func recordLaterWraps(seq: Int64, subject: String, actor: String, details: [String: String], added: UInt64,
                                           track: inout TipTrack) {
        guard let list = details["wrap_hashes"] else { return }
        var named: UInt64 = 0
        for item in list.split(separator: ",") {
            guard let pair = Self.splitWrapHash(item) else {
                envelopes.fail(seq: seq, subject: subject, "malformed wrap hash \(item)")
                continue
            }
            let (key, hash) = pair
            let (bit, problem) = keys.parseRecipients(key)
            if problem != nil { continue }
            named |= bit
            track.laterWraps.append(.init(key: key, hash: hash, actor: actor, seq: seq))
        }
        if named != added {
            envelopes.fail(seq: seq, subject: subject, "the entry's wrap hashes do not name exactly the wraps it added")
        }
    }

    /// `class:keyid:hash` → (`class:keyid`, `hash`) for a 64-hex-character hash.
    static func splitWrapHash(_ item: Substring) -> (String, String)? {
        guard let colon = item.lastIndex(of: ":") else { return nil }
        let hash = item[item.index(after: colon)...]
        guard hash.utf8.count == 64 else { return nil }
        return (String(item[..<colon]), String(hash))
    }
}
