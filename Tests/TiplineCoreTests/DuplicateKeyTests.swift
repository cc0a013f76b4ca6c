import TiplineAdminAPI
import Foundation
import Testing
@testable import TiplineCore

@Suite("JSON bodies: a key given twice is refused")
struct DuplicateKeyTests {
    @Test("Repeated keys are found at any depth, also when spelt with escapes", arguments: [
        (#"{"category":"a","category":"b"}"#, "category"),
        (#"{"reporter":{"name":"a","phone":"1","name":"b"}}"#, "reporter.name"),
        (#"{"a":[{"x":1},{"x":1,"x":2}]}"#, "a[1].x"),
        (#"{"category":"a","\u0063ategory":"b"}"#, "category"),
        (#"{"k\"":1,"k\u0022":2}"#, "k\""),
        ("{ \"a\" : 1 ,\n \"a\" : 1 }", "a"),
    ])
    func duplicates(json: String, field: String) {
        #expect(throws: DuplicateKeyError(field: field)) { try JSONDuplicateKeys.check(Array(json.utf8)) }
    }

    @Test("Valid JSON without repeats passes, whatever it holds", arguments: [
        #"{"category":"a","district":"b","wants_reward":true,"n":-1.5e+3,"x":null,"y":false}"#,
        #"{"a":{"a":{"a":1}},"b":[{"a":1},{"a":2}],"c":"\u00e9\ud83d\ude00\n\t\\\/"}"#,
        #"[]"#, #"{}"#, #"  "text"  "#, #"0"#,
    ])
    func passes(json: String) throws {
        try JSONDuplicateKeys.check(Array(json.utf8))
        _ = try JSONSerialization.jsonObject(with: Data(json.utf8), options: .fragmentsAllowed)
    }

    @Test("Malformed or over-deep input is reported as malformed, never a crash", arguments: [
        "", "{", #"{"a":}"#, #"{"a" 1}"#, #"{"a":1,}"#, #"["#, "tru", "01x", #""\x""#, "{} {}",
        String(repeating: "[", count: 100) + String(repeating: "]", count: 100),
    ])
    func malformed(json: String) {
        #expect(throws: MalformedJSONError.self) { try JSONDuplicateKeys.check(Array(json.utf8)) }
    }

    @Test("StrictBody types refuse a repeated key before decoding")
    func strictBody() {
        let body = Data(#"{"to":"triaged","reason":"x","to":"rejected"}"#.utf8)
        #expect(throws: DuplicateKeyError(field: "to")) { _ = try StatusChange.decodeStrictly(from: body) }
    }
}
