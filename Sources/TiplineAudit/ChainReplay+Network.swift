import Foundation
import GRDB
import Sealing
import TiplineAdminAPI
import TiplineCore

/// The network registry's state as the audit entries tell it (issue 14).
struct NetworkTrack {
    struct Informant {
        let seq: Int64
        let district: String
        let identityHash: String
        let wraps: String
        var status: InformantStatus
        var codeDigest: String
    }
    struct UnsealRequest {
        let pseudonym: String
        let requester: String
        var approver: String?
        var used = false
    }
    var informants: [String: Informant] = [:]
    var requests: [String: UnsealRequest] = [:]
}

extension ChainReplay {
    /// The unit a member acts for: as enrolled, or (older keys) the unit running its centre.
    private func unitID(of member: StaffHistory.Member) -> String? {
        member.unit ?? keys.units?.runner(of: CentreID(member.centre))?.id
    }

    /// The district centre of the member's unit when it is a district office.
    func district(of member: StaffHistory.Member) -> String? {
        guard let units = keys.units, let id = unitID(of: member), let unit = units.unit(id), unit.kind == .districtOffice else { return nil }
        return unit.centre?.rawValue
    }

    /// Network and informant entries: who may keep which unit's records, handlers only for their
    /// district's informants, the city's openings only on a second holder's approval, an identity
    /// never replaced (its hash and wraps as first recorded), statuses that follow their rules.
    mutating func applyNetworkAction(seq: Int64, actor: String, member: StaffHistory.Member, action: String, subject: String,
                                     details: [String: String]) {
        let isEditor = member.role == .editor
        func fail(_ message: String) { authority.fail(seq: seq, subject: subject, message) }
        switch action {
        case "network.unit-leaders", "network.unit-check", "network.training":
            if let units = keys.units, units.unit(subject) == nil { fail("\(action) for an unknown unit") }
            if !isEditor, unitID(of: member) != subject { fail("\(action) for a unit other than the actor's own") }
        case "network.liaison":
            if staff[subject]?.role != .liaison { fail("network.liaison for a key that is not an enrolled liaison") }
        case "network.areas-import":
            if !isEditor, district(of: member) != subject { fail("areas imported for a district other than the actor's own") }
        case "informant.register":
            guard network.informants[subject] == nil else { fail("an informant registered twice"); return }
            guard let target = details["district"], let identityHash = details["identity_sha256"], let wraps = details["identity_wraps"],
                  let code = details["code_digest"] else { fail("informant.register without its district, identity hash, wraps or code"); return }
            if district(of: member) != target { fail("an informant registered by a handler of another district") }
            if let units = keys.units, let office = units.districtOffice(of: CentreID(target)) {
                if let prefix = office.informantPrefix, Pseudonym(subject)?.prefix != prefix { fail("a pseudonym without the district's prefix") }
                let expected = [keys.registryKeyID[office.id] ?? "", rotation.currentKey(keys.city, .identity)].sorted().joined(separator: ",")
                if wraps != expected { fail("an informant identity not wrapped for exactly the district's registry key and the city's identity key") }
            }
            network.informants[subject] = .init(seq: seq, district: target, identityHash: identityHash, wraps: wraps, status: .active, codeDigest: code)
        case "informant.status", "informant.review", "informant.code":
            guard var informant = network.informants[subject] else { fail("\(action) on an informant never registered"); return }
            if district(of: member) != informant.district { fail("\(action) by a handler of another district") }
            if action == "informant.status" {
                guard let from = details["from"].flatMap(InformantStatus.init(rawValue:)), let to = details["to"].flatMap(InformantStatus.init(rawValue:)),
                      from == informant.status, from.allows(to) else { fail("an informant status change that does not follow from the recorded status"); return }
                informant.status = to
            }
            if action == "informant.code", let digest = details["code_digest"] { informant.codeDigest = digest }
            network.informants[subject] = informant
        case "informant.unseal-request":
            if member.centre != keys.centres[keys.city] { fail("an informant unseal request by a holder outside the city centre") }
            guard let id = details["request"], network.requests[id] == nil else { fail("an unseal request without a new request id"); return }
            network.requests[id] = .init(pseudonym: subject, requester: actor)
        case "informant.unseal-approve":
            guard let id = details["request"], var request = network.requests[id], request.pseudonym == subject else {
                fail("an approval of an unseal request never made"); return
            }
            if member.centre != keys.centres[keys.city] { fail("an unseal approval by a holder outside the city centre") }
            if request.requester == actor { fail("an unseal request approved by its own requester") }
            if request.approver != nil { fail("an unseal request approved twice") }
            request.approver = actor
            network.requests[id] = request
        case "informant.unseal":
            guard let informant = network.informants[subject] else { fail("informant.unseal of an informant never registered"); return }
            if details["identity_sha256"] != informant.identityHash { fail("the identity released is not the one registered") }
            switch member.role {
            case .handler:
                if district(of: member) != informant.district { fail("an informant identity opened by a handler of another district") }
            case .identityHolder:
                guard let id = details["request"], var request = network.requests[id], request.pseudonym == subject, request.requester == actor,
                      let approver = request.approver, approver != actor, !request.used else {
                    fail("a city opening of an informant identity without a second city holder's approval"); return
                }
                if details["approved_by"] != approver { fail("the opening names an approver other than the recorded one") }
                request.used = true
                network.requests[id] = request
            default:
                fail("informant.unseal by a role that may not open identities")
            }
        case "informant.report-read", "informant.reply":
            applyReportAction(seq: seq, member: member, action: action, subject: subject, details: details, district: district(of: member))
        default:
            break  // network.read and informant.list are never recorded; the role check above covers the rest
        }
    }

