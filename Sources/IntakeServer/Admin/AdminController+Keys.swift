import Foundation
import Hummingbird
import Sealing
import TiplineAdminAPI
import TiplineCore
import TiplineDeployment
import TiplineStore

/// Centre key rotation (Keys/README.md "Rotation"): an administrator registers a centre's new public
/// key and later retires the old one; holders of the old key re-wrap old tips for the new one from
/// their machines, in audited batches. The server never sees a private key.
extension AdminController {
    func registerKeys(on v1: RouterGroup<TiplineRequestContext>) {
        v1.on(.rotateKey) { _, context in
            try await handle(context, .rotateKey) { actor, body in
                let input = try decode(RotateKeyBody.self, body)
                guard keys.centres.contains(CentreID(input.centre)) else {
                    throw APIError(status: .badRequest, code: "invalid", message: "no such centre")
                }
                guard let raw = Hex.decode(input.publicKey), raw.count == 32, let key = try? X25519PublicKey(rawRepresentation: raw) else {
                    throw APIError(status: .badRequest, code: "invalid", message: "public_key must be 64 hex digits of an X25519 key")
                }
                // Checked first, so that a refusal is a 409 and not a failed transaction.
                do {
                    _ = try keys.manifest.rotated(centre: input.centre, keyClass: input.keyClass, to: key, seq: 0, at: 0)
                } catch {
                    throw APIError(status: .conflict, code: "conflict", message: "\(error)")
                }
                let live = keys
                let entry = try await store.rotateKey(centre: CentreID(input.centre), keyClass: input.keyClass, newKey: key, by: actor,
                                                      at: time.now()) { seq, at in
                    try live.apply { manifest in try manifest.rotated(centre: input.centre, keyClass: input.keyClass, to: key, seq: seq, at: at) }
                }
                return try JSONResponse.json(.created, KeyChangeReply(
                    centre: input.centre, keyClass: input.keyClass, keyID: key.keyID, superseded: keys.manifest.centres.first { $0.centre == input.centre }?
                        .former?.last { $0.supersededBy == key.keyID }?.key.keyID,
                    auditSeq: entry.seq, fingerprint: keys.manifest.fingerprint))
            }
        }
        v1.on(.retireKey) { _, context in
            try await handle(context, .retireKey) { actor, body in
                let input = try decode(RetireKeyBody.self, body)
                guard keys.centres.contains(CentreID(input.centre)) else {
                    throw APIError(status: .badRequest, code: "invalid", message: "no such centre")
                }
                do {
                    _ = try keys.manifest.retired(centre: input.centre, keyClass: input.keyClass, keyID: input.keyID, seq: 0, at: 0)
                } catch {
                    throw APIError(status: .conflict, code: "conflict", message: "\(error)")
                }
                let live = keys
                let entry = try await store.retireKey(centre: CentreID(input.centre), keyClass: input.keyClass, keyID: input.keyID, by: actor,
                                                      at: time.now()) { seq, at in
                    try live.apply { manifest in try manifest.retired(centre: input.centre, keyClass: input.keyClass, keyID: input.keyID, seq: seq, at: at) }
                }
                return try JSONResponse.json(.ok, KeyChangeReply(
                    centre: input.centre, keyClass: input.keyClass, keyID: input.keyID, superseded: nil,
                    auditSeq: entry.seq, fingerprint: keys.manifest.fingerprint))
            }
        }
        v1.on(.rewrapPending) { request, context in
            try await handle(context, .rewrapKeys) { actor, _ in
                let query = request.uri.queryParameters
                guard let centre = query.get("centre"), let keyClass = query.get("class").flatMap(KeyClass.init(rawValue:)),
                      let oldKey = query.get("key") else {
                    throw APIError(status: .badRequest, code: "invalid", message: "centre, class and key are required")
                }
                guard let kind = RewrapKind(rawValue: query.get("kind") ?? "tip") else {
                    throw APIError(status: .badRequest, code: "invalid", message: "kind must be tip, message, note or file")
                }
                try Self.checkHolder(actor, centre: centre, keyClass: keyClass)
                return try JSONResponse.json(.ok, try await store.rewrapPending(centre: CentreID(centre), keyClass: keyClass, oldKey: oldKey, kind: kind,
                                                                                limit: try Self.pageLimit(query.get("limit")), after: query.get("after")))
            }
        }
        v1.on(.rewrapKeys) { _, context in
            try await handle(context, .rewrapKeys) { actor, body in
                let input = try decode(RewrapBody.self, body)
                try Self.checkHolder(actor, centre: input.centre, keyClass: input.keyClass)
                let wraps = try input.wraps.map { item in
                    TriageStore.RewrapInput(kind: item.kind ?? .tip, reference: item.reference, record: item.record,
                                            wrap: try RecipientWrap(keyClass: input.keyClass, recipientKeyID: input.newKey, serialized: Array(item.wrap)))
                }
                let reply = try await store.rewrap(centre: CentreID(input.centre), keyClass: input.keyClass, oldKey: input.oldKey,
                                                   wraps: wraps, by: actor, at: time.now())
                return try JSONResponse.json(reply.added > 0 ? .created : .ok, reply)
            }
        }
    }

    /// A re-wrap is done by a holder of that centre's key of that class: content for triage officers and
    /// supervisors, identity for identity holders, of their own centre only.
    static func checkHolder(_ actor: StaffActor, centre: String, keyClass: KeyClass) throws {
        let holds: Set<StaffRole> = keyClass == .content ? [.triage, .supervisor] : [.identityHolder]
        guard holds.contains(actor.member.role), actor.member.centre.rawValue == centre else {
            throw APIError(status: .forbidden, code: "forbidden", message: "only a holder of \(centre)'s \(keyClass.rawValue) key may re-wrap for it")
        }
    }
}
