import Testing
@testable import TiplineCore

@Suite("Receipts and references")
struct ReceiptTests {
    @Test("Generated receipts are 16 digits, grouped 4-4-4-4, and differ")
    func generate() {
        var seen: Set<String> = []
        for _ in 0..<200 {
            let receipt = Receipt.generate()
            #expect(receipt.digits.count == 16 && receipt.digits.allSatisfy(\.isASCIIDigit))
            #expect(receipt.grouped.split(separator: " ").map(\.count) == [4, 4, 4, 4])
            seen.insert(receipt.digits)
        }
        #expect(seen.count == 200)
    }

    @Test("Digits are uniform enough (no modulo bias visible)")
    func distribution() {
        var counts = Array(repeating: 0, count: 10)
        for _ in 0..<2000 { for c in Receipt.generate().digits { counts[Int(String(c))!] += 1 } }
        // 32,000 digits: each count ~3,200; a biased generator (byte % 10) would skew 0–5 by ~2.4%.
        #expect(counts.allSatisfy { (2900...3500).contains($0) })
    }

    @Test("Typed receipts are normalised: spaces, dashes, full-width digits", arguments: [
        "1234 5678 9012 3456", "1234-5678-9012-3456", "1234567890123456", "１２３４ ５６７８ ９０１２ ３４５６", " 1234\u{3000}5678 9012 3456 ",
    ])
    func normalise(input: String) throws {
        let receipt = try #require(Receipt(normalizing: input))
        #expect(receipt.digits == "1234567890123456")
    }

    @Test("Malformed receipts are refused", arguments: ["", "123", "12345678901234567", "1234 5678 9012 345a", "١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦"])
    func refuse(input: String) {
        #expect(Receipt(normalizing: input) == nil)
    }

    @Test("A receipt never prints itself")
    func redacted() {
        let receipt = Receipt.generate()
        #expect(!"\(receipt)".contains(receipt.digits))
        #expect(!String(describing: receipt).contains(receipt.digits))
    }

    @Test("References: GY-<year>-<6 digits>, round trip, refusals")
    func references() {
        #expect(TipReference(year: 2026, serial: 42).rawValue == "GY-2026-000042")
        #expect(TipReference(year: 2026, serial: 1_234_567).rawValue == "GY-2026-1234567")
        #expect(TipReference(rawValue: "GY-2026-000042")?.serial == 42)
        for bad in ["GY-2026-42", "GX-2026-000042", "GY-26-000042", "GY-2026-00004a", "GY-2026-000000", "GY-2026-0000042"] {
            #expect(TipReference(rawValue: bad) == nil, "\(bad)")
        }
    }

    @Test("Status machine: every allowed and every refused transition (S-5.1)")
    func statusMachine() {
        let allowed: Set<String> = ["received>triaged", "received>rejected", "triaged>verifying", "verifying>verified",
                                    "verifying>unfounded", "verified>closed", "unfounded>closed", "rejected>closed"]
        for from in TipStatus.allCases {
            for to in TipStatus.allCases {
                #expect(from.canMove(to: to) == allowed.contains("\(from.rawValue)>\(to.rawValue)"), "\(from)→\(to)")
            }
        }
        #expect(TipStatus.received.publicStatus.label(.zh) == "已受理")
        #expect(TipStatus.verifying.publicStatus.label(.zh) == "核查中")
        #expect(TipStatus.closed.publicStatus.label(.zh) == "已办结")
    }
}
