/// The one civil-time helper (issue 12 item 12): integer arithmetic on UTC seconds, the proleptic
/// Gregorian calendar (Howard Hinnant's `days_from_civil` / `civil_from_days`), and China Standard
/// Time (UTC+8, no daylight saving) for every year, day and time a person sees. No Foundation
/// calendar, formatter or time zone: they cost ICU set-up per call and differ between platforms.
public enum CivilTime {
    /// China Standard Time's offset from UTC.
    public static let chinaOffset: Int64 = 8 * 3_600

    /// A calendar date and time of day.
    public struct Moment: Sendable, Equatable {
        /// The civil date: year, month (1–12) and day (1–31).
        public let year: Int64, month: Int64, day: Int64
        /// The time of day: hour (0–23), minute and second.
        public let hour: Int64, minute: Int64, second: Int64
    }

    /// Days since 1970-01-01 of a civil date.
    public static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date and time of `seconds` at `offset` seconds east of UTC.
    public static func moment(_ seconds: Int64, offset: Int64 = 0) -> Moment {
        let local = seconds + offset
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let secondOfDay = local - days * 86_400
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return Moment(year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day,
                      hour: secondOfDay / 3_600, minute: secondOfDay % 3_600 / 60, second: secondOfDay % 60)
    }

    /// The year of `seconds` in China time: the year of a reference (`GY-2026-…`), of a report.
    public static func chinaYear(_ seconds: Int64) -> Int { Int(moment(seconds, offset: chinaOffset).year) }

    /// The UTC seconds `[start, end)` of a calendar year in China time (1 January 00:00 +08:00 to
    /// the next), the period of every yearly figure.
    public static func chinaYearBounds(_ year: Int) -> (start: Int64, end: Int64) {
        (daysFromCivil(year: Int64(year), month: 1, day: 1) * 86_400 - chinaOffset,
         daysFromCivil(year: Int64(year) + 1, month: 1, day: 1) * 86_400 - chinaOffset)
    }

    /// `2026-05-01T12:30:00Z`: the time format of the API and the audit log (RFC 3339, UTC).
    public static func iso8601UTC(_ seconds: Int64) -> String {
        let m = moment(seconds)
        return "\(date(m))T\(time(m))Z"
    }

    /// `2026-05-01T20:30:00+08:00`: the same instant as staff output shows it (`--json` included).
    public static func iso8601China(_ seconds: Int64) -> String {
        let m = moment(seconds, offset: chinaOffset)
        return "\(date(m))T\(time(m))+08:00"
    }

    /// `2026-05-01 20:30 UTC+8`: a time on a page for people (minutes, China time).
    public static func chinaDisplay(_ seconds: Int64) -> String {
        let m = moment(seconds, offset: chinaOffset)
        return "\(date(m)) \(pad(m.hour, 2)):\(pad(m.minute, 2)) UTC+8"
    }

    /// Whether `year-month-day` is a real date.
    public static func isValidDate(year: Int64, month: Int64, day: Int64) -> Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        let next = month == 12 ? daysFromCivil(year: year + 1, month: 1, day: 1) : daysFromCivil(year: year, month: month + 1, day: 1)
        return day <= next - daysFromCivil(year: year, month: month, day: 1)
    }

    private static func date(_ m: Moment) -> String { "\(pad(m.year, 4))-\(pad(m.month, 2))-\(pad(m.day, 2))" }
    private static func time(_ m: Moment) -> String { "\(pad(m.hour, 2)):\(pad(m.minute, 2)):\(pad(m.second, 2))" }
    private static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}

/// The time formats of the API, the audit log and staff output, by their wire names (all computed
/// by `CivilTime`).
public enum ISO8601 {
    /// `2026-05-01T12:30:00Z` (UTC): the API and the audit log.
    public static func string(fromSeconds seconds: Int64) -> String { CivilTime.iso8601UTC(seconds) }
    /// `2026-05-01T20:30:00+08:00`: how staff-facing output shows a time.
    public static func chinaString(fromSeconds seconds: Int64) -> String { CivilTime.iso8601China(seconds) }
}
