public import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The append-only checkpoint file (`data/checkpoints.log`): one `AuditCheckpoint` per line.
///
/// Every append opens the file with `O_APPEND`, writes one whole line with a single `write`, and
/// `fsync`s before returning, so a checkpoint that was reported written survives a crash and lines
/// never interleave. Nothing ever rewrites or truncates the file.
public enum CheckpointLog {
    /// Why the checkpoint file could not be written or read. Names no content.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// `open(2)` failed, with its errno.
        case open(Int32)
        /// `write(2)` failed or wrote part of the line, with its errno.
        case write(Int32)
        /// `fsync(2)` failed, with its errno.
        case sync(Int32)

        /// The failure and its errno; names no content.
        public var description: String {
            switch self {
            case .open(let code): "cannot open the checkpoint file (errno \(code))"
            case .write(let code): "cannot append to the checkpoint file (errno \(code))"
            case .sync(let code): "cannot fsync the checkpoint file (errno \(code))"
            }
        }
    }

    /// Appends `checkpoint` as one line and syncs it to disk.
    public static func append(_ checkpoint: AuditCheckpoint, to file: URL) throws(Failure) {
        let fd = open(file.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .open(errno) }
        defer { close(fd) }
        let bytes = Array((checkpoint.line + "\n").utf8)
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
            if result < 0 {
                if errno == EINTR { continue }
                throw .write(errno)
            }
            written += result
        }
        guard fsync(fd) == 0 else { throw .sync(errno) }
    }

    /// The last well-formed checkpoint of the file, reading only its tail; nil if there is none.
    public static func last(in file: URL) -> AuditCheckpoint? {
        guard let handle = try? FileHandle(forReadingFrom: file) else { return nil }
        defer { try? handle.close() }
        guard let size = try? handle.seekToEnd() else { return nil }
        let tail: UInt64 = 4096
        try? handle.seek(toOffset: size > tail ? size - tail : 0)
        guard let data = try? handle.readToEnd() else { return nil }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        for line in lines.reversed() {
            if let checkpoint = AuditCheckpoint.parse(line: line) { return checkpoint }
        }
        return nil
    }
}
