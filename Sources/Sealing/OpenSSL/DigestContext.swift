internal import COpenSSL

/// Owns one `EVP_MD_CTX` and frees it on deinit.
///
/// `@unchecked Sendable`: the only mutable user, `SHA256Hasher`, copies the context before
/// mutating unless it holds the only reference, so a shared context is never written.
final class DigestContext: @unchecked Sendable {
    let pointer: OpaquePointer

    /// A fresh context initialised for `md`.
    init(md: OpaquePointer) {
        guard let ctx = EVP_MD_CTX_new() else { opensslFatal("EVP_MD_CTX_new") }
        guard EVP_DigestInit_ex(ctx, md, nil) == 1 else {
            EVP_MD_CTX_free(ctx)
            opensslFatal("EVP_DigestInit_ex")
        }
        self.pointer = ctx
    }

    /// An empty context, for signing and verifying (initialised by the caller).
    init(empty: Void) throws(SealingError) {
        guard let ctx = EVP_MD_CTX_new() else { throw .openSSLFailure("EVP_MD_CTX_new") }
        self.pointer = ctx
    }

    private init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    /// An independent copy of the current state.
    func copy() -> DigestContext {
        guard let ctx = EVP_MD_CTX_new() else { opensslFatal("EVP_MD_CTX_new") }
        guard EVP_MD_CTX_copy_ex(ctx, pointer) == 1 else {
            EVP_MD_CTX_free(ctx)
            opensslFatal("EVP_MD_CTX_copy_ex")
        }
        return DigestContext(taking: ctx)
    }

    deinit {
        EVP_MD_CTX_free(pointer)
    }
}
