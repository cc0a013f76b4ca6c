import Sealing
import Testing
@testable import TiplineCore

@Suite("Receipts and references")
struct ReceiptTests {
    @Test("Generated receipts are 24 digits (a 16-digit secret, 10^16 ≥ the design's 10^15), grouped 4-4-4-4-4-4, located, and differ")
    func generate() {
        var seen: Set<String> = []
        for _ in 0..<200 {
            let receipt = Receipt.generate()
            #expect(receipt.digits.count == 24 && receipt.digits.allSatisfy(\.isASCIIDigit))
            #expect(receipt.digits.count - Receipt.locatorDigitCount >= 15, "the secret part is at least 10^15")
            #expect(receipt.grouped.split(separator: " ").map(\.count) == [4, 4, 4, 4, 4, 4])
            #expect(receipt.format == .located && receipt.locatorHash?.count == 32)
            seen.insert(receipt.digits)
        }
        #expect(seen.count == 200)
        #expect(Receipt.generateLegacy().format == .legacy && Receipt.generateLegacy().locatorHash == nil)
        #expect(Receipt.generateShortLocated().format == .located && Receipt.generateShortLocated().digits.count == 20)
    }

    /// Pearson's chi-square of digit counts against the uniform distribution (9 degrees of freedom).
    static func chiSquare(_ counts: [Int]) -> Double {
        let expected = Double(counts.reduce(0, +)) / 10
        return counts.reduce(0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
    }

    /// Whether the digits look uniform: chi-square under 45 (p ≈ 1e-6 at 9 degrees of freedom) and the
    /// share of 0–5 within 0.45 points of 60 % (5σ at 320,000 digits). A `byte % 10` generator gives
    /// 0–5 a 60.9 % share and a chi-square near 117 at this size: it fails both.
    static func looksUniform(_ counts: [Int]) -> Bool {
        let total = Double(counts.reduce(0, +))
        let low = Double(counts[0...5].reduce(0, +)) / total
        return chiSquare(counts) < 45 && abs(low - 0.6) < 0.0045
    }

    @Test("Digits are uniform: 320,000 digits pass a chi-square and a 0–5 share test that a byte % 10 generator fails")
    func distribution() {
        var counts = Array(repeating: 0, count: 10)
        for _ in 0..<16_000 { for c in Receipt.generate().digits { counts[Int(String(c))!] += 1 } }
        #expect(Self.looksUniform(counts), "counts \(counts), chi-square \(Self.chiSquare(counts))")
        // The same test on the bias it names (byte % 10): it must fail, or the check above proves nothing.
        var biased = Array(repeating: 0, count: 10)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<320_000 { biased[Int(UInt8.random(in: 0...255, using: &generator) % 10)] += 1 }
        #expect(!Self.looksUniform(biased), "a byte % 10 generator passed: \(biased)")
    }

    @Test("Typed receipts are normalised: spaces, dashes, full-width digits", arguments: [
        "1234 5678 9012 3456 7890 1234", "1234-5678-9012-3456-7890-1234", "123456789012345678901234",
        "１２３４ ５６７８ ９０１２ ３４５６ ７８９０ １２３４",
    ])
    func normalise(input: String) throws {
        let receipt = try #require(Receipt(normalizing: input))
        #expect(receipt.digits == "123456789012345678901234" && receipt.format == .located)
        #expect(receipt.grouped == "1234 5678 9012 3456 7890 1234")
    }

    @Test("20-digit receipts issued before the secret grew are still read as located", arguments: [
        "1234 5678 9012 3456 7890", "1234-5678-9012-3456-7890", "12345678901234567890",
        "１２３４ ５６７８ ９０１２ ３４５６ ７８９０", " 1234\u{3000}5678 9012 3456 7890 ",
    ])
    func normaliseShort(input: String) throws {
        let receipt = try #require(Receipt(normalizing: input))
        #expect(receipt.digits == "12345678901234567890" && receipt.format == .located)
    }

    @Test("Legacy 16-digit receipts are still read", arguments: ["1234 5678 9012 3456", "1234-5678-9012-3456", "１２３４５６７８９０１２３４５６"])
    func normaliseLegacy(input: String) throws {
        let receipt = try #require(Receipt(normalizing: input))
        #expect(receipt.digits == "1234567890123456" && receipt.format == .legacy)
        #expect(receipt.grouped == "1234 5678 9012 3456")
    }

    @Test("Malformed receipts are refused", arguments: ["", "123", "12345678901234567", "123456789012345678901",
                                                        "1234567890123456789012345", "12345678901234567890123",
                                                        "1234 5678 9012 345a", "١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦"])
    func refuse(input: String) {
        #expect(Receipt(normalizing: input) == nil)
    }

    @Test("Guessing against every tip at once is impossible by construction: the same receipt, even the same secret part, gives each tip its own verifier")
    func perTipVerifiers() throws {
        let parameters = Scrypt.Parameters(n: 1024, r: 8, p: 1)
        let receipt = Receipt.generate()
        let tipA = try ReceiptKeys.issue(for: receipt, parameters: parameters)
        let tipB = try ReceiptKeys.issue(for: receipt, parameters: parameters)
        #expect(tipA.record.salt != tipB.record.salt && tipA.record.salt?.count == 16)
        #expect(tipA.record.verifier != tipB.record.verifier)
        #expect(tipA.sealingKey != tipB.sealingKey)
        // A guess is checked against one tip's salt and verifier: computing it for A says nothing about B.
        let guessForA = try ReceiptKeys.derive(receipt: receipt, salt: tipA.record.salt!, parameters: parameters)
        #expect(guessForA.matches(tipA.record) && !guessForA.matches(tipB.record))
        // Another tip whose receipt shares the secret part (a different locator) gets another verifier too.
        let sameSecret = try #require(Receipt(normalizing: "00000000" + receipt.digits.suffix(16)))
        let tipC = try ReceiptKeys.derive(receipt: sameSecret, salt: tipA.record.salt!, parameters: parameters)
        #expect(tipC.record.verifier != tipA.record.verifier && tipC.record.locatorHash != tipA.record.locatorHash)
        // A 20-digit receipt (issued before the secret grew) is located too, but its first 20 digits never
        // stand for a 24-digit receipt: the length is part of the KDF input.
        let truncated = try #require(Receipt(normalizing: String(receipt.digits.prefix(20))))
        #expect(truncated.locatorHash == receipt.locatorHash)
        let truncatedGuess = try ReceiptKeys.derive(receipt: truncated, salt: tipA.record.salt!, parameters: parameters)
        #expect(!truncatedGuess.matches(tipA.record))
        let shortTip = try ReceiptKeys.issue(for: Receipt.generateShortLocated(), parameters: parameters)
        #expect(shortTip.record.scheme == .located && shortTip.record.salt?.count == 16)
        // The record keeps the parameters, so a later policy change re-derives with these.
        #expect(tipA.record.parameters == parameters && tipA.record.scheme == .located)
        // Legacy receipts keep their old derivation (deployment salt), marked per tip.
        let legacy = try ReceiptKeys.derive(receipt: Receipt.generateLegacy(), salt: Array(repeating: 7, count: 32), parameters: parameters)
        #expect(legacy.record.scheme == .legacy && legacy.record.salt == nil && legacy.record.locatorHash == nil)
        #expect(throws: SealingError.self) { _ = try ReceiptKeys.issue(for: Receipt.generateLegacy(), parameters: parameters) }
    }

    @Test("Stored parameters are run only within the loader's ceilings (no floor: old receipts keep opening)")
    func storedParameters() {
        #expect(ReceiptRecord.acceptsStored(.init(n: 2, r: 1, p: 1)))
        #expect(ReceiptRecord.acceptsStored(.init(n: 1 << 15, r: 8, p: 1)))
        #expect(!ReceiptRecord.acceptsStored(.init(n: 1 << 23, r: 8, p: 1)))
        #expect(!ReceiptRecord.acceptsStored(.init(n: 1000, r: 8, p: 1)))
        #expect(!ReceiptRecord.acceptsStored(.init(n: 1024, r: 64, p: 1)))
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
