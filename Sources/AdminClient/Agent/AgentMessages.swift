package import Foundation
package import Sealing

/// The key agent's wire format (issue 13, item 2): one request and one reply per connection, each a
/// 4-byte big-endian length and a JSON object. The agent signs and unwraps; it never hands out a
/// private key.
package struct AgentRequest: Codable, Sendable {
    package enum Operation: String, Codable, Sendable {
        /// Which keys are held, and until when.
        case status
        /// Sign `message` with the staff key `keyID`.
        case sign
        /// Open the wrap `wrap` of `keyClass` for record `recordID` with the centre key it names.
        case unwrap
        /// Wipe every key and stop.
        case lock
    }

    package var operation: Operation
    package var keyID: String?
    package var message: Data?
    package var wrap: Data?
    package var keyClass: KeyClass?
    package var recordID: String?

    package init(_ operation: Operation, keyID: String? = nil, message: Data? = nil, wrap: Data? = nil,
                 keyClass: KeyClass? = nil, recordID: String? = nil) {
        self.operation = operation
        self.keyID = keyID
        self.message = message
        self.wrap = wrap
        self.keyClass = keyClass
        self.recordID = recordID
    }
}

/// A key the agent holds, as it describes it (public parts only).
package struct AgentKey: Codable, Sendable, Equatable {
    package enum Kind: String, Codable, Sendable { case staff, content, identity }
    package var kind: Kind
    package var keyID: String
    package var publicKey: Data
    /// The file it was read from (absolute), so a command can ask for "the key of this file".
    package var file: String
}

package struct AgentReply: Codable, Sendable {
    package var error: String?
    package var signature: Data?
    package var dataKey: Data?
    package var keys: [AgentKey]?
    package var expiresAt: Int64?

    package init(error: String? = nil, signature: Data? = nil, dataKey: Data? = nil, keys: [AgentKey]? = nil, expiresAt: Int64? = nil) {
        self.error = error
        self.signature = signature
        self.dataKey = dataKey
        self.keys = keys
        self.expiresAt = expiresAt
    }
}

/// What `unlock` hands the agent it starts, over a pipe (never a file): the decrypted keys.
package struct AgentLoad: Codable, Sendable {
    package struct Key: Codable, Sendable {
        package var kind: AgentKey.Kind
        package var raw: Data
        package var file: String
        package init(kind: AgentKey.Kind, raw: Data, file: String) {
            self.kind = kind
            self.raw = raw
            self.file = file
        }
    }
    package var keys: [Key]
    package var expiresAt: Int64
    package init(keys: [Key], expiresAt: Int64) {
        self.keys = keys
        self.expiresAt = expiresAt
    }
}

/// Framing shared by both ends.
package enum AgentFrame {
    /// The largest frame either side accepts (a wrap or a request signature message is far smaller).
    package static let maxSize = 1 << 20

    package static func write(_ fd: Int32, _ payload: Data) -> Bool {
        var length = UInt32(payload.count).bigEndian
        let header = withUnsafeBytes(of: &length) { Array($0) }
        return writeAll(fd, header) && writeAll(fd, Array(payload))
    }

    package static func read(_ fd: Int32) -> Data? {
        guard let header = readExactly(fd, 4) else { return nil }
        let length = header.reduce(0) { $0 << 8 | Int($1) }
        guard length <= maxSize, let body = readExactly(fd, length) else { return nil }
        return Data(body)
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + written, bytes.count - written, Int32(MSG_NOSIGNAL)) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return false }
            written += n
        }
        return true
    }

    static func readExactly(_ fd: Int32, _ count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = bytes.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + got, count - got, 0) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return nil }
            got += n
        }
        return bytes
    }
}
