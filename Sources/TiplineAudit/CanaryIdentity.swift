import Sealing
import TiplineCore

/// Fresh, unique identity values for `audit canary`: submitted as a real tip through the public API,
/// then searched for in the data. Each value carries a random token, so a hit can only be this tip.
/// The phone and ID number are well-formed (so the pattern scan would also see them in clear).
public struct CanaryIdentity: Sendable, Equatable {
    /// `reporter` fields of the API (`name`, `phone`, `email`, `id_number`, `address`, `contact`).
    public let reporter: [String: String]
    /// The tip's description (content is sealed too; finding it in clear is as bad).
    public let description: String
    /// The random token in every value.
    public let token: String

    /// Generates a new set of values.
    public static func generate() -> CanaryIdentity {
        let token = Hex.encode(SecureRandom.bytes(6))
        func digits(_ count: Int) -> String {
            String(SecureRandom.bytes(count).map { Character(Unicode.Scalar(0x30 + $0 % 10)) })
        }
        let second = Character(Unicode.Scalar(0x33 + SecureRandom.bytes(1)[0] % 7))
        let phone = "1\(second)" + digits(9)
        let year = 1960 + Int(SecureRandom.bytes(1)[0] % 40)
        let month = 1 + Int(SecureRandom.bytes(1)[0] % 12)
        let day = 1 + Int(SecureRandom.bytes(1)[0] % 28)
        let body = "520102" + String(year) + String(format2: month) + String(format2: day) + digits(3)
        let check = ResidentIDNumber.checkCharacter(Array(body.utf8)).map { String(UnicodeScalar($0)) } ?? "0"
        let reporter = [
            "name": "审计\(CanaryMarker.zh)\(token)",
            "phone": phone,
            "email": "\(CanaryMarker.en).\(token)@example.org",
            "id_number": body + check,
            "address": "贵阳市南明区\(CanaryMarker.zh)路\(token)号",
            "contact": "\(CanaryMarker.en)-contact-\(token)",
        ]
        return CanaryIdentity(reporter: reporter, description: "审计\(CanaryMarker.zh)内容 \(CanaryMarker.en)-content-\(token)", token: token)
    }

    /// Every value to search for.
    public var canaries: [String] { reporter.keys.sorted().compactMap { reporter[$0] } + [description] }
}

extension String {
    /// Two decimal digits.
    init(format2 value: Int) { self = value < 10 ? "0\(value)" : "\(value)" }
}
