import Foundation
import Testing
@testable import TiplineCore

/// Issue 13 item 11: the tip form's date and time field reads what people write, China time (UTC+8).
@Suite("CivilTime.parseOccurrence: dates and times as people write them")
struct OccurrenceParsingTests {
    /// 2026-11-30 19:17 China time (11:17 UTC).
    let now: Int64 = CivilTime.daysFromCivil(year: 2026, month: 11, day: 30) * 86_400 + 11 * 3_600 + 17 * 60

    func parse(_ text: String) -> String? { CivilTime.parseOccurrence(text, now: now)?.canonical }

    @Test("Dates: ISO, slashes, dots, 年月日, full-width digits; a day stays a day")
    func dates() {
        #expect(parse("2026-11-28") == "2026-11-28")
        #expect(parse("2026/11/28") == "2026-11-28")
        #expect(parse("2026.11.28") == "2026-11-28")
        #expect(parse("2026/1/5") == "2026-01-05")
        #expect(parse("2026年11月28日") == "2026-11-28")
        #expect(parse("2026年11月28号") == "2026-11-28")
        #expect(parse(" 2026 年 11 月 28 日 ") == "2026-11-28")
        #expect(parse("２０２６年１１月２８日") == "2026-11-28")
        #expect(parse("２０２６－１１－２８") == "2026-11-28")
    }

    @Test("Times without an offset are China time and carry +08:00")
    func times() {
        #expect(parse("2026-11-28 14:00") == "2026-11-28T14:00:00+08:00")
        #expect(parse("2026-11-28T14:00") == "2026-11-28T14:00:00+08:00")
        #expect(parse("2026/11/28 14:05:09") == "2026-11-28T14:05:09+08:00")
        #expect(parse("2026年11月28日14时30分") == "2026-11-28T14:30:00+08:00")
        #expect(parse("2026年11月28日 下午3点") == "2026-11-28T15:00:00+08:00")
        #expect(parse("2026年11月28日晚上8点半") == "2026-11-28T20:30:00+08:00")
        #expect(parse("2026年11月28日上午12点") == "2026-11-28T00:00:00+08:00")
        #expect(parse("2026-11-28 １４：００") == "2026-11-28T14:00:00+08:00")
    }

    @Test("RFC 3339 with its own offset is kept (what the API accepted before); a space or lowercase t is normalised")
    func rfc3339() {
        #expect(parse("2026-05-01T20:30:00+08:00") == "2026-05-01T20:30:00+08:00")
        #expect(parse("2026-05-01T12:30:00Z") == "2026-05-01T12:30:00Z")
        #expect(parse("2026-05-01T12:30:00.250Z") == "2026-05-01T12:30:00.250Z")
        #expect(parse("2026-05-01 12:30:00z") == "2026-05-01T12:30:00Z")
        #expect(parse("2026-05-01t12:30+01:00") == "2026-05-01T12:30+01:00")
        #expect(parse("2026-02-30T12:30:00Z") == nil)
        #expect(parse("2026-05-01T25:30:00Z") == nil)
        #expect(parse("2026-05-01T12:30:00+24:00") == nil)
    }

    @Test("A date without a year is the most recent one in China time")
    func withoutYear() {
        #expect(parse("11月28日") == "2026-11-28")
        #expect(parse("11月30日") == "2026-11-30")
        #expect(parse("12月1日") == "2025-12-01")
        #expect(parse("11月28日 14:00") == "2026-11-28T14:00:00+08:00")
        // 31 December 2026 at 23:30 UTC is already 1 January 2027 in China.
        let newYear = CivilTime.daysFromCivil(year: 2026, month: 12, day: 31) * 86_400 + 23 * 3_600 + 30 * 60
        #expect(CivilTime.parseOccurrence("1月1日", now: newYear)?.canonical == "2027-01-01")
        #expect(CivilTime.parseOccurrence("2月29日", now: now) == nil)  // 2026 has no 29 February
    }

    @Test("Nonsense, impossible dates and overlong text are refused")
    func refused() {
        for text in ["", "yesterday", "昨天", "2026-13-01", "2026-02-29", "2026/11/31", "1899-12-31", "2201-01-01",
                     "2026-11-28 24:00", "2026-11-28 14:61", "2026-11-28 上午13点", "2026-11-28 14:00 foo",
                     "28/11/2026", "11-28", String(repeating: "1", count: 200), "2026-11-28" + String(repeating: " ", count: 100) + "x"] {
            #expect(parse(text) == nil, "\(text.prefix(40))")
        }
    }

    @Test("The canonical text reads back as itself (validating a validated tip changes nothing)")
    func fixedPoint() {
        for text in ["2026/11/28", "2026年11月28日 下午3点", "11月28日", "2026-05-01 12:30:00z", "2026-11-28T14:00"] {
            let once = parse(text)
            #expect(once != nil)
            #expect(once.flatMap(parse) == once, "\(text)")
        }
    }

    @Test("The form's field: TipSubmission.validate reads these forms and names the field when it cannot")
    func submission() throws {
        let policies = try RepoPolicies.load()
        let tip = TipSubmission(category: "online", district: "nanming", occurredAt: "2026年11月28日 14:00", description: "x")
        #expect(try tip.validate(policies: policies, now: now).occurredAt == "2026-11-28T14:00:00+08:00")
        let bad = TipSubmission(category: "online", district: "nanming", occurredAt: "上周五", description: "x")
        let fields: [String]
        switch Result(catching: { () throws(ValidationFailure) -> ValidatedTip in try bad.validate(policies: policies, now: now) }) {
        case .success: fields = []
        case .failure(let failure): fields = failure.errors.map(\.field)
        }
        #expect(fields == ["occurred_at"])
    }
}
