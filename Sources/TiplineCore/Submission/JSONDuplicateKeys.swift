/// Thrown when a JSON object holds the same key twice (`{"category":"a","category":"b"}`).
///
/// RFC 8259 leaves duplicate names undefined and Foundation quietly keeps one of them, so what a
/// proxy, a log or the signature check read could differ from what the server acts on. Every JSON
/// body the server accepts is refused with this before decoding.
public struct DuplicateKeyError: Error, Sendable, Equatable {
    /// The repeated key with its path (`reporter.name`), truncated; echoed to the client only.
    public let field: String
}

/// Thrown by `JSONDuplicateKeys.check` for a body that is not JSON it can read (the decoder would
/// refuse it too), or that nests deeper than `JSONDuplicateKeys.maxDepth`.
public struct MalformedJSONError: Error, Sendable, Equatable {}

/// A small JSON reader that only walks the structure and compares each object's keys (after
/// unescaping, so `"a"` and `"\u0061"` are the same key). Linear time, bounded depth, no allocation
/// beyond the keys of the objects open at once.
public enum JSONDuplicateKeys {
    /// Deepest nesting of objects and arrays accepted.
    public static let maxDepth = 64

    /// Throws `DuplicateKeyError` for the first object with a repeated key, `MalformedJSONError` for
    /// input that is not a single JSON value.
    public static func check<C: Collection>(_ bytes: C) throws where C.Element == UInt8 {
        var reader = Reader(bytes: Array(bytes))
        reader.skipWhitespace()
        try reader.value(depth: 0, path: "")
        reader.skipWhitespace()
        guard reader.atEnd else { throw MalformedJSONError() }
    }

    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        var atEnd: Bool { index >= bytes.count }

        mutating func skipWhitespace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        mutating func expect(_ byte: UInt8) throws {
            guard index < bytes.count, bytes[index] == byte else { throw MalformedJSONError() }
            index += 1
        }

        mutating func value(depth: Int, path: String) throws {
            guard depth <= JSONDuplicateKeys.maxDepth, index < bytes.count else { throw MalformedJSONError() }
            switch bytes[index] {
            case UInt8(ascii: "{"): try object(depth: depth + 1, path: path)
            case UInt8(ascii: "["): try array(depth: depth + 1, path: path)
            case UInt8(ascii: "\""): _ = try string()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            default: try number()
            }
        }

        mutating func object(depth: Int, path: String) throws {
            try expect(UInt8(ascii: "{"))
            var keys: Set<String> = []
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return }
            while true {
                skipWhitespace()
                let key = try string()
                let keyPath = path.isEmpty ? key : "\(path).\(key)"
                guard keys.insert(key).inserted else { throw DuplicateKeyError(field: String(keyPath.prefix(64))) }
                skipWhitespace()
                try expect(UInt8(ascii: ":"))
                skipWhitespace()
                try value(depth: depth, path: keyPath)
                skipWhitespace()
                guard index < bytes.count else { throw MalformedJSONError() }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                try expect(UInt8(ascii: "}"))
                return
            }
        }

        mutating func array(depth: Int, path: String) throws {
            try expect(UInt8(ascii: "["))
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return }
            var element = 0
            while true {
                skipWhitespace()
                try value(depth: depth, path: "\(path)[\(element)]")
                element += 1
                skipWhitespace()
                guard index < bytes.count else { throw MalformedJSONError() }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                try expect(UInt8(ascii: "]"))
                return
            }
        }

        mutating func literal(_ word: StaticString) throws {
            let count = word.utf8CodeUnitCount
            guard index + count <= bytes.count else { throw MalformedJSONError() }
            let expected = UnsafeBufferPointer(start: word.utf8Start, count: count)
            guard bytes[index..<index + count].elementsEqual(expected) else { throw MalformedJSONError() }
            index += count
        }

        mutating func number() throws {
            let start = index
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
            func digits() -> Int {
                let from = index
                while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
                return index - from
            }
            guard digits() > 0 else { throw MalformedJSONError() }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                guard digits() > 0 else { throw MalformedJSONError() }
            }
            if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                guard digits() > 0 else { throw MalformedJSONError() }
            }
            guard index > start else { throw MalformedJSONError() }
        }

        /// A string token, unescaped.
        mutating func string() throws -> String {
            try expect(UInt8(ascii: "\""))
            var scalars = String.UnicodeScalarView()
            var raw: [UInt8] = []
            func flush() throws {
                guard !raw.isEmpty else { return }
                guard let text = String(validating: raw, as: UTF8.self) else { throw MalformedJSONError() }
                scalars.append(contentsOf: text.unicodeScalars)
                raw.removeAll(keepingCapacity: true)
            }
            while true {
                guard index < bytes.count else { throw MalformedJSONError() }
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    try flush()
                    return String(scalars)
                case UInt8(ascii: "\\"):
                    try flush()
                    guard index < bytes.count else { throw MalformedJSONError() }
                    let escape = bytes[index]
                    index += 1
                    switch escape {
                    case UInt8(ascii: "\""): scalars.append("\"")
                    case UInt8(ascii: "\\"): scalars.append("\\")
                    case UInt8(ascii: "/"): scalars.append("/")
                    case UInt8(ascii: "b"): scalars.append("\u{08}")
                    case UInt8(ascii: "f"): scalars.append("\u{0C}")
                    case UInt8(ascii: "n"): scalars.append("\n")
                    case UInt8(ascii: "r"): scalars.append("\r")
                    case UInt8(ascii: "t"): scalars.append("\t")
                    case UInt8(ascii: "u"):
                        var code = try hex4()
                        if (0xD800...0xDBFF).contains(code), index + 1 < bytes.count,
                           bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                            let save = index
                            index += 2
                            let low = try hex4()
                            if (0xDC00...0xDFFF).contains(low) {
                                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                            } else {
                                index = save
                            }
                        }
                        // A lone surrogate cannot be a String scalar: keep it distinct but comparable.
                        scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                    default:
                        throw MalformedJSONError()
                    }
                case 0x00...0x1F:
                    throw MalformedJSONError()
                default:
                    raw.append(byte)
                }
            }
        }

        mutating func hex4() throws -> UInt32 {
            guard index + 4 <= bytes.count else { throw MalformedJSONError() }
            var value: UInt32 = 0
            for byte in bytes[index..<index + 4] {
                let nibble: UInt8
                switch byte {
                case 0x30...0x39: nibble = byte - 0x30
                case 0x41...0x46: nibble = byte - 0x41 + 10
                case 0x61...0x66: nibble = byte - 0x61 + 10
                default: throw MalformedJSONError()
                }
                value = value << 4 | UInt32(nibble)
            }
            index += 4
            return value
        }
    }
}
