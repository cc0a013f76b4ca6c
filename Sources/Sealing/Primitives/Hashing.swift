internal import COpenSSL

/// One-shot SHA-256.
public enum Hashing {
    /// SHA-256 of `data` (32 bytes).
    public static func sha256(_ data: [UInt8]) -> [UInt8] {
        data.withUnsafeBufferPointer { sha256(UnsafeRawBufferPointer($0)) }
    }

    /// Lowercase hex of the SHA-256 of `data` (64 characters).
    public static func sha256Hex(_ data: [UInt8]) -> String {
        Bytes.hex(sha256(data))
    }

    /// SHA-256 of raw memory.
    static func sha256(_ data: UnsafeRawBufferPointer) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { out, count in
            var written: UInt32 = 0
            guard EVP_Digest(data.baseAddress, data.count, out.baseAddress, &written, Algorithms.sha256, nil) == 1, written == 32 else {
                opensslFatal("EVP_Digest(SHA256)")
            }
            count = 32
        }
    }
}
