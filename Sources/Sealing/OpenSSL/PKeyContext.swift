internal import COpenSSL

/// Owns one `EVP_PKEY_CTX` (one key-agreement operation) and frees it on deinit.
final class PKeyContext {
    let pointer: OpaquePointer

    init(key: PKeyHandle, operation: String) throws(SealingError) {
        guard let ctx = EVP_PKEY_CTX_new(key.pointer, nil) else { throw .openSSLFailure(operation) }
        self.pointer = ctx
    }

    deinit {
        EVP_PKEY_CTX_free(pointer)
    }
}
