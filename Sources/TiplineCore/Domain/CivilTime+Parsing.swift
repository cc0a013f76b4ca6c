import Foundation

/// Reading a date or time as people write it (issue 13 item 11). A reporter types `2026/11/28`,
/// `2026年11月28日`, `2026-11-28 14:00`, `2026-11-28T14:00`, `11月28日 下午3点`…; every form without an
/// offset is China time (UTC+8), the time the reporter lives in. The result is one canonical text:
/// `2026-11-28` for a day, `2026-11-28T14:00:00+08:00` for a time of day, or an RFC 3339 time with its
/// own offset kept as written (what the API accepted before).
extension CivilTime {
    /// What `parseOccurrence` read.
    public enum Occurrence: Sendable, Equatable {
        /// A calendar day in China time.
        case day(year: Int64, month: Int64, day: Int64)
        /// A time of day in China time.
        case time(year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64, second: Int64)
        /// An RFC 3339 date-time with an explicit offset, kept as written.
        case rfc3339(String)

        /// The canonical text stored in the sealed tip.
        public var canonical: String {
            switch self {
            case .day(let y, let m, let d): "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
            case .time(let y, let m, let d, let h, let mi, let s):
                "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(h, 2)):\(pad(mi, 2)):\(pad(s, 2))+08:00"
            case .rfc3339(let text): text
            }
        }

        private func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
        }
    }

    /// The longest text `parseOccurrence` reads (after trimming); anything longer is refused unread.
    public static let maxOccurrenceLength = 40

    /// Reads a date, or a date and time, as a reporter writes it. `now` (UTC seconds) fills in a
    /// missing year: `11月28日` is the most recent 28 November in China time (this year's, or last
    /// year's when this year's is still ahead) — a tip reports what already happened. Full-width
    /// digits and punctuation are read as their ASCII forms (NFKC). Years 1900–2200 only.
    public static func parseOccurrence(_ raw: String, now: Int64) -> Occurrence? {
        guard raw.unicodeScalars.count <= maxOccurrenceLength * 2 else { return nil }
        let text = raw.precomposedStringWithCompatibilityMapping.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.unicodeScalars.count <= maxOccurrenceLength else { return nil }

        // RFC 3339 with an explicit offset or Z: kept as written (the API's form).
        if text.unicodeScalars.allSatisfy(\.isASCII), text.wholeMatch(of: /\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?([Zz]|[+-]\d{2}:\d{2})/) != nil {
            return rfc3339(text)
        }

        // Date part: Y-M-D with - / . or 年月日, or M月D日 / M-D without a year.
        let full = /^(\d{4})\s*(?:[-\/.]|年)\s*(\d{1,2})\s*(?:[-\/.]|月)\s*(\d{1,2})\s*(?:日|号)?/
        let short = /^(\d{1,2})\s*(?:月)\s*(\d{1,2})\s*(?:日|号)?/
        var year: Int64?
        var month: Int64 = 0, day: Int64 = 0
        var rest: Substring
        if let match = text.prefixMatch(of: full) {
            guard let y = Int64(match.1), let m = Int64(match.2), let d = Int64(match.3) else { return nil }
            (year, month, day) = (y, m, d)
            rest = text[match.range.upperBound...]
        } else if let match = text.prefixMatch(of: short) {
            guard let m = Int64(match.1), let d = Int64(match.2) else { return nil }
            (month, day) = (m, d)
            rest = text[match.range.upperBound...]
        } else {
            return nil
        }
        let today = moment(now, offset: chinaOffset)
        let resolvedYear: Int64
        if let year {
            resolvedYear = year
        } else {
            // The most recent such day: this year's unless it is still ahead.
            let ahead = month > today.month || (month == today.month && day > today.day)
            resolvedYear = ahead ? today.year - 1 : today.year
        }
        guard (1900...2200).contains(resolvedYear), isValidDate(year: resolvedYear, month: month, day: day) else { return nil }

        // Optional time part: `14:00`, `14:00:30`, `T14:00`, `14时30分`, `14点`, `下午3点`.
        rest = rest.drop(while: { $0 == " " || $0 == "T" || $0 == "t" || $0 == "," })
        if rest.isEmpty { return .day(year: resolvedYear, month: month, day: day) }
        let clock = /^(上午|早上|凌晨|中午|下午|晚上)?\s*(\d{1,2})\s*(?::|时|点)\s*(?:(\d{1,2})\s*(?::|分)?\s*(?:(\d{1,2})\s*秒?)?)?\s*(半)?$/
        guard let match = rest.wholeMatch(of: clock), var hour = Int64(match.2) else { return nil }
        var minute = match.3.flatMap { Int64($0) } ?? 0
        let second = match.4.flatMap { Int64($0) } ?? 0
        if match.5 != nil {
            guard match.3 == nil else { return nil }
            minute = 30
        }
        switch match.1 {
        case "下午", "晚上": if hour < 12 { hour += 12 }
        case "中午": if hour < 11 { hour += 12 }
        case "上午", "早上", "凌晨": guard hour <= 12 else { return nil }; if hour == 12 { hour = 0 }
        default: break
        }
        guard (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second) else { return nil }
        return .time(year: resolvedYear, month: month, day: day, hour: hour, minute: minute, second: second)
    }

    /// An RFC 3339 date-time with an offset, checked field by field (a real day, a real time, an offset
    /// under 24 h). Lowercase `t`/`z` and a space for `T` are accepted and normalised.
    private static func rfc3339(_ text: String) -> Occurrence? {
        let pattern = /(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?([Zz]|[+-](\d{2}):(\d{2}))/
        guard let m = text.wholeMatch(of: pattern), let y = Int64(m.1), let mo = Int64(m.2), let d = Int64(m.3),
              let h = Int64(m.4), let mi = Int64(m.5) else { return nil }
        let s = m.6.flatMap { Int64($0) } ?? 0
        guard (1900...2200).contains(y), isValidDate(year: y, month: mo, day: d), (0...23).contains(h), (0...59).contains(mi),
              (0...59).contains(s) else { return nil }
        if let oh = m.9.flatMap({ Int64($0) }), let om = m.10.flatMap({ Int64($0) }) {
            guard (0...23).contains(oh), (0...59).contains(om) else { return nil }
        }
        var canonical = text
        if let range = canonical.firstIndex(where: { $0 == "t" || $0 == " " }) { canonical.replaceSubrange(range...range, with: "T") }
        if canonical.hasSuffix("z") { canonical = String(canonical.dropLast()) + "Z" }
        return .rfc3339(canonical)
    }
}
