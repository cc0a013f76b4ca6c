internal import COpenSSL

/// Owns one `EVP_CIPHER_CTX` and frees it on deinit (OpenSSL wipes the key schedule on free).
final class CipherContext {
    let pointer: OpaquePointer

    init() throws(SealingError) {
        guard let ctx = EVP_CIPHER_CTX_new() else { throw .openSSLFailure("EVP_CIPHER_CTX_new") }
        self.pointer = ctx
    }

    deinit {
        EVP_CIPHER_CTX_free(pointer)
    }
}
