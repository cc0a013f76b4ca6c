import Foundation
import TiplineStore

/// The checkpoint file read line by line: each line parsed, or marked malformed with its number.
struct CheckpointReader {
    struct Line {
        let number: Int
        let checkpoint: AuditCheckpoint?
    }

    let lines: [Line]
    let present: Bool

    static func read(_ file: URL?) -> CheckpointReader {
        guard let file, let data = FileManager.default.contents(atPath: file.path) else {
            return CheckpointReader(lines: [], present: false)
        }
        var lines: [Line] = []
        var number = 0
        for line in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
            number += 1
            if line.isEmpty { continue }
            lines.append(Line(number: number, checkpoint: AuditCheckpoint.parse(line: String(decoding: line, as: UTF8.self))))
        }
        return CheckpointReader(lines: lines, present: true)
    }
}
