public import Sealing

/// The 16-digit code an informant is given once, in person, at registration (issue 14): like a
/// reporter's receipt, it is never stored, logged or sent to the server. The first 6 digits are a
/// locator (finding the one informant record it may belong to, stored only as a hash); the whole
/// code goes through scrypt with the informant's own salt: the first 32 bytes are the verifier, the
/// last 32 seal the informant's own X25519 private key, so replies and vouchers sealed to the
/// informant open only with the code.
public struct InformantCode: Sendable, Equatable, CustomStringConvertible {
    /// Digits in a code.
    public static let digitCount = 16
    /// Digits of the code's locator prefix.
    public static let locatorDigitCount = 6
    /// The code's 16 ASCII digits.
    public let digits: String

    /// A fresh code from the CSPRNG (uniform digits).
    public static func generate() -> InformantCode {
        var result = ""
        while result.count < digitCount {
            for byte in SecureRandom.bytes(24) where byte < 250 && result.count < digitCount {
                result.append(Character(Unicode.Scalar(UInt8(ascii: "0") + byte % 10)))
            }
        }
        return InformantCode(uncheckedDigits: result)
    }

    private init(uncheckedDigits: String) { digits = uncheckedDigits }

    /// A code as typed: spaces and dashes ignored, full-width digits accepted; 16 digits exactly.
    public init?(normalizing input: String) {
        guard let receiptLike = Self.digitsOnly(input), receiptLike.utf8.count == Self.digitCount else { return nil }
        digits = receiptLike
    }

    private static func digitsOnly(_ input: String) -> String? {
        var result = ""
        for scalar in input.unicodeScalars {
            switch scalar.value {
            case 0x30...0x39: result.unicodeScalars.append(scalar)
            case 0xFF10...0xFF19: result.unicodeScalars.append(Unicode.Scalar(scalar.value - 0xFF10 + 0x30)!)
            case 0x20, 0x2D, 0x3000, 0xFF0D, 0x2010...0x2015, 0x09: continue
            default: return nil
            }
            if result.utf8.count > digitCount { return nil }
        }
        return result
    }

    /// Groups of four digits, for showing once.
    public var grouped: String {
        let chars = Array(digits)
        return stride(from: 0, to: chars.count, by: 4).map { String(chars[$0..<$0 + 4]) }.joined(separator: " ")
    }

    /// Redacted: the digits never reach a log or an error message.
    public var description: String { "InformantCode(redacted)" }

    /// SHA-256 of `tipline:v1:informant-locator:<6 digits>`: what the record is found by.
    public var locatorHash: [UInt8] {
        Hashing.sha256(Array(("tipline:v1:informant-locator:" + digits.prefix(Self.locatorDigitCount)).utf8))
    }

    /// The KDF's input (the caller wipes it).
    public var kdfInput: [UInt8] { Array(("tipline:v1:informant-code:" + digits).utf8) }

    /// The AAD binding a sealed informant key to its record.
    public static func sealedKeyAAD(uid: String) -> [UInt8] { Array("tipline:v1:\(uid):informant-key".utf8) }
}

/// What the code unlocks: verifier ‖ sealing key, as `CredentialKDF` derives them.
public struct InformantCodeKeys: Sendable {
    /// The first 32 bytes of the scrypt output, compared with the stored verifier.
    public let verifier: [UInt8]
    /// The last 32 bytes of the scrypt output, which seal the informant's X25519 private key.
    public let sealingKey: SecretKey

    /// scrypt(`code.kdfInput`, `salt`, `parameters`).
    public static func derive(_ code: InformantCode, salt: [UInt8], parameters: Scrypt.Parameters) throws(SealingError) -> InformantCodeKeys {
        var input = code.kdfInput
        defer { SecureWipe.wipe(&input) }
        let (verifier, key) = try CredentialKDF.derive(input: input, salt: salt, parameters: parameters)
        return InformantCodeKeys(verifier: verifier, sealingKey: key)
    }

    /// Constant-time comparison with a stored verifier.
    public func matches(_ stored: [UInt8]) -> Bool { ConstantTime.equals(verifier, stored) }
}
