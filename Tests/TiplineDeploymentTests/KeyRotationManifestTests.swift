import Foundation
import Sealing
import Testing
import TiplineCore
@testable import TiplineDeployment

/// Key rotation in keys.json (`PublicKeyManifest+Rotation`): what a rotation and a retirement change,
/// what they refuse, and what a workstation accepts when it re-pins.
@Suite("keys.json key rotation")
struct KeyRotationManifestTests {
    static func manifest() -> PublicKeyManifest {
        func key() -> PublicKeyManifest.Key {
            let k = X25519PrivateKey.generate().publicKey
            return .init(keyID: k.keyID, publicKey: Hex.encode(k.rawRepresentation))
        }
        let server = Ed25519PrivateKey.generate().publicKey
        return PublicKeyManifest(centres: [.init(centre: "city", content: key(), identity: key()), .init(centre: "nanming", content: key(), identity: key())],
                                 units: nil, server: .init(keyID: server.keyID, publicKey: Hex.encode(server.rawRepresentation)), staff: [])
    }

    @Test("A manifest that never rotated encodes as before (no former, no since): its fingerprint is unchanged")
    func oldShape() throws {
        let m = Self.manifest()
        let text = String(decoding: try JSONEncoder().encode(m), as: UTF8.self)
        #expect(!text.contains("former") && !text.contains("since"))
        #expect(try JSONDecoder().decode(PublicKeyManifest.self, from: Data(text.utf8)) == m)
    }

    @Test("Rotation: the new key is current, the old one superseded; retirement marks it; refusals")
    func rotateAndRetire() throws {
        let m = Self.manifest()
        let old = m.centres[1].content.keyID
        let new = X25519PrivateKey.generate().publicKey
        let rotated = try m.rotated(centre: "nanming", keyClass: .content, to: new, seq: 42, at: 1_800_000_000)
        #expect(rotated.centres[1].content.keyID == new.keyID)
        #expect(rotated.centres[1].content.sinceSeq == 42)
        #expect(rotated.centres[1].identity == m.centres[1].identity)
        #expect(rotated.centres[1].former == [.init(keyClass: .content, key: m.centres[1].content, supersededBy: new.keyID,
                                                    supersededSeq: 42, supersededAt: 1_800_000_000)])
        #expect(rotated.centreKeyRecord(old)?.state == .superseded)
        #expect(rotated.fingerprint != m.fingerprint)
        #expect(try rotated.centreKey(CentreID("nanming"), .content)?.keyID == new.keyID)
        // The same key again, another centre's key, an unknown centre: refused.
        #expect(throws: PublicKeyManifest.RotationError.keyInUse(new.keyID)) {
            try rotated.rotated(centre: "city", keyClass: .content, to: new, seq: 43, at: 0)
        }
        let cityKey = try #require(try m.centreKey(CentreID("city"), .identity))
        #expect(throws: PublicKeyManifest.RotationError.keyInUse(cityKey.keyID)) {
            try m.rotated(centre: "nanming", keyClass: .identity, to: cityKey, seq: 43, at: 0)
        }
        #expect(throws: PublicKeyManifest.RotationError.unknownCentre("nowhere")) {
            try m.rotated(centre: "nowhere", keyClass: .content, to: X25519PrivateKey.generate().publicKey, seq: 43, at: 0)
        }
        // Only a superseded key of that centre and class retires, once.
        #expect(throws: PublicKeyManifest.RotationError.notSuperseded(new.keyID)) {
            try rotated.retired(centre: "nanming", keyClass: .content, keyID: new.keyID, seq: 44, at: 0)
        }
        #expect(throws: PublicKeyManifest.RotationError.notSuperseded(old)) {
            try rotated.retired(centre: "nanming", keyClass: .identity, keyID: old, seq: 44, at: 0)
        }
        let retired = try rotated.retired(centre: "nanming", keyClass: .content, keyID: old, seq: 44, at: 1_800_000_100)
        #expect(retired.centreKeyRecord(old)?.state == .retired)
        #expect(throws: PublicKeyManifest.RotationError.alreadyRetired(old)) {
            try retired.retired(centre: "nanming", keyClass: .content, keyID: old, seq: 45, at: 0)
        }
    }

    @Test("Re-pinning accepts only rotated or retired centre keys, nothing else changed")
    func keyChanges() throws {
        let m = Self.manifest()
        let new = X25519PrivateKey.generate().publicKey
        let rotated = try m.rotated(centre: "nanming", keyClass: .content, to: new, seq: 42, at: 0)
        let changes = try #require(m.keyChanges(to: rotated))
        #expect(Set(changes.map { "\($0.key.keyID):\($0.state.rawValue)" }) == ["\(new.keyID):current", "\(m.centres[1].content.keyID):superseded"])
        #expect(m.keyChanges(to: m) == [])
        // A swapped key (no rotation record), a changed server key, a dropped old key: refused.
        var swapped = m
        swapped.centres[0].content = .init(keyID: new.keyID, publicKey: Hex.encode(new.rawRepresentation))
        #expect(m.keyChanges(to: swapped) == nil)
        var server = rotated
        server.server = m.centres[0].content
        #expect(m.keyChanges(to: server) == nil)
        var dropped = rotated
        dropped.centres[1].former = nil
        #expect(m.keyChanges(to: dropped) == nil)
    }
}
