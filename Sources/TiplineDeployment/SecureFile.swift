public import Foundation

/// Writes files with explicit permissions, never briefly world-readable.
public enum SecureFile {
    /// Creates `url` with `mode` (e.g. 0o600) and writes `bytes`; refuses to overwrite.
    public static func create(_ url: URL, bytes: [UInt8], mode: mode_t) throws(DeploymentError) {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw DeploymentError.io(url.lastPathComponent) }
        defer { close(fd) }
        // The umask may have narrowed the mode; make it exact.
        _ = fchmod(fd, mode)
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
            guard n > 0 else { throw DeploymentError.io(url.lastPathComponent) }
            written += n
        }
        guard fsync(fd) == 0 else { throw DeploymentError.io(url.lastPathComponent) }
    }

    /// Creates `url` with `mode` and writes `text` as UTF-8; refuses to overwrite.
    public static func create(_ url: URL, text: String, mode: mode_t) throws(DeploymentError) {
        try create(url, bytes: Array(text.utf8), mode: mode)
    }

    /// Creates a directory with `mode` (and its parents with default permissions).
    public static func makeDirectory(_ url: URL, mode: mode_t) throws(DeploymentError) {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw DeploymentError.io(url.lastPathComponent)
        }
        guard chmod(url.path, mode) == 0 else { throw DeploymentError.io(url.lastPathComponent) }
    }

    /// Reads a whole file.
    public static func read(_ url: URL) throws(DeploymentError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw DeploymentError.unreadable(url.lastPathComponent)
        }
        return Array(data)
    }

    /// True if the current process can open `url` for reading.
    public static func isReadable(_ url: URL) -> Bool { access(url.path, R_OK) == 0 }
}

extension SecureFile {
    /// Replaces `url` atomically with `bytes` at `mode`: written to a new file beside it
    /// (`O_CREAT|O_EXCL|O_NOFOLLOW`), synced, renamed over it, then the directory synced. A crash
    /// leaves either the old file or the new one, never a half-written key.
    public static func replace(_ url: URL, bytes: [UInt8], mode: mode_t) throws(DeploymentError) {
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UInt32.random(in: 0...UInt32.max)).tmp")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard fd >= 0 else { throw DeploymentError.io(url.lastPathComponent) }
        var ok = fchmod(fd, mode) == 0
        var written = 0
        while ok, written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
            if n > 0 { written += n } else { ok = false }
        }
        ok = ok && fsync(fd) == 0
        close(fd)
        guard ok, rename(temporary.path, url.path) == 0 else {
            unlink(temporary.path)
            throw DeploymentError.io(url.lastPathComponent)
        }
        let dir = open(url.deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dir >= 0 {
            _ = fsync(dir)
            close(dir)
        }
    }
}
