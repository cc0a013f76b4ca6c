import Foundation

/// An amount of money in fen (分), the only unit the ledger knows (rule 6: never floating point).
public struct Fen: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The amount in fen (1 yuan = 100 fen).
    public let rawValue: Int64

    /// An amount of `rawValue` fen.
    public init(rawValue: Int64) { self.rawValue = rawValue }
    /// An amount of `fen` fen.
    public init(_ fen: Int64) { self.rawValue = fen }

    /// Whole yuan.
    public static func yuan(_ yuan: Int64) -> Fen? {
        let (value, overflow) = yuan.multipliedReportingOverflow(by: 100)
        return overflow ? nil : Fen(value)
    }

    /// No money.
    public static let zero = Fen(0)

    /// Orders by amount.
    public static func < (lhs: Fen, rhs: Fen) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Adds, refusing overflow instead of trapping or wrapping.
    public func adding(_ other: Fen) -> Fen? {
        let (value, overflow) = rawValue.addingReportingOverflow(other.rawValue)
        return overflow ? nil : Fen(value)
    }

    /// `¥1,234.56` style, exact (integer arithmetic only).
    public var description: String {
        let negative = rawValue < 0
        let magnitude = rawValue.magnitude
        var yuan = String(magnitude / 100)
        var grouped = ""
        while yuan.count > 3 {
            grouped = "," + String(yuan.suffix(3)) + grouped
            yuan = String(yuan.dropLast(3))
        }
        let cents = magnitude % 100
        return (negative ? "-" : "") + "¥" + yuan + grouped + "." + (cents < 10 ? "0" : "") + String(cents)
    }

    /// `1234.56`: yuan with two decimals, no symbol or grouping (CSV; exact, integer arithmetic).
    public var decimalYuan: String {
        let magnitude = rawValue.magnitude
        let cents = magnitude % 100
        return (rawValue < 0 ? "-" : "") + String(magnitude / 100) + "." + (cents < 10 ? "0" : "") + String(cents)
    }

    /// Parses `3000`, `3000.5`, `3,000.50`, `¥3000` as yuan into exact fen; nil for anything else
    /// (more than two decimals, signs, exponents, overflow).
    public init?(parsingYuan text: String) {
        var body = text.trimmingCharacters(in: .whitespaces)
        if body.hasPrefix("¥") || body.hasPrefix("￥") { body.removeFirst() }
        body = body.replacingOccurrences(of: ",", with: "")
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].allSatisfy(\.isASCIIDigitCharacter),
              parts[0].count <= 16 else { return nil }
        var fraction = parts.count == 2 ? String(parts[1]) : "0"
        guard !fraction.isEmpty, fraction.count <= 2, fraction.allSatisfy(\.isASCIIDigitCharacter) else { return nil }
        if fraction.count == 1 { fraction += "0" }
        guard let whole = Int64(parts[0]), let cents = Int64(fraction),
              let base = Fen.yuan(whole), let total = base.adding(Fen(cents)) else { return nil }
        self = total
    }
}

extension Character {
    var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}
