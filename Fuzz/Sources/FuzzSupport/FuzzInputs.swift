public import Foundation

/// Input helpers shared by the harnesses, the replay mode and the replay tests.
public enum FuzzInputs {
    /// The regular files at `url`: the file itself, or every file below a directory,
    /// sorted by path (hidden files such as `.gitkeep` skipped).
    public static func files(at url: URL) -> [URL] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return [] }
        guard isDirectory.boolValue else { return [url] }
        guard let enumerator = FileManager.default.enumerator(at: url, includingPropertiesForKeys: [.isRegularFileKey],
                                                              options: [.skipsHiddenFiles]) else { return [] }
        var result: [URL] = []
        for case let file as URL in enumerator {
            if (try? file.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
                result.append(file)
            }
        }
        return result.sorted { $0.path < $1.path }
    }

    /// The checkout's `Fuzz/` directory, found from this source file (tests and the replay
    /// mode run inside a checkout).
    public static let fuzzDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The committed seed corpus and regression inputs of `target` (e.g. `FuzzTipJSON`).
    public static func committedInputs(of target: String) -> [URL] {
        files(at: fuzzDirectory.appendingPathComponent("corpus/\(target)"))
            + files(at: fuzzDirectory.appendingPathComponent("regressions/\(target)"))
    }

    /// Splits `bytes` at newlines into at most `maxPieces` pieces (the last keeps any further newlines).
    public static func split(_ bytes: [UInt8], maxPieces: Int) -> [[UInt8]] {
        bytes.split(separator: 0x0A, maxSplits: maxPieces - 1, omittingEmptySubsequences: false).map(Array.init)
    }
}
