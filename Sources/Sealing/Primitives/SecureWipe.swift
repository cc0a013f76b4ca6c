internal import COpenSSL

/// Zeroising secret buffers from outside `Sealing` (which alone links OpenSSL) with
/// `OPENSSL_cleanse`, a write the optimiser cannot remove as dead.
///
/// Only the array's own storage is wiped: copies made earlier by value are not. Keep a secret in
/// one array, hand it out by borrowing, and wipe that array when done (`defer`).
public enum SecureWipe {
    /// Overwrites every byte of `bytes` with zero, keeping its count.
    public static func wipe(_ bytes: inout [UInt8]) {
        Bytes.wipe(&bytes)
    }

    /// Overwrites every byte of `buffer` with zero.
    public static func wipe(_ buffer: UnsafeMutableRawBufferPointer) {
        Bytes.wipe(buffer)
    }
}
