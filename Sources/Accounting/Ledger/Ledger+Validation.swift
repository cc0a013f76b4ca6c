import LedgerModel
extension Ledger {
    /// A tip reference: 1–40 characters of ASCII letters, digits and hyphens (e.g. `GY-2025-000123`).
    static func checkReference(_ reference: String) throws(LedgerError) {
        guard (1...40).contains(reference.utf8.count),
              reference.utf8.allSatisfy({ isAlphanumeric($0) || $0 == UInt8(ascii: "-") }) else {
            throw .invalidArgument("a tip reference is 1 to 40 ASCII letters, digits or hyphens")
        }
    }

    /// A centre id: 1–32 lowercase ASCII letters, digits and hyphens (e.g. `city`, `nanming`).
    static func checkCentre(_ centre: String) throws(LedgerError) {
        guard (1...32).contains(centre.utf8.count),
              centre.utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == UInt8(ascii: "-") })
        else {
            throw .invalidArgument("a centre id is 1 to 32 lowercase ASCII letters, digits or hyphens")
        }
    }

    /// A memo: at most 200 characters, no control characters (it appears in reports and CSV).
    static func checkMemo(_ memo: String) throws(LedgerError) {
        guard memo.count <= 200, memo.utf8.count <= 800,
              !memo.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalidArgument("a memo is at most 200 characters without control characters")
        }
    }

    /// A positive amount.
    static func checkAmount(_ amount: Fen) throws(LedgerError) {
        guard amount.rawValue > 0 else { throw .invalidArgument("an amount must be positive") }
    }

    /// A time: UTC seconds, not before 1970.
    static func checkTime(_ now: Int64) throws(LedgerError) {
        guard now >= 0, now < 253_402_300_800 else { throw .invalidArgument("now must be UTC seconds between 1970 and 9999") }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }
}
