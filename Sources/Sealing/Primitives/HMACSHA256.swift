/// HMAC-SHA256 (RFC 2104).
public enum HMACSHA256 {
    /// The 32-byte HMAC-SHA256 of `message` under `key` (any key length).
    public static func authenticate(_ message: [UInt8], key: [UInt8]) -> [UInt8] {
        key.withUnsafeBufferPointer { keyBuffer in
            let context = HMACContext(key: UnsafeRawBufferPointer(keyBuffer))
            context.update(message)
            return context.finalize()
        }
    }
}
