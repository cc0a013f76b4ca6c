import Foundation

extension TipReference {
    /// A reference as people type it (issue 13, item 4): NFKC-normalised (full-width letters and
    /// digits), trimmed, any case, any dash (－ — – ‐ ー …) or none, the `GY` prefix optional and the
    /// serial unpadded: `gy-2026-1`, `ＧＹ－２０２６－０００００１`, `2026-1` and `GY2026000001` are all
    /// `GY-2026-000001`. Nil when it is not one.
    public init?(typed text: String) {
        guard text.utf8.count <= 64 else { return nil }
        var folded = text.precomposedStringWithCompatibilityMapping.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
        for dash in ["\u{2010}", "\u{2011}", "\u{2012}", "\u{2013}", "\u{2014}", "\u{2015}", "\u{2212}", "\u{30FC}", "\u{FF0D}", "\u{FE63}", "_", " ", "/"] {
            folded = folded.replacingOccurrences(of: dash, with: "-")
        }
        if folded.hasPrefix("GY") { folded.removeFirst(2) }
        let digits = folded.filter { $0 != "-" }
        guard folded.allSatisfy({ $0 == "-" || $0.isASCIIDigit }), digits.count >= 5, digits.count <= 13 else { return nil }
        let parts = folded.split(separator: "-")
        let year: Substring
        let serial: Substring
        switch parts.count {
        case 1:  // GY2026000001: the year is the first four digits
            year = digits.prefix(4)
            serial = digits.dropFirst(4)
        case 2:
            year = parts[0]
            serial = parts[1]
        default:
            return nil
        }
        guard year.count == 4, (1...9).contains(serial.count), let y = Int(year), let s = Int(serial), s > 0 else { return nil }
        self.init(year: y, serial: s)
    }
}
