internal import COpenSSL

/// scrypt (RFC 7914), the memory-hard password KDF used for receipts and key files.
///
/// It blocks the calling thread for as long as it runs (≈0.1 s at the default
/// parameters): call it off event loops, behind a bounded gate.
public enum Scrypt {
    /// Cost parameters.
    public struct Parameters: Sendable, Codable, Hashable {
        /// CPU/memory cost N, a power of two greater than 1.
        public var n: UInt64
        /// Block size r.
        public var r: UInt32
        /// Parallelisation p.
        public var p: UInt32

        /// Parameters as given; they are checked when used.
        public init(n: UInt64, r: UInt32, p: UInt32) {
            self.n = n
            self.r = r
            self.p = p
        }

        /// N = 2^15, r = 8, p = 1 (32 MiB, ≈0.1 s on the project's machines).
        public static let `default` = Parameters(n: 1 << 15, r: 8, p: 1)

        /// Bytes of memory scrypt needs for these parameters (128·r·(N + p + 2), as OpenSSL counts).
        public var memoryRequired: UInt64? {
            let (np, o1) = n.addingReportingOverflow(UInt64(p) + 2)
            let (rn, o2) = UInt64(128 * UInt64(r)).multipliedReportingOverflow(by: np)
            return o1 || o2 ? nil : rn
        }

        /// Checks the parameters against RFC 7914's bounds.
        public func validate() throws(SealingError) {
            guard n > 1, n & (n - 1) == 0 else { throw .invalidInput("scrypt N must be a power of two greater than 1") }
            guard r >= 1, p >= 1 else { throw .invalidInput("scrypt r and p must be at least 1") }
            guard UInt64(r) * UInt64(p) < 1 << 30 else { throw .invalidInput("scrypt r·p must be below 2^30") }
            // N < 2^(128·r/8) = 2^(16·r)
            if r < 4, n >= UInt64(1) << (16 * UInt64(r)) { throw .invalidInput("scrypt N too large for r") }
            guard memoryRequired != nil else { throw .invalidInput("scrypt parameters overflow") }
        }
    }

    /// Derives `length` bytes from `password` and `salt`.
    /// - Throws: `.invalidInput` for invalid parameters or a length outside 1...2^30;
    ///   `.openSSL` if OpenSSL refuses (e.g. memory could not be allocated).
    public static func derive(password: [UInt8], salt: [UInt8], parameters: Parameters, length: Int) throws(SealingError) -> [UInt8] {
        try parameters.validate()
        guard length >= 1, length <= 1 << 30 else { throw .invalidInput("scrypt output length must be between 1 and 2^30 bytes") }
        // OpenSSL refuses any run above `maxmem` (32 MiB by default, which N = 2^15, r = 8
        // just exceeds), so set it from the parameters with 1 MiB to spare.
        let need = parameters.memoryRequired!
        let (upper, overflow) = need.addingReportingOverflow(1 << 20)
        guard !overflow else { throw .invalidInput("scrypt parameters overflow") }
        let (rn, o1) = (128 * UInt64(parameters.r)).multipliedReportingOverflow(by: parameters.n)
        let (rnp, o2) = rn.multipliedReportingOverflow(by: UInt64(parameters.p))
        let (brief, o3) = rnp.addingReportingOverflow(1 << 20)
        let maxmem = (o1 || o2 || o3) ? upper : max(upper, brief)
        var failed = false
        let out = password.withUnsafeBufferPointer { pass in
            salt.withUnsafeBufferPointer { saltBuffer in
                [UInt8](unsafeUninitializedCapacity: length) { buffer, count in
                    let ok = pass.withMemoryRebound(to: CChar.self) { passChars in
                        EVP_PBE_scrypt(passChars.baseAddress, passChars.count, saltBuffer.baseAddress, saltBuffer.count,
                                       parameters.n, UInt64(parameters.r), UInt64(parameters.p), maxmem,
                                       buffer.baseAddress, length)
                    }
                    if ok == 1 {
                        count = length
                    } else {
                        OPENSSL_cleanse(buffer.baseAddress, length)
                        failed = true
                        count = 0
                    }
                }
            }
        }
        if failed { throw .openSSLFailure("EVP_PBE_scrypt") }
        return out
    }
}
