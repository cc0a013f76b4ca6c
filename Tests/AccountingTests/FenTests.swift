import Testing
@testable import Accounting
@testable import LedgerModel
import TiplineCore

@Suite("Fen (rule 6: integer money)")
struct FenTests {
    @Test("Formatting is exact")
    func format() {
        #expect(Fen(300_000).description == "¥3,000.00")
        #expect(Fen(5).description == "¥0.05")
        #expect(Fen(-123_456_789).description == "-¥1,234,567.89")
        #expect(Fen(60_000_000).description == "¥600,000.00")
    }

    @Test("Parsing yuan text into fen", arguments: [
        ("3000", 300_000), ("3000.5", 300_050), ("3,000.50", 300_050), ("¥1000", 100_000), ("0.01", 1),
    ])
    func parse(text: String, fen: Int64) {
        #expect(Fen(parsingYuan: text)?.rawValue == fen)
    }

    @Test("Refusals: fractions of a fen, signs, exponents, overflow", arguments: [
        "", "1.005", "-5", "+5", "1e3", "abc", "99999999999999999", "1.", ".5",
    ])
    func refuse(text: String) {
        #expect(Fen(parsingYuan: text) == nil)
    }

    @Test("Overflow is refused, never wrapped")
    func overflow() {
        #expect(Fen(Int64.max).adding(Fen(1)) == nil)
        #expect(Fen.yuan(Int64.max / 10) == nil)
    }
}
