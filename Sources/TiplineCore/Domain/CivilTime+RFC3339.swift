extension CivilTime {
    /// Seconds since the epoch of an RFC 3339 time as this system writes them
    /// (`2026-05-01T12:30:00Z` or with a `±hh:mm` offset); nil for anything else.
    public static func seconds(iso8601 text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count == 20 || bytes.count == 25, bytes[4] == 0x2D, bytes[7] == 0x2D, bytes[10] == 0x54,
              bytes[13] == 0x3A, bytes[16] == 0x3A else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for byte in bytes[range] {
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int64(byte - 0x30)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
              let minute = number(14..<16), let second = number(17..<19), isValidDate(year: year, month: month, day: day),
              hour < 24, minute < 60, second < 60 else { return nil }
        var offset: Int64 = 0
        if bytes.count == 25 {
            guard bytes[19] == 0x2B || bytes[19] == 0x2D, bytes[22] == 0x3A, let h = number(20..<22), let m = number(23..<25) else { return nil }
            offset = (h * 3_600 + m * 60) * (bytes[19] == 0x2B ? 1 : -1)
        } else {
            guard bytes[19] == 0x5A else { return nil }
        }
        return daysFromCivil(year: year, month: month, day: day) * 86_400 + hour * 3_600 + minute * 60 + second - offset
    }
}
