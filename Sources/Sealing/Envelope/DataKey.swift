/// A random 256-bit AES-GCM key for one class of one record's fields.
public struct DataKey: Sendable, Equatable {
    /// Which fields this key seals.
    public let keyClass: KeyClass
    /// The 32-byte key, wiped when the last copy goes.
    public let key: SecretKey

    /// Wraps an existing 32-byte key.
    /// - Throws: `.invalidKey` unless `key` is 32 bytes.
    public init(keyClass: KeyClass, key: SecretKey) throws(SealingError) {
        guard key.count == 32 else { throw .invalidKey("data key must be 32 bytes") }
        self.keyClass = keyClass
        self.key = key
    }

    /// A fresh random data key.
    public static func random(_ keyClass: KeyClass) -> DataKey {
        DataKey(unchecked: keyClass, key: .random256())
    }

    init(unchecked keyClass: KeyClass, key: SecretKey) {
        self.keyClass = keyClass
        self.key = key
    }
}
