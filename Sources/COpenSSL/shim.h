// Thin shim over OpenSSL 3 libcrypto: only what Swift cannot import directly
// (function-like macros and variadic functions). Everything else is called as is.
#ifndef TIPLINE_COPENSSL_SHIM_H
#define TIPLINE_COPENSSL_SHIM_H

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/pem.h>
#include <openssl/bio.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/pkcs12.h>
#include <openssl/hmac.h>

/// `BIO_get_mem_data` is a macro; this returns the length and sets `*out`.
static inline long tipline_BIO_get_mem_data(BIO *bio, char **out) {
    return BIO_get_mem_data(bio, out);
}

/// `EVP_CIPHER_CTX_ctrl` wrappers for the GCM controls (macros in the headers).
static inline int tipline_gcm_set_ivlen(EVP_CIPHER_CTX *ctx, int len) {
    return EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, len, NULL);
}
static inline int tipline_gcm_get_tag(EVP_CIPHER_CTX *ctx, int len, void *tag) {
    return EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, len, tag);
}
static inline int tipline_gcm_set_tag(EVP_CIPHER_CTX *ctx, int len, void *tag) {
    return EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, len, tag);
}

/// `OPENSSL_free` is a macro (it passes file and line to `CRYPTO_free`).
static inline void tipline_OPENSSL_free(void *ptr) {
    OPENSSL_free(ptr);
}

/// `OPENSSL_clear_free` is a macro: wipes then frees a buffer OpenSSL allocated.
static inline void tipline_OPENSSL_clear_free(void *ptr, size_t len) {
    OPENSSL_clear_free(ptr, len);
}

#if defined(__linux__)
#include <sys/prctl.h>
#include <sys/resource.h>

/// `prctl` is variadic. PR_SET_DUMPABLE 0: no core dump, and other processes of the same user
/// cannot ptrace the server or read its /proc/<pid>/mem (receipt-derived keys live in its memory).
static inline int tipline_set_dumpable(int value) {
    return prctl(PR_SET_DUMPABLE, (unsigned long)value, 0UL, 0UL, 0UL);
}
static inline int tipline_get_dumpable(void) {
    return prctl(PR_GET_DUMPABLE, 0UL, 0UL, 0UL, 0UL);
}
#endif

#endif
