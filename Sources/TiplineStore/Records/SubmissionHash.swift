public import Sealing
import TiplineCore

/// The submission hash, version 2: what the proof of report signs and the `tip.received` entry
/// records. Defined here once; intake computes it from the sealed tip, `audit verify` recomputes it
/// from the stored rows. docs/ENVELOPE.md §12 gives the same definition for outside implementers.
///
/// ```text
/// line(label, value)  = label ‖ ":" ‖ value ‖ "\n"              (value: text, lowercase hex for bytes)
/// part(C)             = SHA-256( "tipline:v2:submission-part:<uid>:<C>\n"
///                                ‖ line("commitment", hex(key commitment of C, empty if none))
///                                ‖ for each field of class C, by name:        line("field:<name>", hex(SHA-256(field blob)))
///                                ‖ for each intake wrap of class C, by key id: line("wrap:<key id>", hex(SHA-256(wrap blob)))
///                                ‖ C = content only, by ordinal:               line("evidence:<i>", hex(SHA-256(evidence blob))) )
/// submission hash     = SHA-256( "tipline:v2:submission:<uid>\n"
///                                ‖ line("reporter_public_key", hex(32-byte X25519 reporter public key))
///                                ‖ line("content", hex(part(content)))
///                                ‖ line("identity", hex(part(identity))) )
/// ```
///
/// Each blob enters through its SHA-256, so the hash can be recomputed after retention destroyed
/// one class (the `tip.received` entry records both part hashes and every wrap's hash), and wraps
/// added after intake (re-routing) are not part of it.
public enum SubmissionHash {
    /// One class's parts, blobs as stored.
    public struct Part: Sendable {
        /// Which class the part covers.
        public var keyClass: KeyClass
        /// The key commitment of that class; nil if none was recorded.
        public var commitment: [UInt8]?
        /// (name, blob)
        public var fields: [(String, [UInt8])] = []
        /// (recipient key id, blob)
        public var wraps: [(String, [UInt8])] = []
        /// Evidence blobs by ordinal (content only).
        public var evidence: [[UInt8]] = []

        /// An empty part of `keyClass`.
        public init(keyClass: KeyClass, commitment: [UInt8]?) {
            self.keyClass = keyClass
            self.commitment = commitment
        }

        /// `part(C)`.
        public func hash(uid: String) -> [UInt8] {
            var hasher = SHA256Hasher()
            hasher.update(Array("tipline:v2:submission-part:\(uid):\(keyClass.rawValue)\n".utf8))
            SubmissionHash.line(&hasher, "commitment", commitment.map { Hex.encode($0) } ?? "")
            for (name, blob) in fields.sorted(by: { $0.0 < $1.0 }) { SubmissionHash.line(&hasher, "field:\(name)", Hashing.sha256Hex(blob)) }
            for (keyID, blob) in wraps.sorted(by: { $0.0 < $1.0 }) { SubmissionHash.line(&hasher, "wrap:\(keyID)", Hashing.sha256Hex(blob)) }
            for (ordinal, blob) in evidence.enumerated() { SubmissionHash.line(&hasher, "evidence:\(ordinal)", Hashing.sha256Hex(blob)) }
            return hasher.finalize()
        }
    }

    /// The submission hash from the reporter key and the two part hashes.
    public static func combine(uid: String, reporterPublicKey: [UInt8], contentPart: [UInt8], identityPart: [UInt8]) -> [UInt8] {
        var hasher = SHA256Hasher()
        hasher.update(Array("tipline:v2:submission:\(uid)\n".utf8))
        line(&hasher, "reporter_public_key", Hex.encode(reporterPublicKey))
        line(&hasher, "content", Hex.encode(contentPart))
        line(&hasher, "identity", Hex.encode(identityPart))
        return hasher.finalize()
    }

    fileprivate static func line(_ hasher: inout SHA256Hasher, _ label: String, _ value: String) {
        hasher.update(Array("\(label):\(value)\n".utf8))
    }

    /// `class:keyid:sha256hex`, the form of a wrap's hash in audit details (`wrap_hashes`, comma-joined, sorted).
    public static func wrapHashItem(keyClass: KeyClass, recipientKeyID: String, sealed: [UInt8]) -> String {
        "\(keyClass.rawValue):\(recipientKeyID):\(Hashing.sha256Hex(sealed))"
    }
}
