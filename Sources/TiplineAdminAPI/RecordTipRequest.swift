public import Foundation
public import Sealing
public import TiplineCore

/// `POST tips/record` (`tipline-admin tips record`, issue 15): a tip taken by phone, letter, visit or
/// e-mail, recorded by a triage officer.
///
/// - `tip.form` is the public form's own JSON (`TipSubmission`, without `reporter`): the server
///   validates it exactly as the web intake does and seals it with the centres' public keys.
/// - `identity` is the reporter's identity, sealed on the officer's machine (the server never sees it
///   in clear): an envelope bound to the new tip's record id, holding only identity-class fields named
///   `reporter.<name>` (none for an anonymous reporter), a key commitment, and exactly one identity
///   wrap for each identity key the routing chooses (routed centre, copies, city), as the web intake
///   would wrap it. The server routes the tip itself and refuses wraps for any other set of keys (409).
///
/// Stored with the audit entry (`RedactedRequestBody`): `channel` in clear; `tip` and `identity` only
/// as hashes. `tip` carries a fresh 128-bit `salt` beside the form so that its hash cannot be
/// reversed by guessing a short description or place.
public struct RecordTipBody: StrictBody, Sendable {
    /// `phone`, `letter`, `visit` or `email` (`TipChannel`; `web` is refused).
    public let channel: String
    public let tip: SaltedForm
    public let identity: Envelope
    public enum CodingKeys: String, CodingKey, CaseIterable { case channel, tip, identity }

    public init(channel: TipChannel, tip: SaltedForm, identity: Envelope) {
        self.channel = channel.rawValue
        self.tip = tip
        self.identity = identity
    }

    /// The channel, when it is one a triage officer records.
    public var recordedChannel: TipChannel? {
        TipChannel(rawValue: channel).flatMap { TipChannel.recorded.contains($0) ? $0 : nil }
    }

    /// The form's fields with a random salt (hex of 16 random bytes), hashed together when the request is stored.
    public struct SaltedForm: Codable, Sendable {
        public let salt: String
        public let form: TipSubmission
        public enum CodingKeys: String, CodingKey, CaseIterable { case salt, form }

        /// `form` with a fresh random salt.
        public init(form: TipSubmission) {
            self.salt = Hex.encode(SecureRandom.bytes(16))
            self.form = form
        }

        /// Refuses any key but `salt` and `form` (`form` refuses unknown keys itself).
        public init(from decoder: any Decoder) throws {
            let any = try decoder.container(keyedBy: AnyKey.self)
            if let unknown = any.allKeys.first(where: { CodingKeys(rawValue: $0.stringValue) == nil }) {
                throw UnknownFieldError(field: "tip." + String(unknown.stringValue.prefix(64)))
            }
            let container = try decoder.container(keyedBy: CodingKeys.self)
            salt = try container.decode(String.self, forKey: .salt)
            form = try container.decode(TipSubmission.self, forKey: .form)
        }

        /// Whether the salt is 32 lowercase hex characters.
        public var hasValidSalt: Bool {
            salt.utf8.count == 32 && salt.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
        }

        private struct AnyKey: CodingKey {
            let stringValue: String
            var intValue: Int? { nil }
            init?(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
    }

    /// Well-formed record ids of a recorded tip: 32 lowercase hex digits (as intake's).
    public static func isValidUID(_ uid: String) -> Bool {
        uid.utf8.count == 32 && uid.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}

/// The answer of `POST tips/record`: the new tip and its receipt, which the officer reads back to the
/// reporter. The receipt is in this answer only: never stored, logged or shown again.
public struct RecordTipReply: Codable, Sendable {
    public let reference: String
    /// The receipt's digits, grouped as the web intake shows them.
    public let receipt: String
    public let channel: TipChannel
    /// UTC seconds.
    public let receivedAt: Int64
    public let dueAt: Int64
    public let centre: String
    public let copies: [String]
    public let urgency: Urgency
    public enum CodingKeys: String, CodingKey {
        case reference, receipt, channel, centre, copies, urgency
        case receivedAt = "received_at", dueAt = "due_at"
    }
    public init(reference: String, receipt: String, channel: TipChannel, receivedAt: Int64, dueAt: Int64, centre: String,
                copies: [String], urgency: Urgency) {
        self.reference = reference
        self.receipt = receipt
        self.channel = channel
        self.receivedAt = receivedAt
        self.dueAt = dueAt
        self.centre = centre
        self.copies = copies
        self.urgency = urgency
    }
}
