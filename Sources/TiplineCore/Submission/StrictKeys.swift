/// Decoding helper that refuses JSON objects with keys outside an allowed set.
///
/// `Decodable` silently ignores unknown keys; for a tip-line that hides client bugs and typos
/// (a misspelt `reporter` would silently drop an identity the reporter meant to give).
struct AnyCodingKey: CodingKey {
    let stringValue: String
    let intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue; self.intValue = nil }
    init?(intValue: Int) { self.stringValue = String(intValue); self.intValue = intValue }
}

/// Thrown while decoding when an object has a key the API does not define.
public struct UnknownFieldError: Error, Sendable {
    /// The offending key, truncated; it is echoed to the submitting client only, never logged.
    public let field: String
    /// An error naming `field`.
    public init(field: String) { self.field = field }
}

extension Decoder {
    func refuseUnknownKeys(allowed: Set<String>, prefix: String = "") throws {
        let container = try container(keyedBy: AnyCodingKey.self)
        for key in container.allKeys where !allowed.contains(key.stringValue) {
            throw UnknownFieldError(field: prefix + String(key.stringValue.prefix(64)))
        }
    }
}

