import Sealing

/// The receipt a reporter gets once and later presents to follow up.
///
/// Receipts issued now are 20 digits (`dddd dddd dddd dddd dddd`): the first 8 are the **locator**,
/// which finds the one tip the receipt can belong to, and the last 12 are the **secret**, checked
/// only against that tip's own salted scrypt verifier — so a guess tests one tip, never all of them
/// (docs/ENVELOPE.md §13). Receipts issued before that are 16 digits (`legacy`): they are still
/// accepted and checked the old way, against the tips marked legacy only.
///
/// Never logged, never in a URL, never stored: the store keeps only a hash of the locator and
/// scrypt output of the whole receipt. `description` is redacted so interpolation cannot leak it.
public struct Receipt: Sendable, Equatable, CustomStringConvertible {
    /// Which derivation a receipt uses, told apart by its length.
    public enum Format: Sendable, Equatable {
        /// 16 digits: scrypt with the deployment's salt, looked up by its output (before v5).
        case legacy
        /// 20 digits: 8-digit locator + 12-digit secret, scrypt with the tip's own salt.
        case located
    }

    /// Digits of a receipt issued now.
    public static let digitCount = 20
    /// Digits of a legacy receipt.
    public static let legacyDigitCount = 16
    /// Leading digits of a located receipt that find its tip.
    public static let locatorDigitCount = 8

    /// 20 (or, for a legacy receipt, 16) ASCII digits.
    public let digits: String

    /// A fresh 20-digit receipt from the CSPRNG (rejection sampling, so every digit is uniform).
    public static func generate() -> Receipt {
        Receipt(uncheckedDigits: randomDigits(digitCount))
    }

    /// A fresh 16-digit receipt of the legacy format (for tests and migration fixtures only).
    public static func generateLegacy() -> Receipt {
        Receipt(uncheckedDigits: randomDigits(legacyDigitCount))
    }

    private static func randomDigits(_ count: Int) -> String {
        var result = ""
        result.reserveCapacity(count)
        while result.count < count {
            for byte in SecureRandom.bytes(24) where byte < 250 && result.count < count {
                result.append(Character(Unicode.Scalar(UInt8(ascii: "0") + byte % 10)))
            }
        }
        return result
    }

    private init(uncheckedDigits: String) { self.digits = uncheckedDigits }

    /// Parses what a reporter typed: spaces, dashes and full-width digits are accepted;
    /// 20 digits (current) or 16 (legacy), nothing else.
    public init?(normalizing input: String) {
        var result = ""
        for scalar in input.unicodeScalars {
            switch scalar.value {
            case 0x30...0x39: result.unicodeScalars.append(scalar)
            case 0xFF10...0xFF19: result.unicodeScalars.append(Unicode.Scalar(scalar.value - 0xFF10 + 0x30)!)
            case 0x20, 0x2D, 0x3000, 0xFF0D, 0x2010...0x2015, 0x09: continue
            default: return nil
            }
            if result.utf8.count > Self.digitCount { return nil }
        }
        guard result.utf8.count == Self.digitCount || result.utf8.count == Self.legacyDigitCount else { return nil }
        self.digits = result
    }

    /// Which derivation this receipt uses.
    public var format: Format { digits.utf8.count == Self.digitCount ? .located : .legacy }

    /// Groups of four digits separated by spaces, for showing to the reporter once.
    public var grouped: String {
        let chars = Array(digits)
        return stride(from: 0, to: chars.count, by: 4).map { String(chars[$0..<min($0 + 4, chars.count)]) }
            .joined(separator: " ")
    }

    public var description: String { "Receipt(redacted)" }

    /// What the store indexes a located receipt's tip by: SHA-256 of
    /// `tipline:v2:receipt-locator:<the 8 locator digits>`. Nil for a legacy receipt.
    ///
    /// The locator is not a secret (there are only 10^8 of them); it is hashed only so that no
    /// digit of a receipt is ever written to a column.
    public var locatorHash: [UInt8]? {
        guard format == .located else { return nil }
        return Hashing.sha256(Array(("tipline:v2:receipt-locator:" + digits.prefix(Self.locatorDigitCount)).utf8))
    }

    /// The bytes the KDF reads (the caller wipes them): `tipline:v2:receipt:<20 digits>` for a
    /// located receipt, `tipline:v1:receipt:<16 digits>` for a legacy one.
    public var kdfInput: [UInt8] {
        switch format {
        case .located: Array(("tipline:v2:receipt:" + digits).utf8)
        case .legacy: Array(("tipline:v1:receipt:" + digits).utf8)
        }
    }
}
