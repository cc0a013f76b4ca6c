import Crypto
import Foundation
import Sealing

/// Ed25519 verification for the auditor, by swift-crypto (BoringSSL) — an implementation independent
/// of the OpenSSL that signed the entries, so a flaw in one does not pass unseen through the other.
/// It is also faster: ≈ 68 µs per signature against OpenSSL 3.0's ≈ 101 µs on the project's
/// machines, and `audit verify` is mostly signature checks (Benchmarks/README.md, "Audit tools").
/// The Wycheproof Ed25519 vectors check it as they check the OpenSSL wrapper.
enum IndependentEd25519 {
    /// Whether `signature` is a valid Ed25519 signature of `message` by the key `publicKey` (32 raw bytes).
    /// Small-order and non-canonical keys are refused (`Ed25519PointCheck`): swift-crypto accepts them,
    /// and under such a key one fixed signature verifies every message.
    static func isValidSignature(_ signature: [UInt8], for message: [UInt8], publicKey: [UInt8]) -> Bool {
        guard signature.count == 64, Ed25519PointCheck.isAcceptable(publicKey), let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else {
            return false
        }
        return key.isValidSignature(signature, for: message)
    }
}
