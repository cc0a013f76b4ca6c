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
