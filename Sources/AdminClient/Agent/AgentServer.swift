package import Foundation
import Sealing

/// The key agent itself (`tipline-admin unlock` starts it in the background): holds the staff
/// key and centre keys it was given, decrypted, in memory only, and signs and unwraps for
/// processes of its own user until `lock` or the deadline. It never writes a key, never hands one
/// out, refuses other users (SO_PEERCRED), cannot be traced or dumped (PR_SET_DUMPABLE 0), and
/// keeps its pages out of swap where the system allows (mlockall).
package final class AgentServer: @unchecked Sendable {  // serves on one thread; never shared while serving
    private var staffKeys: [String: Ed25519PrivateKey] = [:]
    private var centreKeys: [String: X25519PrivateKey] = [:]
    private var described: [AgentKey] = []
    private let expiresAt: Int64
    private let path: String

    package init(load: AgentLoad, path: String) throws {
        self.path = path
        self.expiresAt = load.expiresAt
        for key in load.keys {
            var raw = Array(key.raw)
            defer { for index in raw.indices { raw[index] = 0 } }
            switch key.kind {
            case .staff:
                let value = try Ed25519PrivateKey(rawRepresentation: raw)
                staffKeys[value.publicKey.keyID] = value
                described.append(AgentKey(kind: .staff, keyID: value.publicKey.keyID, publicKey: Data(value.publicKey.rawRepresentation), file: key.file))
            case .content, .identity:
                let value = try X25519PrivateKey(rawRepresentation: raw)
                centreKeys[value.publicKey.keyID] = value
                described.append(AgentKey(kind: key.kind, keyID: value.publicKey.keyID, publicKey: Data(value.publicKey.rawRepresentation), file: key.file))
            }
        }
    }

    /// Hardens the process: no core dumps, no ptrace by the same user, no swapping if allowed.
    package static func harden() {
        _ = linuxPrctl(4 /* PR_SET_DUMPABLE */, 0, 0, 0, 0)
        var limit = rlimit(rlim_cur: 0, rlim_max: 0)
        _ = setrlimit(Int32(RLIMIT_CORE.rawValue), &limit)
        _ = mlockall(MCL_CURRENT | MCL_FUTURE)
    }

    /// Binds the socket (0600 in a 0700 directory); call before telling `unlock` the agent is ready.
    package func bind() throws -> Int32 {
        try AgentSocket.prepareDirectory(for: path)
        unlink(path)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw CLIError.io("socket") }
        var address = try AgentSocket.address(path)
        let saved = umask(0o177)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        umask(saved)
        guard bound == 0, chmod(path, 0o600) == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw CLIError.io(say("代理无法监听 \(path)", "the agent cannot listen on \(path)"))
        }
        return fd
    }

    /// Serves until `lock` or the deadline, then wipes the keys and removes the socket.
    package func serve(_ listener: Int32) {
        defer {
            staffKeys.removeAll()
            centreKeys.removeAll()
            close(listener)
            unlink(path)
        }
        while true {
            let left = expiresAt - Int64(Date().timeIntervalSince1970)
            guard left > 0 else { return }
            var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(min(left, 60) * 1_000))
            if ready < 0, errno != EINTR { return }
            guard ready > 0 else { continue }
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { continue }
            let stop = handle(connection)
            close(connection)
            if stop { return }
        }
    }

    /// Answers one request; true when it was `lock`.
    private func handle(_ connection: Int32) -> Bool {
        AgentSocket.setTimeouts(connection, seconds: 5)
        guard AgentSocket.peerUID(connection) == getuid() else { return false }
        guard let data = AgentFrame.read(connection), let request = try? JSONDecoder().decode(AgentRequest.self, from: data) else { return false }
        let reply = answer(request)
        if let encoded = try? JSONEncoder().encode(reply) { _ = AgentFrame.write(connection, encoded) }
        return request.operation == .lock
    }

    private func answer(_ request: AgentRequest) -> AgentReply {
        switch request.operation {
        case .status, .lock:
            return AgentReply(keys: described, expiresAt: expiresAt)
        case .sign:
            guard let keyID = request.keyID, let key = staffKeys[keyID], let message = request.message, message.count <= 1 << 16 else {
                return AgentReply(error: "no such staff key")
            }
            guard let signature = try? key.signature(for: Array(message)) else { return AgentReply(error: "signing failed") }
            return AgentReply(signature: Data(signature))
        case .unwrap:
            guard let bytes = request.wrap, let keyClass = request.keyClass, let recordID = request.recordID,
                  bytes.count <= 4_096, recordID.utf8.count <= 128 else { return AgentReply(error: "malformed request") }
            guard let keyID = request.keyID, let key = centreKeys[keyID],
                  let wrap = try? RecipientWrap(keyClass: keyClass, recipientKeyID: keyID, serialized: Array(bytes)),
                  let dataKey = try? EnvelopeCrypto.unwrap(wrap, recordID: recordID, with: key) else {
                return AgentReply(error: "no held key opens this wrap")
            }
            return AgentReply(dataKey: dataKey.key.withUnsafeBytes { Data($0) })
        }
    }
}

/// `prctl(2)`, not in the Glibc overlay; integer arguments only.
@_silgen_name("prctl")
private func linuxPrctl(_ option: Int32, _ arg2: UInt, _ arg3: UInt, _ arg4: UInt, _ arg5: UInt) -> Int32
