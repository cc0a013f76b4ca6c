import Sealing

/// The receipt a reporter gets once and later presents to follow up.
///
/// Receipts issued now are 24 digits (`dddd dddd dddd dddd dddd dddd`): the first 8 are the
/// **locator**, which finds the one tip the receipt can belong to, and the last 16 are the
/// **secret** (10^16 values), checked only against that tip's own salted scrypt verifier — so a guess
/// tests one tip, never all of them (docs/ENVELOPE.md §13). 20-digit receipts (8 + 12, issued from
/// schema v6 until the secret grew) are located the same way and keep working. Receipts issued before
/// v6 are 16 digits (`legacy`): they are still accepted and checked the old way, against the tips
/// marked legacy only.
///
/// Never logged, never in a URL, never stored: the store keeps only a hash of the locator and
/// scrypt output of the whole receipt. `description` is redacted so interpolation cannot leak it.
public struct Receipt: Sendable, Equatable, CustomStringConvertible {
    /// Which derivation a receipt uses, told apart by its length.
    public enum Format: Sendable, Equatable {
        /// 16 digits: scrypt with the deployment's salt, looked up by its output (before v5).
        case legacy
        /// 24 digits (8-digit locator + 16-digit secret), or 20 issued earlier (8 + 12): scrypt with
        /// the tip's own salt over all the digits.
        case located
    }

    /// Digits of a receipt issued now.
    public static let digitCount = 24
    /// Digits of a located receipt issued before the secret grew to 16 digits (still accepted).
    public static let shortLocatedDigitCount = 20
    /// Digits of a legacy receipt.
    public static let legacyDigitCount = 16
    /// Leading digits of a located receipt that find its tip.
    public static let locatorDigitCount = 8

    /// 24 (or, for receipts issued earlier, 20 or 16) ASCII digits.
    public let digits: String

    /// A fresh 24-digit receipt from the CSPRNG (rejection sampling, so every digit is uniform).
    public static func generate() -> Receipt {
        Receipt(uncheckedDigits: randomDigits(digitCount))
    }

    /// A fresh 16-digit receipt of the legacy format (for tests and migration fixtures only).
    public static func generateLegacy() -> Receipt {
        Receipt(uncheckedDigits: randomDigits(legacyDigitCount))
    }

    /// A fresh 20-digit located receipt as issued before the secret grew (for tests only).
    public static func generateShortLocated() -> Receipt {
        Receipt(uncheckedDigits: randomDigits(shortLocatedDigitCount))
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
    /// 24 digits (current), 20 (earlier located) or 16 (legacy), nothing else.
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
        guard [Self.digitCount, Self.shortLocatedDigitCount, Self.legacyDigitCount].contains(result.utf8.count) else { return nil }
        self.digits = result
    }

    /// Which derivation this receipt uses.
    public var format: Format { digits.utf8.count == Self.legacyDigitCount ? .legacy : .located }

    /// Groups of four digits separated by spaces, for showing to the reporter once.
    public var grouped: String {
        let chars = Array(digits)
        return stride(from: 0, to: chars.count, by: 4).map { String(chars[$0..<min($0 + 4, chars.count)]) }
            .joined(separator: " ")
    }

    /// Redacted: the digits never reach a log or an error message.
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

    /// The bytes the KDF reads (the caller wipes them): `tipline:v2:receipt:<all 24 or 20 digits>` for
    /// a located receipt, `tipline:v1:receipt:<16 digits>` for a legacy one. The length is part of the
    /// input, so a 20-digit guess never matches a 24-digit receipt's verifier.
    public var kdfInput: [UInt8] {
        switch format {
        case .located: Array(("tipline:v2:receipt:" + digits).utf8)
        case .legacy: Array(("tipline:v1:receipt:" + digits).utf8)
        }
    }
}
