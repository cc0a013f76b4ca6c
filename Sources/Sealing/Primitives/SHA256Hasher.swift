internal import COpenSSL

/// Incremental SHA-256 for large files and streams.
///
/// A value type: copying a hasher forks its state (the OpenSSL context is copied on the
/// first write to a shared copy), so it is `Sendable` like any other value.
public struct SHA256Hasher: Sendable {
    private var context: DigestContext

    /// A hasher with no input yet.
    public init() {
        context = DigestContext(md: Algorithms.sha256)
    }

    /// Feeds `data` into the hash.
    public mutating func update(_ data: [UInt8]) {
        data.withUnsafeBufferPointer { update(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// Feeds raw memory into the hash without copying it into an array first.
    public mutating func update(bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        if !isKnownUniquelyReferenced(&context) {
            context = context.copy()
        }
        guard EVP_DigestUpdate(context.pointer, bytes.baseAddress, bytes.count) == 1 else {
            opensslFatal("EVP_DigestUpdate")
        }
    }

    /// The SHA-256 of everything fed so far (32 bytes). The hasher itself is unchanged and
    /// may be fed further.
    public func finalize() -> [UInt8] {
        let finishing = context.copy()
        return [UInt8](unsafeUninitializedCapacity: 32) { out, count in
            var written: UInt32 = 0
            guard EVP_DigestFinal_ex(finishing.pointer, out.baseAddress, &written) == 1, written == 32 else {
                opensslFatal("EVP_DigestFinal_ex")
            }
            count = 32
        }
    }
}
