package import Foundation

/// Where the key agent listens, and the checks on both ends of its Unix socket.
///
/// `TIPLINE_AGENT_SOCKET`, else `$XDG_RUNTIME_DIR/tipline/agent.sock`, else
/// `/tmp/tipline-<uid>/agent.sock`. The directory is the user's own and mode 0700, the socket 0600,
/// and the agent serves a connection only if the peer's uid (SO_PEERCRED) is its own.
package enum AgentSocket {
    package static func path(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit = environment["TIPLINE_AGENT_SOCKET"], !explicit.isEmpty { return explicit }
        if let runtime = environment["XDG_RUNTIME_DIR"], runtime.hasPrefix("/") { return runtime + "/tipline/agent.sock" }
        return "/tmp/tipline-\(getuid())/agent.sock"
    }

    /// Makes the socket's directory (0700) or checks that an existing one is ours and private.
    package static func prepareDirectory(for path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if mkdir(directory, 0o700) != 0, errno != EEXIST {
            throw CLIError.io(say("无法创建代理目录 \(directory)", "cannot create the agent directory \(directory)"))
        }
        try checkPrivate(directory)
    }

    /// Refuses a directory that is not ours, or that others can enter.
    package static func checkPrivate(_ directory: String) throws {
        var info = stat()
        guard lstat(directory, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR, info.st_uid == getuid(),
              info.st_mode & 0o077 == 0 else {
            throw CLIError.refused(say("代理目录 \(directory) 不属于您或权限过宽（应为 0700）",
                                       "the agent directory \(directory) is not yours or not private (expected 0700)"))
        }
    }

    /// A Unix socket address for `path` (at most 107 bytes).
    static func address(_ path: String) throws -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw CLIError.input(say("代理套接字路径太长：\(path)", "the agent socket path is too long: \(path)"))
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        return address
    }

    /// The uid of the process at the other end of a connected Unix socket.
    static func peerUID(_ fd: Int32) -> uid_t? {
        var credentials = PeerCredentials()
        var length = socklen_t(MemoryLayout<PeerCredentials>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) == 0 else { return nil }
        return credentials.uid
    }

    /// Bounds how long one read or write on `fd` may block.
    static func setTimeouts(_ fd: Int32, seconds: Int) {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }
}

/// Linux's `struct ucred` (SO_PEERCRED), which Glibc's Swift overlay leaves out (it needs _GNU_SOURCE).
struct PeerCredentials {
    var pid: Int32 = 0
    var uid: UInt32 = 0
    var gid: UInt32 = 0
}
