import Foundation
import Testing
@testable import AdminClient
import TiplineCore

/// Issue 13, items 3 and 4: what staff type is understood, what they read is Chinese and China time.
@Suite("Workstation text: references, states, language, times")
struct WorkstationTextTests {
    @Test("References as people type them: any case, full-width, any dash, short forms; nonsense is refused")
    func references() {
        for typed in ["GY-2026-000001", "gy-2026-1", " GY-2026-000001 \n", "ＧＹ－２０２６－０００００１", "2026-1", "GY2026000001",
                      "gy—2026—1", "GY 2026 1", "２０２６－１"] {
            #expect(TipReference(typed: typed)?.rawValue == "GY-2026-000001", "\(typed)")
        }
        #expect(TipReference(typed: "2026-1234567")?.rawValue == "GY-2026-1234567")
        for bad in ["", "GY", "GY-2026", "GY-26-1", "GY-2026-0", "XX-2026-1", "GY-2026-1-2", "../2026-1", "GY-2026-1%2F", "2026-1234567890",
                    String(repeating: "1", count: 100)] {
            #expect(TipReference(typed: bad) == nil, "\(bad)")
        }
    }

    @Test("Statuses and urgencies by wire name or Chinese label; labels are zh first, English is the wire name")
    func labels() {
        #expect(TipStatus(typed: "核查中") == .verifying)
        #expect(TipStatus(typed: "Verified") == .verified)
        #expect(TipStatus(typed: "不予受理") == .rejected)
        #expect(TipStatus(typed: "maybe") == nil)
        #expect(Urgency(typed: "重大") == .major)
        #expect(TipStatus.allCases.map { $0.label(.zh) } == ["已接收", "已受理", "不予受理", "核查中", "查证属实", "未查实", "已办结"])
        #expect(TipStatus.allCases.allSatisfy { $0.label(.en) == $0.rawValue })
        #expect(Set(TipStatus.allCases.map { $0.label(.zh) }).count == TipStatus.allCases.count)
        #expect(StaffRole.allCases.allSatisfy { !$0.label(.zh).isEmpty && $0.label(.zh) != $0.rawValue })
    }

    @Test("Chinese unless --lang en, TIPLINE_LANG, the profile or an English locale says otherwise")
    func language() {
        #expect(UILanguage.resolve(arguments: ["tipline-admin", "tips", "queue"], environment: [:], profile: nil) == .zh)
        #expect(UILanguage.resolve(arguments: ["x", "--lang", "en"], environment: ["TIPLINE_LANG": "zh"], profile: "zh") == .en)
        #expect(UILanguage.resolve(arguments: ["x", "--lang=en"], environment: [:], profile: nil) == .en)
        #expect(UILanguage.resolve(arguments: ["x"], environment: ["TIPLINE_LANG": "en"], profile: "zh") == .en)
        #expect(UILanguage.resolve(arguments: ["x"], environment: ["LANG": "en_US.UTF-8"], profile: "zh") == .zh)
        #expect(UILanguage.resolve(arguments: ["x"], environment: ["LANG": "en_US.UTF-8"], profile: nil) == .en)
        #expect(UILanguage.resolve(arguments: ["x"], environment: ["LANG": "zh_CN.UTF-8", "LC_ALL": "C"], profile: nil) == .zh)
        #expect(UILanguage.resolve(arguments: ["x"], environment: ["LC_MESSAGES": "en_GB"], profile: nil) == .en)
    }

    @Test("Times are China time with the offset, in tables and in JSON; time left reads as words")
    func times() {
        // 2026-11-30T10:51:00Z is 18:51 in China.
        let seconds: Int64 = 1_796_035_860
        #expect(CivilTime.iso8601UTC(seconds) == "2026-11-30T10:51:00Z")
        #expect(ShownTime.text(seconds) == "2026-11-30 18:51 UTC+8")
        #expect(ShownTime.json(seconds) == "2026-11-30T18:51:00+08:00")
        #expect(ShownTime.text(iso: "2026-11-30T10:51:00Z") == "2026-11-30 18:51 UTC+8")
        #expect(CivilTime.seconds(iso8601: "2026-11-30T18:51:00+08:00") == seconds)
        #expect(CivilTime.seconds(iso8601: "2026-11-30T10:51:00Z") == seconds)
        #expect(CivilTime.seconds(iso8601: "2026-02-30T10:51:00Z") == nil)
        #expect(CivilTime.seconds(iso8601: "yesterday") == nil)
        #expect(ShownTime.left(until: seconds + 3 * 3_600 + 20 * 60, now: seconds).contains("3"))
        let overdue = ShownTime.left(until: seconds - 2 * 86_400, now: seconds)
        #expect(overdue == "超时 2 天 0 小时" || overdue == "2d 0h overdue")
    }

    @Test("Free text with a mobile number, an ID number or an e-mail address is refused before it is sent; ordinary reasons pass")
    func clearText() throws {
        #expect(ClearText.findings("举报人电话13800001111，请回电") == ["mobile-number"])
        #expect(ClearText.findings("联系 １３８００００１１１１") == ["mobile-number"])
        #expect(ClearText.findings("身份证 11010519491231002X") == ["resident-id"])
        #expect(ClearText.findings("mail li.wei@example.com") == ["email"])
        #expect(ClearText.findings("涉及全市，转市中心核查；罚没 3000 元，案号 2026-118").isEmpty)
        #expect(throws: CLIError.self) { try ClearText.check([("--reason", "电话 13912345678")]) }
        try ClearText.check([("--reason", "重复举报"), ("--unit", nil)])
    }
}
