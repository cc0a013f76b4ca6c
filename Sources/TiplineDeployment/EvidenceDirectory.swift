public import Foundation

/// Where `tipline-admin tips show --save-evidence DIR` writes decrypted evidence: a directory only
/// its owner can enter (created 0700), files only its owner can read (0600), each created new
/// (`O_CREAT|O_EXCL|O_NOFOLLOW`: never through a planted symlink, never over an existing file), named
/// from the reference the staff member typed and an index: nothing stored on the server (a field
/// name, a file name) ever becomes part of a path.
public struct EvidenceDirectory: Sendable {
    /// The directory, once created or checked.
    public let url: URL

    /// Creates `path` with mode 0700 (its parents as usual), or opens it if it is already a real
    /// directory (not a symlink) closed to group and others.
    public init(path: String) throws(DeploymentError) {
        url = URL(fileURLWithPath: path)
        let parent = url.deletingLastPathComponent()
        if !FileManager.default.fileExists(atPath: parent.path) {
            do {
                try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
            } catch {
                throw DeploymentError.io(parent.lastPathComponent)
            }
        }
        if mkdir(url.path, 0o700) == 0 {
            guard chmod(url.path, 0o700) == 0 else { throw DeploymentError.io(url.lastPathComponent) }
            return
        }
        guard errno == EEXIST else { throw DeploymentError.io(url.lastPathComponent) }
        var info = stat()
        guard lstat(url.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw DeploymentError.unsafe("拒绝：\(path) 不是目录（或是符号链接）/ \(path) is not a directory (or is a symlink)")
        }
        guard info.st_mode & 0o077 == 0 else {
            throw DeploymentError.unsafe("拒绝：\(path) 对其他用户开放，请用 chmod 700 / \(path) is open to other users; chmod 700 it first")
        }
    }

    /// `<reference>-<index>.<ext>`, refused unless the reference and extension are plain.
    public static func fileName(reference: String, index: Int, ext: String) throws(DeploymentError) -> String {
        func plain(_ text: String, _ max: Int, dash: Bool) -> Bool {
            let bytes = Array(text.utf8)
            return (1...max).contains(bytes.count) && bytes[0] != UInt8(ascii: "-") && bytes.allSatisfy {
                ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x41 && $0 <= 0x5A) || (dash && $0 == UInt8(ascii: "-"))
            }
        }
        guard plain(reference, 40, dash: true) else {
            throw DeploymentError.malformed("tip reference \(reference.debugDescription)")
        }
        guard plain(ext, 8, dash: false), index >= 1 else {
            throw DeploymentError.malformed("evidence file name")
        }
        return "\(reference)-\(index).\(ext)"
    }

    /// Writes evidence `index` (1-based) of `reference` as a new 0600 file; refuses to replace or follow anything.
    @discardableResult
    public func write(_ bytes: [UInt8], reference: String, index: Int, ext: String) throws(DeploymentError) -> URL {
        let file = url.appendingPathComponent(try Self.fileName(reference: reference, index: index, ext: ext))
        let fd = open(file.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw errno == EEXIST || errno == ELOOP
                ? DeploymentError.unsafe("拒绝覆盖已存在的文件 / refusing to overwrite or follow \(file.lastPathComponent)")
                : DeploymentError.io(file.lastPathComponent)
        }
        defer { close(fd) }
        guard fchmod(fd, 0o600) == 0 else { throw DeploymentError.io(file.lastPathComponent) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + written, bytes.count - written) }
            guard n > 0 else { throw DeploymentError.io(file.lastPathComponent) }
            written += n
        }
        return file
    }
}
