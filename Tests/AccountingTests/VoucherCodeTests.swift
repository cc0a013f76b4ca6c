import Testing
@testable import Accounting
@testable import LedgerModel
import TiplineCore

@Suite("Voucher codes")
struct VoucherCodeTests {
    @Test("Fresh codes are 20 Crockford characters, distinct, and redacted in descriptions")
    func generate() {
        var seen = Set<String>()
        for _ in 0..<500 {
            let code = VoucherCode.generate()
            #expect(code.text.count == 20)
            #expect(code.text.allSatisfy { VoucherCode.alphabet.contains($0) })
            #expect(code.description == "VoucherCode(redacted)")
            seen.insert(code.text)
        }
        #expect(seen.count == 500)
    }

    @Test("Typing is forgiving: case, hyphens, spaces, O/0 and I/L/1 look-alikes")
    func parse() throws {
        let code = try #require(VoucherCode(parsing: "0123456789ABCDEFGHJK"))
        #expect(code.grouped == "01234-56789-ABCDE-FGHJK")
        #expect(VoucherCode(parsing: "o1234 56789 abcde fghjk") == code)
        #expect(VoucherCode(parsing: "0i234-56789-ABCDE-FGHJK") == code)
        #expect(VoucherCode(parsing: "0L234-56789-ABCDE-FGHJK") == code)
        // Issue 13 item 9: as receipts are — full-width, any dash, tabs.
        #expect(VoucherCode(parsing: "０１２３４－５６７８９－ＡＢＣＤＥ－ＦＧＨＪＫ") == code)
        #expect(VoucherCode(parsing: "01234—56789–abcde\tfghjk") == code)
        #expect(VoucherCode(parsing: String(repeating: "0", count: 300)) == nil)
        #expect(VoucherCode(parsing: "0123456789ABCDEFGHJ") == nil)
        #expect(VoucherCode(parsing: "0123456789ABCDEFGHJKM") == nil)
        #expect(VoucherCode(parsing: "0123456789ABCDEFGHJU") == nil)
        #expect(code.hash.count == 32)
        #expect(VoucherCode(parsing: code.grouped)?.hash == code.hash)
    }
}
