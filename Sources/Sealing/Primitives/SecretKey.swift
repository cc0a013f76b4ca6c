internal import COpenSSL

/// A symmetric key of 16 or 32 bytes held outside Swift arrays, wiped when the last copy goes.
///
/// The bytes live in one heap allocation that is never copied by value; `withUnsafeBytes`
/// lends them out and `bytesForExport` makes an explicit copy (the name says it leaves the
/// protection). `description` and the mirror never show the bytes.
public struct SecretKey: Sendable, Equatable, CustomStringConvertible, CustomReflectable {
    /// Owns the key memory; wipes and frees it on deinit. Immutable after initialisation,
    /// hence `@unchecked Sendable`.
    final class Storage: @unchecked Sendable {
        let buffer: UnsafeMutableRawBufferPointer

        init(count: Int) {
            buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 16)
            buffer.initializeMemory(as: UInt8.self, repeating: 0)
        }

        deinit {
            OPENSSL_cleanse(buffer.baseAddress, buffer.count)
            buffer.deallocate()
        }
    }

    let storage: Storage

    /// Copies `bytes` (16 or 32 of them) into protected storage.
    /// - Throws: `.invalidKey` for any other length.
    public init(bytes: [UInt8]) throws(SealingError) {
        guard bytes.count == 16 || bytes.count == 32 else { throw .invalidKey("secret key must be 16 or 32 bytes") }
        storage = Storage(count: bytes.count)
        bytes.withUnsafeBufferPointer { source in
            storage.buffer.copyMemory(from: UnsafeRawBufferPointer(source))
        }
    }

    /// A key of `count` bytes written in place by `fill`, so it never passes through an array.
    init(count: Int, fill: (UnsafeMutableRawBufferPointer) -> Void) {
        storage = Storage(count: count)
        fill(storage.buffer)
    }

    /// A new random 256-bit key from the private DRBG.
    public static func random256() -> SecretKey {
        SecretKey(count: 32) { SecureRandom.fillPrivate($0) }
    }

    /// Key length in bytes (16 or 32).
    public var count: Int { storage.buffer.count }

    /// Lends the key bytes to `body`; they must not escape it.
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(storage.buffer))
    }

    /// An ordinary array copy of the key: the copy is no longer wiped for you.
    public var bytesForExport: [UInt8] {
        [UInt8](UnsafeRawBufferPointer(storage.buffer))
    }

    /// Constant-time comparison of the key bytes.
    public static func == (lhs: SecretKey, rhs: SecretKey) -> Bool {
        ConstantTime.equals(UnsafeRawBufferPointer(lhs.storage.buffer), UnsafeRawBufferPointer(rhs.storage.buffer))
    }

    /// Names the key size only.
    public var description: String { "SecretKey(\(count * 8) bits, redacted)" }

    /// An empty mirror, so `dump` and debuggers show no key bytes.
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
