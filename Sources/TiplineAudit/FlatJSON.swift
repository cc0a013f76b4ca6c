/// A strict parser for the audit `details` column: one JSON object whose values are all strings
/// (what `AuditEvent.canonicalDetails` writes). Anything else is refused. Hand-written so that a
/// million entries do not each pay for a general JSON decoder.
enum FlatJSON {
    static func parse(_ bytes: UnsafeRawBufferPointer) -> [String: String]? {
        var index = 0
        let count = bytes.count
        func skipSpace() { while index < count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x09 || bytes[index] == 0x0D { index += 1 } }
        func string() -> String? {
            guard index < count, bytes[index] == 0x22 else { return nil }
            index += 1
            let start = index
            var escaped = false
            while index < count, bytes[index] != 0x22 {
                if bytes[index] == 0x5C { escaped = true; index += 2 } else { index += 1 }
            }
            guard index < count else { return nil }
            let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<index])
            index += 1
            if !escaped { return String(decoding: raw, as: UTF8.self) }
            return unescape(raw)
        }
        var result: [String: String] = [:]
        skipSpace()
        guard index < count, bytes[index] == 0x7B else { return nil }
        index += 1
        skipSpace()
        if index < count, bytes[index] == 0x7D { index += 1; skipSpace(); return index == count ? result : nil }
        while true {
            skipSpace()
            guard let key = string() else { return nil }
            skipSpace()
            guard index < count, bytes[index] == 0x3A else { return nil }
            index += 1
            skipSpace()
            guard let value = string() else { return nil }
            guard result.updateValue(value, forKey: key) == nil else { return nil }
            skipSpace()
            guard index < count else { return nil }
            if bytes[index] == 0x2C { index += 1; continue }
            guard bytes[index] == 0x7D else { return nil }
            index += 1
            skipSpace()
            return index == count ? result : nil
        }
    }

    static func parse(_ text: String) -> [String: String]? {
        var copy = text
        return copy.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }

    private static func unescape(_ raw: UnsafeRawBufferPointer) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var index = 0
        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= raw.count else { return nil }
            var value: UInt32 = 0
            for i in at..<at + 4 {
                let c = raw[i]
                let digit: UInt32
                switch c {
                case 0x30...0x39: digit = UInt32(c - 0x30)
                case 0x61...0x66: digit = UInt32(c - 0x61 + 10)
                case 0x41...0x46: digit = UInt32(c - 0x41 + 10)
                default: return nil
                }
                value = value << 4 | digit
            }
            return value
        }
        while index < raw.count {
            let c = raw[index]
            guard c == 0x5C else { out.append(c); index += 1; continue }
            guard index + 1 < raw.count else { return nil }
            let e = raw[index + 1]
            index += 2
            switch e {
            case 0x22, 0x5C, 0x2F: out.append(e)
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x6E: out.append(0x0A)
            case 0x72: out.append(0x0D)
            case 0x74: out.append(0x09)
            case 0x75:
                guard var scalar = hex4(index) else { return nil }
                index += 4
                if (0xD800..<0xDC00).contains(scalar) {
                    guard index + 6 <= raw.count, raw[index] == 0x5C, raw[index + 1] == 0x75, let low = hex4(index + 2),
                          (0xDC00..<0xE000).contains(low) else { return nil }
                    index += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let unicode = Unicode.Scalar(scalar) else { return nil }
                out.append(contentsOf: Array(String(Character(unicode)).utf8))
            default: return nil
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
