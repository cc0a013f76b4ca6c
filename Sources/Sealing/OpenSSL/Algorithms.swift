internal import COpenSSL

/// Algorithm implementations fetched once from the default provider.
///
/// OpenSSL 3 looks an implementation up in its method store on every implicit fetch
/// (`EVP_sha256()` style or by name in a parameter); fetching once and reusing the
/// reference-counted, immutable objects keeps that lookup off the hot path. The objects
/// live for the life of the process and are safe to share between threads.
enum Algorithms {
    nonisolated(unsafe) static let sha256: OpaquePointer = {
        guard let md = EVP_MD_fetch(nil, "SHA256", nil) else { opensslFatal("EVP_MD_fetch(SHA256)") }
        return md
    }()

    nonisolated(unsafe) static let aes128GCM: OpaquePointer = fetchCipher("AES-128-GCM")
    nonisolated(unsafe) static let aes256GCM: OpaquePointer = fetchCipher("AES-256-GCM")
    nonisolated(unsafe) static let aes256CBC: OpaquePointer = fetchCipher("AES-256-CBC")

    /// An HMAC context with the digest already set to SHA-256. It is never keyed or used
    /// itself; `HMACContext` duplicates it, which copies the digest reference instead of
    /// fetching SHA-256 again for each MAC.
    nonisolated(unsafe) static let hmacSHA256Template: OpaquePointer = {
        guard let mac = EVP_MAC_fetch(nil, "HMAC", nil) else { opensslFatal("EVP_MAC_fetch(HMAC)") }
        defer { EVP_MAC_free(mac) }  // the context keeps its own reference
        guard let ctx = EVP_MAC_CTX_new(mac) else { opensslFatal("EVP_MAC_CTX_new") }
        // OSSL_PARAM keeps raw pointers: the names and values only need to outlive this call.
        let ok = OSSL_MAC_PARAM_DIGEST.withCString { name in
            "SHA256".withCString { value in
                var params = [
                    OSSL_PARAM_construct_utf8_string(name, UnsafeMutablePointer(mutating: value), 0),
                    OSSL_PARAM_construct_end(),
                ]
                return EVP_MAC_CTX_set_params(ctx, &params)
            }
        }
        guard ok == 1 else { opensslFatal("EVP_MAC_CTX_set_params(digest)") }
        return ctx
    }()

    private static func fetchCipher(_ name: String) -> OpaquePointer {
        guard let cipher = EVP_CIPHER_fetch(nil, name, nil) else { opensslFatal("EVP_CIPHER_fetch(\(name))") }
        return cipher
    }
}
