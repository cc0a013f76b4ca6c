public import Foundation
public import TiplineCore

/// Something to record in the audit chain (before it has a sequence number and hash).
public struct AuditEvent: Sendable, Equatable {
    /// `server` for intake events, else the staff key id of the person acting.
    public var actor: String
    /// A dotted action name, e.g. `tip.received`, `tip.status`, `tip.unseal`.
    public var action: String
    /// What the action is about: a tip reference, a staff key id, `policies`, …
    public var subject: String
    /// Ids, codes, hashes and reasons. Never identity, tip content, addresses or receipts.
    public var details: [String: String]
    /// The staff member's original signed request and its signature, if any.
    public var request: Data?
    /// The Ed25519 signature over the request's message, if any.
    public var requestSignature: Data?

    /// An event; server events carry no request.
    public init(actor: String, action: String, subject: String, details: [String: String] = [:],
                request: Data? = nil, requestSignature: Data? = nil) {
        self.actor = actor
        self.action = action
        self.subject = subject
        self.details = details
        self.request = request
        self.requestSignature = requestSignature
    }

    /// An entry the server records on its own (actor `server`).
    public init(server action: ServerAction, subject: String, details: [String: String] = [:]) {
        self.init(actor: "server", action: action.rawValue, subject: subject, details: details)
    }

    /// `details` as canonical JSON: sorted keys, no insignificant whitespace.
    public var canonicalDetails: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(details), let text = String(data: data, encoding: .utf8) else { return "{}" }
        return text
    }
}
