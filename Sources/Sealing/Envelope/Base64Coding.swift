internal import Foundation

/// Standard base64 (RFC 4648 §4, with padding) for the JSON form of envelopes.
enum Base64Coding {
    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }

    static func decode(_ text: String, _ what: String) throws(SealingError) -> [UInt8] {
        guard let data = Data(base64Encoded: text) else { throw .malformed("\(what) is not base64") }
        return [UInt8](data)
    }
}
