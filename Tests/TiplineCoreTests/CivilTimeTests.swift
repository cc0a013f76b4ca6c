import Foundation
import Testing
import TiplineCore

/// Issue 12 item 12: one civil-time helper, integer arithmetic, China time for years and display.
@Suite("CivilTime: the one civil-time helper")
struct CivilTimeTests {
    /// Foundation's Gregorian calendar at a fixed offset, as the reference the integer code must match.
    static func reference(_ seconds: Int64, offset: Int) -> DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: offset)!
        return calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    @Test("Every field agrees with Foundation's Gregorian calendar, UTC and UTC+8, over 20,000 instants from 1900 to 2200")
    func agreesWithFoundation() {
        var generator = SystemRandomNumberGenerator()
        let instants = (0..<20_000).map { _ in Int64.random(in: -2_208_988_800...7_258_118_400, using: &generator) }
            + [0, -1, 86_399, 86_400, 951_782_400, 1_767_196_799, 1_767_196_800]  // epoch edges, 2000-02-29, New Year China time
        for seconds in instants {
            for offset in [0, 8 * 3_600] {
                let m = CivilTime.moment(seconds, offset: Int64(offset))
                let r = Self.reference(seconds, offset: offset)
                #expect([m.year, m.month, m.day, m.hour, m.minute, m.second].map(Int.init)
                        == [r.year!, r.month!, r.day!, r.hour!, r.minute!, r.second!], "\(seconds) at +\(offset)")
            }
        }
    }

    @Test("The China-time year: 2025-12-31T16:00:00Z is already 2026; its bounds start at 1 January 00:00 +08:00")
    func chinaYear() {
        #expect(CivilTime.chinaYear(1_767_196_799) == 2025)
        #expect(CivilTime.chinaYear(1_767_196_800) == 2026)
        let bounds = CivilTime.chinaYearBounds(2026)
        #expect(bounds.start == 1_767_196_800)
        #expect(CivilTime.iso8601China(bounds.start) == "2026-01-01T00:00:00+08:00")
        #expect(CivilTime.iso8601China(bounds.end) == "2027-01-01T00:00:00+08:00")
    }

    @Test("Formats: the API's UTC form, staff output's +08:00 form, the page's minutes")
    func formats() {
        #expect(CivilTime.iso8601UTC(1_777_638_600) == "2026-05-01T12:30:00Z")
        #expect(CivilTime.iso8601China(1_777_638_600) == "2026-05-01T20:30:00+08:00")
        #expect(CivilTime.chinaDisplay(1_777_638_600) == "2026-05-01 20:30 UTC+8")
        #expect(ISO8601.string(fromSeconds: 1_777_638_600) == CivilTime.iso8601UTC(1_777_638_600))
    }

    @Test("Real dates only: 29 February in leap years, never 31 April")
    func validDates() {
        #expect(CivilTime.isValidDate(year: 2024, month: 2, day: 29))
        #expect(!CivilTime.isValidDate(year: 2026, month: 2, day: 29))
        #expect(!CivilTime.isValidDate(year: 2100, month: 2, day: 29))
        #expect(CivilTime.isValidDate(year: 2000, month: 2, day: 29))
        #expect(!CivilTime.isValidDate(year: 2026, month: 4, day: 31))
        #expect(!CivilTime.isValidDate(year: 2026, month: 13, day: 1))
        #expect(CivilTime.isValidDate(year: 2026, month: 12, day: 31))
    }
}
