import Foundation
import Testing
@testable import Sealing

/// Errors of the test helpers themselves.
struct TestSupportError: Error, CustomStringConvertible {
    let description: String
}

extension Array where Element == UInt8 {
    /// Decodes hex; traps on bad input (test vectors are trusted files).
    init(hex: String) {
        guard let bytes = Bytes.fromHex(hex) else { fatalError("bad hex in test vector: \(hex.prefix(20))") }
        self = bytes
    }

    /// Lowercase hex.
    var hex: String { Bytes.hex(self) }

    /// UTF-8 bytes of a string.
    init(utf8 text: String) {
        self = Array(text.utf8)
    }
}

enum Vectors {
    /// Loads a file from the test bundle's `Vectors` folder.
    static func data(_ file: String) throws -> Data {
        let name = (file as NSString).deletingPathExtension
        let ext = (file as NSString).pathExtension
        guard let url = Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Vectors")
            ?? Bundle.module.url(forResource: name, withExtension: ext) else {
            throw TestSupportError(description: "vector file \(file) not in the test bundle")
        }
        return try Data(contentsOf: url)
    }

    static func decode<T: Decodable>(_ type: T.Type, from file: String) throws -> T {
        try JSONDecoder().decode(T.self, from: data(file))
    }

    /// Parses the `KEY = value` blocks of the RFC text vector files; one dictionary per block
    /// (a block starts at each `COUNT` line).
    static func keyValueBlocks(_ file: String) throws -> [[String: String]] {
        let text = String(decoding: try data(file), as: UTF8.self)
        var blocks: [[String: String]] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.hasPrefix("#"), let eq = trimmed.firstIndex(of: "=") else { continue }
            let key = trimmed[..<eq].trimmingCharacters(in: .whitespaces)
            let value = trimmed[trimmed.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if key == "COUNT" { blocks.append([:]) }
            guard !blocks.isEmpty else { continue }
            blocks[blocks.count - 1][key] = value
        }
        return blocks
    }
}

/// Expects `body` to throw exactly `expected`.
func expectSealingError<R>(_ expected: SealingError, sourceLocation: SourceLocation = #_sourceLocation,
                           _ body: () throws(SealingError) -> R) {
    do {
        _ = try body()
        Issue.record("expected \(expected), but no error was thrown", sourceLocation: sourceLocation)
    } catch {
        #expect(error == expected, sourceLocation: sourceLocation)
    }
}

/// Expects `body` to throw some `SealingError`, and returns it.
@discardableResult
func expectAnySealingError<R>(sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws(SealingError) -> R) -> SealingError? {
    do {
        _ = try body()
        Issue.record("expected an error, but none was thrown", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}
