import Testing
import TiplineCore

@Suite("China time for staff-facing output")
struct ChinaTimeTests {
    @Test("UTC+8 with its offset, the day rolling over at 16:00 UTC")
    func chinaString() {
        #expect(ISO8601.chinaString(fromSeconds: 0) == "1970-01-01T08:00:00+08:00")
        #expect(ISO8601.chinaString(fromSeconds: 16 * 3_600) == "1970-01-02T00:00:00+08:00")
        #expect(ISO8601.chinaString(fromSeconds: 15 * 3_600 + 59 * 60 + 59) == "1970-01-01T23:59:59+08:00")
    }
}
