/// The one error type of the `Sealing` module.
///
/// Every description names only *what* failed, never the data involved (no key bytes,
/// no plaintext, no record ids), so an error can be logged or turned into an HTTP error
/// without leaking anything about a reporter.
public enum SealingError: Error, Equatable, CustomStringConvertible {
    /// An OpenSSL call failed; `detail` holds the drained OpenSSL error queue (library and
    /// reason strings only).
    case openSSL(operation: String, detail: String)
    /// AEAD tag mismatch: wrong key, wrong nonce, wrong associated data or altered ciphertext.
    case authenticationFailed
    /// A key was refused: wrong length, bad encoding, wrong type, low-order X25519 result.
    case invalidKey(String)
    /// An argument was refused, e.g. a nonce of the wrong length or a name with a ':'.
    case invalidInput(String)
    /// An encrypted private key PEM could not be decrypted with the given passphrase.
    case wrongPassphrase
    /// A serialized envelope, wrap, field or key container is malformed.
    case malformed(String)
    /// A serialized object carries a format version this build does not understand.
    case unsupportedVersion(UInt8)

    /// A description free of data: only the kind of failure.
    public var description: String {
        switch self {
        case let .openSSL(operation, detail):
            return detail.isEmpty ? "OpenSSL failure in \(operation)" : "OpenSSL failure in \(operation): \(detail)"
        case .authenticationFailed:
            return "authentication failed (wrong key, nonce or associated data, or altered ciphertext)"
        case let .invalidKey(what):
            return "invalid key: \(what)"
        case let .invalidInput(what):
            return "invalid input: \(what)"
        case .wrongPassphrase:
            return "wrong passphrase for encrypted private key"
        case let .malformed(what):
            return "malformed: \(what)"
        case let .unsupportedVersion(version):
            return "unsupported format version \(version)"
        }
    }
}
