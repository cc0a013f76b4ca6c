internal import COpenSSL

/// Passphrase protection for private keys of any algorithm given as PKCS#8 DER (for the TLS key,
/// which is ECDSA P-256 and made by swift-certificates). Same file format as our X25519/Ed25519
/// keys: `ENCRYPTED PRIVATE KEY`, PBES2 with scrypt (N=2^15, r=8, p=1) and AES-256-CBC.
public enum EncryptedPKCS8 {
    /// Encrypts PKCS#8 `PrivateKeyInfo` DER into an encrypted PEM.
    public static func encryptPEM(der: [UInt8], passphrase: [UInt8], parameters: Scrypt.Parameters = .default) throws(SealingError) -> String {
        // Parse first so that garbage is refused rather than sealed.
        _ = try PKeyHandle.fromPKCS8(der)
        return try EncryptedPrivateKeyPEM.encrypt(privateKeyInfo: der, passphrase: passphrase, parameters: parameters)
    }

    /// Decrypts an encrypted PEM back to PKCS#8 `PrivateKeyInfo` DER (kept in memory only).
    public static func decryptDER(pem: String, passphrase: [UInt8]) throws(SealingError) -> [UInt8] {
        try EncryptedPrivateKeyPEM.decrypt(pem, passphrase: passphrase).pkcs8DER()
    }
}

extension PKeyHandle {
    /// Parses PKCS#8 `PrivateKeyInfo` DER of any algorithm OpenSSL knows.
    static func fromPKCS8(_ der: [UInt8]) throws(SealingError) -> PKeyHandle {
        let p8: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_PKCS8_PRIV_KEY_INFO(nil, &cursor, buffer.count)
        }
        guard let p8 else {
            OpenSSLErrorQueue.clear()
            throw .malformed("PrivateKeyInfo")
        }
        defer { PKCS8_PRIV_KEY_INFO_free(p8) }
        guard let key = EVP_PKCS82PKEY(p8) else {
            OpenSSLErrorQueue.clear()
            throw .malformed("PrivateKeyInfo")
        }
        return PKeyHandle(taking: key)
    }

    /// The key as PKCS#8 `PrivateKeyInfo` DER.
    func pkcs8DER() throws(SealingError) -> [UInt8] {
        guard let p8 = EVP_PKEY2PKCS8(pointer) else { throw SealingError.openSSLFailure("EVP_PKEY2PKCS8") }
        defer { PKCS8_PRIV_KEY_INFO_free(p8) }
        var out: UnsafeMutablePointer<UInt8>?
        let length = i2d_PKCS8_PRIV_KEY_INFO(p8, &out)
        guard length > 0, let out else { throw SealingError.openSSLFailure("i2d_PKCS8_PRIV_KEY_INFO") }
        defer { tipline_OPENSSL_clear_free(out, Int(length)) }
        return Array(UnsafeBufferPointer(start: out, count: Int(length)))
    }
}
