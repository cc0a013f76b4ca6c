/// Just enough DER (X.690) to write and read the fixed PKCS#8 structures this module uses.
enum DER {
    static let sequenceTag: UInt8 = 0x30
    static let integerTag: UInt8 = 0x02
    static let octetStringTag: UInt8 = 0x04
    static let oidTag: UInt8 = 0x06

    /// A tag-length-value with a definite, minimal length.
    static func tlv(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [tag]
        let length = content.count
        if length < 0x80 {
            out.append(UInt8(length))
        } else {
            var lengthBytes: [UInt8] = []
            var remaining = length
            while remaining > 0 {
                lengthBytes.insert(UInt8(remaining & 0xFF), at: 0)
                remaining >>= 8
            }
            out.append(0x80 | UInt8(lengthBytes.count))
            out += lengthBytes
        }
        out += content
        return out
    }

    static func sequence(_ parts: [UInt8]...) -> [UInt8] {
        tlv(sequenceTag, parts.flatMap { $0 })
    }

    static func octetString(_ bytes: [UInt8]) -> [UInt8] {
        tlv(octetStringTag, bytes)
    }

    /// A non-negative INTEGER in minimal two's-complement form.
    static func integer(_ value: UInt64) -> [UInt8] {
        var bytes: [UInt8] = []
        var remaining = value
        repeat {
            bytes.insert(UInt8(remaining & 0xFF), at: 0)
            remaining >>= 8
        } while remaining > 0
        if bytes[0] & 0x80 != 0 { bytes.insert(0, at: 0) }
        return tlv(integerTag, bytes)
    }

    /// A strict reader over DER bytes: definite lengths only, minimal length encodings,
    /// nothing may run past its parent.
    struct Reader {
        private(set) var remaining: ArraySlice<UInt8>

        init(_ bytes: ArraySlice<UInt8>) {
            remaining = bytes
        }

        var isAtEnd: Bool { remaining.isEmpty }

        /// The tag of the next element, if any.
        var peekTag: UInt8? { remaining.first }

        /// Reads one element with `tag` and returns its content.
        mutating func read(_ tag: UInt8, _ what: String) throws(SealingError) -> ArraySlice<UInt8> {
            guard let first = remaining.first, first == tag else { throw .malformed("\(what): unexpected DER tag") }
            var index = remaining.index(after: remaining.startIndex)
            guard index < remaining.endIndex else { throw .malformed("\(what): truncated DER") }
            let lengthByte = remaining[index]
            index += 1
            var length = 0
            if lengthByte < 0x80 {
                length = Int(lengthByte)
            } else {
                let count = Int(lengthByte & 0x7F)
                guard count >= 1, count <= 4, remaining.endIndex - index >= count else { throw .malformed("\(what): bad DER length") }
                for _ in 0..<count {
                    length = length << 8 | Int(remaining[index])
                    index += 1
                }
                guard length >= 0x80, length >> (8 * (count - 1)) != 0 else { throw .malformed("\(what): non-minimal DER length") }
            }
            guard remaining.endIndex - index >= length else { throw .malformed("\(what): truncated DER") }
            let content = remaining[index..<(index + length)]
            remaining = remaining[(index + length)...]
            return content
        }

        /// Reads a non-negative INTEGER that fits in 64 bits.
        mutating func readUInt64(_ what: String) throws(SealingError) -> UInt64 {
            var content = try read(DER.integerTag, what)
            guard let first = content.first, first & 0x80 == 0 else { throw .malformed("\(what): negative or empty INTEGER") }
            if first == 0, content.count > 1 {
                guard content[content.startIndex + 1] & 0x80 != 0 else { throw .malformed("\(what): non-minimal INTEGER") }
                content = content.dropFirst()
            }
            guard content.count <= 8 else { throw .malformed("\(what): INTEGER too large") }
            return content.reduce(0) { $0 << 8 | UInt64($1) }
        }

        /// Fails unless everything was consumed.
        func expectEnd(_ what: String) throws(SealingError) {
            guard remaining.isEmpty else { throw .malformed("\(what): trailing DER data") }
        }
    }
}