    /// The informant table against the entries: every stored informant was registered, its identity
    /// is byte for byte the one whose hash was recorded (never replaced), its wraps, district, status
    /// and code record are the recorded ones; every registered informant is still stored.
    mutating func checkInformants(_ db: Database) throws {
        guard try db.tableExists("informant") else {
            for (pseudonym, informant) in network.informants {
                envelopes.fail(seq: informant.seq, subject: pseudonym, "an informant recorded, but the database has no informant table")
            }
            return
        }
        var seen = Set<String>()
        for row in try Row.fetchAll(db, sql: "SELECT * FROM informant ORDER BY pseudonym") {
            envelopes.checked += 1
            let pseudonym: String = row["pseudonym"]
            guard let informant = network.informants[pseudonym] else {
                envelopes.fail(seq: nil, subject: pseudonym, "an informant no informant.register entry records")
                continue
            }
            seen.insert(pseudonym)
            let bytes: Data = row["identity"]
            if Hashing.sha256Hex(Array(bytes)) != informant.identityHash || (row["identity_sha256"] as String) != informant.identityHash {
                envelopes.fail(seq: informant.seq, subject: pseudonym, "the informant's sealed identity differs from the bytes its entry recorded")
            }
            if let envelope = try? Envelope(json: Array(bytes)), envelope.wraps.map(\.recipientKeyID).sorted().joined(separator: ",") != informant.wraps {
                envelopes.fail(seq: informant.seq, subject: pseudonym, "the informant identity's wraps differ from those recorded")
            }
            if (row["district"] as String) != informant.district || (row["status"] as String) != informant.status.rawValue {
                authority.fail(seq: informant.seq, subject: pseudonym, "the informant's district or status differs from the audit log's")
            }
            let code = InformantCodeRecord(locatorHash: Hex.encode(Array(row["code_locator_hash"] as Data)), salt: row["code_salt"],
                                           n: UInt64(row["code_n"] as Int64), r: UInt32(row["code_r"] as Int64), p: UInt32(row["code_p"] as Int64),
                                           verifier: Hex.encode(Array(row["code_verifier"] as Data)), publicKey: Hex.encode(Array(row["public_key"] as Data)),
                                           sealedKey: row["sealed_key"])
            if code.digest != informant.codeDigest {
                envelopes.fail(seq: informant.seq, subject: pseudonym, "the informant's code record differs from the one its last entry recorded")
            }
        }
        for (pseudonym, informant) in network.informants where !seen.contains(pseudonym) {
            envelopes.fail(seq: informant.seq, subject: pseudonym, "a registered informant is missing from the database")
        }
    }
}
