import Foundation
import Testing
@testable import TiplineCore

@Suite("Tip submission validation")
struct SubmissionTests {
    let policies: PolicySet
    init() throws { policies = try RepoPolicies.load() }

    private func decode(_ json: String) throws -> TipSubmission {
        try JSONDecoder().decode(TipSubmission.self, from: Data(json.utf8))
    }

    private func errors(_ submission: TipSubmission) -> [FieldError] {
        do {
            _ = try submission.validate(policies: policies)
            return []
        } catch {
            return error.errors
        }
    }

    @Test("A complete tip validates; identity fields become reporter.* envelope fields")
    func valid() throws {
        let tip = try decode("""
            {"category":"online","district":"nanming","location":"某网吧","occurred_at":"2026-05-01",
             "description":"Cafe\\u0301 sells discs","reporter":{"name":"张三","phone":"13800138000"},"wants_reward":true}
            """)
        let validated = try tip.validate(policies: policies)
        #expect(validated.category == "online")
        #expect(validated.district == .known("nanming"))
        #expect(validated.description == "Caf\u{E9} sells discs")  // NFC
        #expect(validated.identityFields.map(\.name) == ["reporter.name", "reporter.phone"])
        #expect(validated.contentFields.map(\.name) == ["description", "location", "occurred_at"])
        #expect(validated.wantsReward)
        #expect(!validated.isAnonymous)
    }

    @Test("Anonymous: no reporter object")
    func anonymous() throws {
        let validated = try decode(#"{"category":"other","district":"unknown","description":"x"}"#).validate(policies: policies)
        #expect(validated.isAnonymous && validated.district == .unknown && !validated.wantsReward)
    }

    @Test("Unknown fields are refused, at the top level and inside reporter")
    func unknownFields() {
        #expect(throws: UnknownFieldError.self) { try decode(#"{"category":"other","district":"unknown","description":"x","extra":1}"#) }
        do {
            _ = try decode(#"{"description":"x","reporter":{"nmae":"a"}}"#)
            Issue.record("accepted an unknown field")
        } catch let error as UnknownFieldError {
            #expect(error.field == "reporter.nmae")
        } catch {
            Issue.record("wrong error \(error)")
        }
    }

    @Test("Field errors: required, too long, invalid enum, control characters, bad date")
    func fieldErrors() {
        let long = String(repeating: "a", count: 20_001)
        #expect(errors(TipSubmission(category: "other", district: "unknown")).map(\.field) == ["description"])
        #expect(errors(TipSubmission(category: "other", district: "unknown", description: long)).map(\.code) == ["too_long"])
        #expect(errors(TipSubmission(category: "other", district: "unknown", description: String(repeating: "字", count: 20_000))).isEmpty)
        #expect(errors(TipSubmission(category: "gambling", district: "mars", description: "x")).map(\.field) == ["category", "district"])
        #expect(errors(TipSubmission(category: "other", district: "unknown", description: "a\u{0007}b")).map(\.code) == ["control_characters"])
        #expect(errors(TipSubmission(category: "other", district: "unknown", description: "line1\nline2\tend")).isEmpty)
        #expect(errors(TipSubmission(category: "other", district: "unknown", location: "a\nb", description: "x")).map(\.field) == ["location"])
        #expect(errors(TipSubmission(category: "other", district: "unknown", description: "evil \u{202E}txt")).map(\.code) == ["control_characters"])
        #expect(errors(TipSubmission(category: "other", district: "unknown", occurredAt: "2026-02-30", description: "x")).map(\.field) == ["occurred_at"])
        #expect(errors(TipSubmission(category: "other", district: "unknown", occurredAt: "2026-05-01T20:30:00+08:00", description: "x")).isEmpty)
        let identity = ReporterSubmission(values: ["name": String(repeating: "n", count: 201)])
        #expect(errors(TipSubmission(category: "other", district: "unknown", description: "x", reporter: identity)).map(\.field) == ["reporter.name"])
    }

    @Test("Error messages never quote the submitted value")
    func noEcho() {
        let canary = "CANARY-\(UUID().uuidString)"
        let all = errors(TipSubmission(category: canary, district: canary, location: canary + "\u{0001}",
                                       occurredAt: canary, description: canary + "\u{0001}",
                                       reporter: ReporterSubmission(values: ["phone": canary + "\u{0001}"])))
        #expect(all.count == 6)
        for error in all { #expect(!error.message.contains("CANARY") && !error.field.contains("CANARY")) }
    }
}
