import Foundation
import Sealing

/// A reward voucher code: 20 characters of Crockford base32 (100 random bits).
///
/// The ledger stores only `hash`. The code itself is a bearer secret, so `description` is
/// redacted: print `text` or `grouped` only where the code is meant to go (sealed to the
/// reporter's key).
public struct VoucherCode: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// Crockford's base32 alphabet: digits and letters without I, L, O, U.
    public static let alphabet: [Character] = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    /// The number of characters in a code.
    public static let length = 20

    /// The 20 canonical characters, upper case, no separators.
    public let text: String

    /// A fresh code from `SecureRandom` (20 × 5 bits; each byte's low 5 bits, so no modulo bias).
    public static func generate() -> VoucherCode {
        let bytes = SecureRandom.bytes(length)
        return VoucherCode(uncheckedText: String(bytes.map { alphabet[Int($0 & 0x1F)] }))
    }

    private init(uncheckedText: String) { text = uncheckedText }

    /// Parses what a person typed, as receipts are: full-width characters folded (NFKC),
    /// case-insensitive, spaces, tabs and any dash ignored, and the look-alikes O→0, I/L→1 accepted.
    /// Nil unless exactly 20 alphabet characters remain.
    public init?(parsing input: String) {
        guard input.utf8.count <= 256 else { return nil }
        var out = ""
        for character in input.precomposedStringWithCompatibilityMapping.uppercased() {
            switch character {
            case "-", " ", "\t", "\u{2010}", "\u{2011}", "\u{2012}", "\u{2013}", "\u{2014}", "\u{2015}", "\u{2212}", "\u{30FC}": continue
            case "O": out.append("0")
            case "I", "L": out.append("1")
            default:
                guard Self.alphabet.contains(character) else { return nil }
                out.append(character)
            }
            if out.count > Self.length { return nil }
        }
        guard out.count == Self.length else { return nil }
        text = out
    }

    /// `XXXXX-XXXXX-XXXXX-XXXXX`, easier to read out and type.
    public var grouped: String {
        let characters = Array(text)
        return stride(from: 0, to: characters.count, by: 5)
            .map { String(characters[$0..<min($0 + 5, characters.count)]) }
            .joined(separator: "-")
    }

    /// SHA-256 over `tipline-voucher-v1:` and the canonical text: what the ledger stores.
    public var hash: [UInt8] { Hashing.sha256(Array("tipline-voucher-v1:\(text)".utf8)) }

    /// Redacted, so a code never reaches a log by accident.
    public var description: String { "VoucherCode(redacted)" }
}
