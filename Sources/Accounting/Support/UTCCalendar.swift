/// Proleptic Gregorian UTC arithmetic on integer seconds (no Foundation calendars, no time zones).
enum UTCCalendar {
    /// Days since 1970-01-01 of the given civil date (Howard Hinnant's `days_from_civil`).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The UTC seconds `[start, end)` of a calendar year.
    static func yearBounds(_ year: Int) -> (start: Int64, end: Int64) {
        (daysFromCivil(year: Int64(year), month: 1, day: 1) * 86_400,
         daysFromCivil(year: Int64(year) + 1, month: 1, day: 1) * 86_400)
    }
}
