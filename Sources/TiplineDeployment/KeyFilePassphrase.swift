public import Foundation
import Sealing

/// `tipline-admin keys passwd FILE`: re-encrypts a passphrase-protected private key file (staff,
/// centre, server signing or TLS key) under a new passphrase, in place and atomically, 0600.
public enum KeyFilePassphrase {
    /// Decrypts `file` with `old` and replaces it with the same key under `new`.
    /// - Throws: `.wrongPassphrase` if `old` does not open it; `.passphraseRefused` if `new` is
    ///   too short or equal to `old`; `.unreadable`/`.malformed`/`.io` for the file.
    public static func change(_ file: URL, old: [UInt8], new: [UInt8]) throws(DeploymentError) {
        try Passphrase.checkLength(new, purpose: file.lastPathComponent)
        guard new != old else {
            throw DeploymentError.passphraseRefused("新口令与旧口令相同 / the new passphrase is the same as the old one")
        }
        var info = stat()
        guard lstat(file.path, &info) == 0 else { throw DeploymentError.unreadable(file.lastPathComponent) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw DeploymentError.unsafe("\(file.lastPathComponent) is not a regular file") }
        let pem = String(decoding: try SecureFile.read(file), as: UTF8.self)
        var der: [UInt8]
        do {
            der = try EncryptedPKCS8.decryptDER(pem: pem, passphrase: old)
        } catch SealingError.wrongPassphrase {
            throw DeploymentError.wrongPassphrase(file.lastPathComponent)
        } catch {
            throw DeploymentError.malformed("\(file.lastPathComponent): not an encrypted private key")
        }
        defer { for index in der.indices { der[index] = 0 } }  // best effort: the clear key
        let sealed: String
        do {
            sealed = try EncryptedPKCS8.encryptPEM(der: der, passphrase: new)
        } catch {
            throw DeploymentError.malformed("\(file.lastPathComponent): the key could not be re-encrypted")
        }
        try SecureFile.replace(file, bytes: Array(sealed.utf8), mode: 0o600)
    }
}
