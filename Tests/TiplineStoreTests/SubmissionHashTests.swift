import Foundation
import Sealing
import Testing
import TiplineCore
@testable import TiplineStore

/// Issue 11, item 4: the submission hash covers the reporter public key, and docs/ENVELOPE.md §12
/// defines it precisely enough to recompute it from the stored blobs alone.
@Suite("Submission hash (version 2)")
struct SubmissionHashTests {
    /// The definition of docs/ENVELOPE.md §12, written out from the text with nothing but SHA-256.
    static func fromDocument(_ tip: NewTip) -> [UInt8] {
        func hex(_ bytes: [UInt8]) -> String { Hex.encode(bytes) }
        func line(_ label: String, _ value: String) -> [UInt8] { Array("\(label):\(value)\n".utf8) }
        func part(_ keyClass: KeyClass, _ commitment: [UInt8]?) -> [UInt8] {
            var bytes = Array("tipline:v2:submission-part:\(tip.uid):\(keyClass.rawValue)\n".utf8)
            bytes += line("commitment", commitment.map(hex) ?? "")
            for field in tip.envelope.fields.filter({ $0.keyClass == keyClass }).sorted(by: { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }) {
                bytes += line("field:\(field.name)", hex(Hashing.sha256(field.serialized())))
            }
            for wrap in tip.envelope.wraps.filter({ $0.keyClass == keyClass }).sorted(by: { $0.recipientKeyID < $1.recipientKeyID }) {
                bytes += line("wrap:\(wrap.recipientKeyID)", hex(Hashing.sha256(wrap.serialized())))
            }
            if keyClass == .content {
                for (ordinal, blob) in tip.evidence.enumerated() { bytes += line("evidence:\(ordinal)", hex(Hashing.sha256(blob))) }
            }
            return Hashing.sha256(bytes)
        }
        var bytes = Array("tipline:v2:submission:\(tip.uid)\n".utf8)
        bytes += line("reporter_public_key", hex(tip.reporterPublicKey))
        bytes += line("content", hex(part(.content, tip.contentKeyCommitment)))
        bytes += line("identity", hex(part(.identity, tip.identityKeyCommitment)))
        return Hashing.sha256(bytes)
    }

    @Test("The code's hash is the document's; the digest's parts and wrap hashes are what tip.received records")
    func matchesDocument() throws {
        let db = try TemporaryDatabase()
        var tip = try db.newTip(identity: [("reporter.name", Array("张三".utf8)), ("reporter.phone", Array("13800001111".utf8))])
        tip.evidence = [SecureRandom.bytes(100), SecureRandom.bytes(7)]
        tip.contentKeyCommitment = SecureRandom.bytes(32)
        tip.identityKeyCommitment = SecureRandom.bytes(32)
        #expect(tip.submissionHash == Self.fromDocument(tip))
        let digest = tip.digest
        #expect(digest.submissionHash == SubmissionHash.combine(uid: tip.uid, reporterPublicKey: tip.reporterPublicKey,
                                                                contentPart: digest.contentPart, identityPart: digest.identityPart))
        #expect(digest.wrapHashes.count == tip.envelope.wraps.count)
        #expect(digest.wrapHashes == digest.wrapHashes.sorted())
    }

    @Test("Another reporter key, commitment, evidence order or wrap gives another hash")
    func coversEveryPart() throws {
        let db = try TemporaryDatabase()
        var tip = try db.newTip()
        tip.evidence = [SecureRandom.bytes(10), SecureRandom.bytes(10)]
        tip.contentKeyCommitment = SecureRandom.bytes(32)
        let original = tip.submissionHash
        var other = tip
        other.reporterPublicKey = X25519PrivateKey.generate().publicKey.rawRepresentation
        #expect(other.submissionHash != original, "the reporter key is not covered")
        other = tip
        other.contentKeyCommitment = SecureRandom.bytes(32)
        #expect(other.submissionHash != original)
        other = tip
        other.evidence.reverse()
        #expect(other.submissionHash != original)
        other = tip
        other.envelope.wraps[0] = try EnvelopeCrypto.wrap(DataKey.random(.content), recordID: tip.uid,
                                                          for: X25519PrivateKey.generate().publicKey)
        #expect(other.submissionHash != original)
    }
}
