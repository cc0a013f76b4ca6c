/// The public reference of a tip, `GY-<year>-<serial>` with at least six digits.
///
/// It is safe to show anywhere: it says nothing about the reporter. Serials are allocated
/// atomically by the store inside the transaction that stores the tip.
public struct TipReference: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// The reference as shown: `GY-<year>-<serial>`.
    public let rawValue: String
    /// The year (China time) the tip was received in.
    public let year: Int
    /// The serial within the year, from 1.
    public let serial: Int

    /// The reference for `serial` in `year`, the serial padded to six digits.
    public init(year: Int, serial: Int) {
        self.year = year
        self.serial = serial
        let digits = String(serial)
        self.rawValue = "GY-\(year)-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// Parses `GY-2026-000123`; nil unless it is exactly the canonical form.
    public init?(rawValue: String) {
        let parts = rawValue.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "GY", parts[1].count == 4, parts[2].count >= 6, parts[2].count <= 9,
              parts[1].allSatisfy(\.isASCIIDigit), parts[2].allSatisfy(\.isASCIIDigit),
              let year = Int(parts[1]), let serial = Int(parts[2]), serial > 0 else { return nil }
        self.init(year: year, serial: serial)
        guard self.rawValue == rawValue else { return nil }
    }

    public var description: String { rawValue }

    /// Decodes a reference string; throws `dataCorrupted` for anything else.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = TipReference(rawValue: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a tip reference"))
        }
        self = value
    }

    /// Encodes the reference as its string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
