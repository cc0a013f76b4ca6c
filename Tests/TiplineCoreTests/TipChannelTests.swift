import Foundation
import Testing
import TiplineCore

@Suite("How a tip came (issue 15)")
struct TipChannelTests {
    @Test("Channels: Chinese labels, typed in either language, web not among the recorded ones; tip.record for triage and supervisors only")
    func channels() {
        #expect(TipChannel.allCases.map { $0.label(.zh) } == ["网上", "电话", "来信", "来访", "电子邮件", "信息员"])
        #expect(TipChannel(typed: "来访") == .visit && TipChannel(typed: " Phone ") == .phone && TipChannel(typed: "fax") == nil)
        #expect(TipChannel.recorded == [.phone, .letter, .visit, .email])
        #expect(StaffAction.recordTip.allowedRoles == [.triage, .supervisor])
    }

    @Test("A recording's stored body keeps the channel in clear and the salted form and the sealed identity only as hashes")
    func storedBody() throws {
        let body = Array(#"{"channel":"phone","tip":{"salt":"00112233445566778899aabbccddeeff","form":{"description":"某店出售光盘","category":"online","district":"nanming"}},"identity":{"version":1,"recordID":"ab","fields":[],"wraps":[]}}"#.utf8)
        let stored = RedactedRequestBody.redact(body)
        #expect(RedactedRequestBody.hashedFields(stored) == ["identity", "tip"] && RedactedRequestBody.isRedaction(stored))
        let text = String(decoding: stored, as: UTF8.self)
        #expect(text.contains(#""channel":"phone""#) && !text.contains("某店") && !text.contains("00112233"))
    }

    @Test("The public form's JSON survives a round trip through its encoder (what tips record sends)")
    func formRoundTrip() throws {
        let form = TipSubmission(category: "online", district: "nanming", location: "南明区", occurredAt: "2026-11-28",
                                 description: "描述", reporter: ReporterSubmission(values: ["name": "张三"]), wantsReward: true)
        let decoded = try JSONDecoder().decode(TipSubmission.self, from: JSONEncoder().encode(form))
        #expect(decoded == form)
    }
}
