public import Foundation
import TiplineCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `audit scan`: searches the raw bytes of every file under a deployment's `data/` (database, `-wal`,
/// `-shm`, ledger, evidence, logs, checkpoints) for the auditor's canaries in UTF-8, UTF-16LE and
/// UTF-16BE, and for what looks like personal data in clear: mainland mobile numbers, resident ID
/// numbers with a valid check character, e-mail addresses (docs/AUDIT.md, "Scan").
///
/// Files are streamed in chunks with an overlap, so memory stays bounded and a match across a
/// chunk boundary is found exactly once: each match is reported by the chunk whose reportable range
/// holds its anchor, and every chunk keeps enough bytes before and after that range to see it whole.
public struct DataScanner: Sendable {
    /// Called now and then with (bytes done, bytes in all).
    public typealias Progress = @Sendable (Int64, Int64) -> Void

    /// Hits kept in a report (all are counted).
    public static let maxHits = 10_000

    struct Needle: Sendable {
        let bytes: [UInt8]
        let kind: String
        let canary: String
    }

    let needles: [Needle]
    let personalData: Bool
    let chunkSize: Int
    /// Bytes a detector may look back from an anchor (an e-mail's local part).
    static let lookBehind = 66
    let lookAhead: Int

    /// A scanner for `canaries` (empty strings are ignored) and, unless `personalData` is false,
    /// the personal-data patterns.
    public init(canaries: [String], personalData: Bool = true, chunkSize: Int = 1 << 20) {
        var needles: [Needle] = []
        for canary in Set(canaries) where !canary.isEmpty {
            let utf16 = Array(canary.utf16)
            needles.append(Needle(bytes: Array(canary.utf8), kind: "canary/utf-8", canary: canary))
            needles.append(Needle(bytes: utf16.flatMap { [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)] },
                                  kind: "canary/utf-16le", canary: canary))
            needles.append(Needle(bytes: utf16.flatMap { [UInt8(truncatingIfNeeded: $0 >> 8), UInt8(truncatingIfNeeded: $0)] },
                                  kind: "canary/utf-16be", canary: canary))
        }
        self.needles = needles
        self.personalData = personalData
        self.chunkSize = max(4096, chunkSize)
        lookAhead = max(300, (needles.map(\.bytes.count).max() ?? 0) + 1)
    }

    /// Scans every regular file under `directory` (symbolic links are not followed).
    public func scan(directory: URL, progress: Progress? = nil) throws(AuditError) -> ScanReport {
        let files = Self.files(under: directory)
        let total = files.reduce(Int64(0)) { $0 + $1.size }
        var state = ScanState()
        var lastReport = Date()
        for file in files {
            try scan(file: file.url, name: file.name, state: &state) { done in
                if let progress, Date().timeIntervalSince(lastReport) >= 1 {
                    lastReport = Date()
                    progress(done, total)
                }
            }
            state.files += 1
        }
        progress?(state.bytes, total)
        return ScanReport(files: state.files, bytes: state.bytes, hits: state.hits, hitCount: state.hitCount)
    }

    /// Scans bytes held in memory (tests; `name` labels the hits).
    public func scan(bytes: [UInt8], name: String = "-") -> [ScanHit] {
        var state = ScanState()
        var buffer: [UInt8] = []
        var base: Int64 = 0
        var reportFrom = 0
        var offset = 0
        repeat {
            let end = min(bytes.count, offset + chunkSize)
            buffer.append(contentsOf: bytes[offset..<end])
            let eof = end == bytes.count
            offset = end
            step(&buffer, base: &base, reportFrom: &reportFrom, eof: eof, name: name, state: &state)
            if eof { break }
        } while true
        return state.hits
    }

    struct ScanState {
        var files = 0
        var bytes: Int64 = 0
        var hits: [ScanHit] = []
        var hitCount = 0

        mutating func add(_ hit: ScanHit) {
            hitCount += 1
            if hits.count < DataScanner.maxHits { hits.append(hit) }
        }
    }

    private func scan(file: URL, name: String, state: inout ScanState, tick: (Int64) -> Void) throws(AuditError) {
        let fd = open(file.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .io("cannot read \(name)") }
        defer { close(fd) }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(chunkSize + lookAhead + Self.lookBehind)
        var base: Int64 = 0
        var reportFrom = 0
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, chunkSize) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .io("cannot read \(name)")
            }
            buffer.append(contentsOf: chunk[0..<count])
            state.bytes += Int64(count)
            step(&buffer, base: &base, reportFrom: &reportFrom, eof: count == 0, name: name, state: &state)
            tick(state.bytes)
            if count == 0 { return }
        }
    }

    /// Scans the reportable range of `buffer`, then keeps only the bytes the next chunk needs.
    private func step(_ buffer: inout [UInt8], base: inout Int64, reportFrom: inout Int, eof: Bool, name: String, state: inout ScanState) {
        let reportTo = eof ? buffer.count : max(reportFrom, buffer.count - lookAhead)
        if reportTo > reportFrom {
            buffer.withUnsafeBytes { bytes in
                detect(bytes, base: base, range: reportFrom..<reportTo, atFileStart: base == 0, name: name, state: &state)
            }
        }
        guard !eof else { return }
        let keepFrom = max(0, reportTo - Self.lookBehind)
        if keepFrom > 0 {
            buffer.removeSubrange(0..<keepFrom)
            base += Int64(keepFrom)
        }
        reportFrom = reportTo - keepFrom
    }

    /// Finds every match whose anchor lies in `range`.
    func detect(_ bytes: UnsafeRawBufferPointer, base: Int64, range: Range<Int>, atFileStart: Bool, name: String, state: inout ScanState) {
        guard let start = bytes.baseAddress else { return }
        for needle in needles {
            var from = range.lowerBound
            while from < range.upperBound {
                let haystack = min(bytes.count, range.upperBound + needle.bytes.count - 1) - from
                guard haystack >= needle.bytes.count else { break }
                guard let index = Self.search(start + from, haystack, needle.bytes).map({ from + $0 }) else { break }
                state.add(ScanHit(file: name, offset: base + Int64(index), length: needle.bytes.count, kind: needle.kind, canary: needle.canary))
                from = index + 1
            }
        }
        guard personalData else { return }
        PersonalDataPatterns.find(bytes, range: range, atFileStart: atFileStart) { index, length, kind in
            state.add(ScanHit(file: name, offset: base + Int64(index), length: length, kind: kind))
        }
    }

    /// The first index of `needle` in `count` bytes at `haystack` (memchr for the first byte, then memcmp).
    static func search(_ haystack: UnsafeRawPointer, _ count: Int, _ needle: [UInt8]) -> Int? {
        guard let first = needle.first, count >= needle.count else { return nil }
        var offset = 0
        let last = count - needle.count
        return needle.withUnsafeBytes { pattern -> Int? in
            while offset <= last {
                guard let hit = memchr(haystack + offset, Int32(first), last - offset + 1) else { return nil }
                let index = haystack.distance(to: UnsafeRawPointer(hit))
                if memcmp(haystack + index, pattern.baseAddress!, needle.count) == 0 { return index }
                offset = index + 1
            }
            return nil
        }
    }

    /// Regular files under `directory`, sorted, with their sizes and relative names.
    static func files(under directory: URL) -> [(url: URL, name: String, size: Int64)] {
        let root = directory.standardizedFileURL.resolvingSymlinksInPath()
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey, .fileSizeKey, .isSymbolicLinkKey]) else {
            return []
        }
        var files: [(url: URL, name: String, size: Int64)] = []
        for case let url as URL in enumerator {
            guard let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .fileSizeKey, .isSymbolicLinkKey]),
                  values.isRegularFile == true, values.isSymbolicLink != true else { continue }
            let path = url.standardizedFileURL.path
            let name = path.hasPrefix(root.path + "/") ? String(path.dropFirst(root.path.count + 1)) : url.lastPathComponent
            files.append((url, name, Int64(values.fileSize ?? 0)))
        }
        return files.sorted { $0.name < $1.name }
    }
}
