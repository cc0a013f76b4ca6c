import Sealing

/// The 16-digit receipt a reporter gets once and later presents to follow up.
///
/// Never logged, never in a URL, never stored: the store keeps only scrypt output of it.
/// `description` is redacted so string interpolation cannot leak it by accident.
public struct Receipt: Sendable, Equatable, CustomStringConvertible {
    /// Exactly 16 ASCII digits.
    public let digits: String

    /// A fresh receipt from the CSPRNG (rejection sampling, so every digit is uniform).
    public static func generate() -> Receipt {
        var result = ""
        result.reserveCapacity(16)
        while result.count < 16 {
            for byte in SecureRandom.bytes(24) where byte < 250 && result.count < 16 {
                result.append(Character(Unicode.Scalar(UInt8(ascii: "0") + byte % 10)))
            }
        }
        return Receipt(uncheckedDigits: result)
    }

    private init(uncheckedDigits: String) { self.digits = uncheckedDigits }

    /// Parses what a reporter typed: spaces, dashes and full-width digits are accepted.
    public init?(normalizing input: String) {
        var result = ""
        for scalar in input.unicodeScalars {
            switch scalar.value {
            case 0x30...0x39: result.unicodeScalars.append(scalar)
            case 0xFF10...0xFF19: result.unicodeScalars.append(Unicode.Scalar(scalar.value - 0xFF10 + 0x30)!)
            case 0x20, 0x2D, 0x3000, 0xFF0D, 0x2010...0x2015, 0x09: continue
            default: return nil
            }
            if result.utf8.count > 16 { return nil }
        }
        guard result.utf8.count == 16 else { return nil }
        self.digits = result
    }

    /// `dddd dddd dddd dddd`, for showing to the reporter once.
    public var grouped: String {
        let chars = Array(digits)
        return stride(from: 0, to: 16, by: 4).map { String(chars[$0..<$0 + 4]) }.joined(separator: " ")
    }

    public var description: String { "Receipt(redacted)" }

    /// The bytes the KDF reads.
    public var kdfInput: [UInt8] { Array(("tipline:v1:receipt:" + digits).utf8) }
}
