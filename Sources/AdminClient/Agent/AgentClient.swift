package import Foundation
package import Sealing

/// A connection to the running key agent: asks it to sign or unwrap, or to lock.
package struct AgentClient: Sendable {
    package let path: String

    package init(path: String = AgentSocket.path()) { self.path = path }

    /// The running agent's keys and expiry, or nil when no agent answers.
    package func status() -> (keys: [AgentKey], expiresAt: Int64)? {
        guard let reply = try? exchange(AgentRequest(.status)), let keys = reply.keys, let expiresAt = reply.expiresAt else { return nil }
        return (keys, expiresAt)
    }

    package func sign(_ message: [UInt8], keyID: String) throws -> [UInt8] {
        let reply = try exchange(AgentRequest(.sign, keyID: keyID, message: Data(message)))
        guard let signature = reply.signature, signature.count == 64 else { throw agentError(reply) }
        return Array(signature)
    }

    package func unwrap(_ wrap: RecipientWrap, recordID: String) throws -> DataKey {
        let reply = try exchange(AgentRequest(.unwrap, keyID: wrap.recipientKeyID, wrap: Data(wrap.serialized()), keyClass: wrap.keyClass, recordID: recordID))
        guard var raw = reply.dataKey.map(Array.init), raw.count == 32 else { throw agentError(reply) }
        defer { for index in raw.indices { raw[index] = 0 } }
        return try DataKey(keyClass: wrap.keyClass, key: try SecretKey(bytes: raw))
    }

    /// Asks the agent to wipe its keys and stop; false if none was running.
    @discardableResult
    package func lock() -> Bool { (try? exchange(AgentRequest(.lock))) != nil }

    private func agentError(_ reply: AgentReply) -> CLIError {
        CLIError.refused(say("密钥代理拒绝：", "the key agent refused: ") + (reply.error ?? "?"))
    }

    private func exchange(_ request: AgentRequest) throws -> AgentReply {
        try AgentSocket.checkPrivate((path as NSString).deletingLastPathComponent)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw CLIError.io("socket") }
        defer { close(fd) }
        AgentSocket.setTimeouts(fd, seconds: 10)
        var address = try AgentSocket.address(path)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else { throw CLIError.io(say("密钥代理未运行", "the key agent is not running")) }
        guard AgentFrame.write(fd, try JSONEncoder().encode(request)), let data = AgentFrame.read(fd),
              let reply = try? JSONDecoder().decode(AgentReply.self, from: data) else {
            throw CLIError.io(say("密钥代理没有应答", "the key agent did not answer"))
        }
        return reply
    }
}
