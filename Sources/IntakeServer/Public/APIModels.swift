import Foundation
import TiplineCore
import Accounting
import LedgerModel
import TiplineStore

/// `201` body of `POST /api/v1/tips`.
struct TipCreatedResponse: Encodable {
    let reference: String
    let receipt: String
    let receivedAt: String
    /// Base64 Ed25519 signature over `tipline:v1:proof:<reference>:<received_at>:<submission_hash>`.
    let proof: String
    let submissionHash: String
    let serverKeyID: String
    /// The exact text `proof` signs (issue 13 item 12), so a client can check it against `/server-key.pem`.
    let proofStatement: String
    /// `received_at` in China time with its offset, for people.
    let receivedAtChina: String

    enum CodingKeys: String, CodingKey {
        case reference, receipt, proof
        case receivedAt = "received_at"
        case submissionHash = "submission_hash"
        case serverKeyID = "server_key_id"
        case proofStatement = "proof_statement"
        case receivedAtChina = "received_at_china"
    }
}

/// `POST /api/v1/followup` request.
struct FollowupRequest: StrictBody {
    let receipt: String
    enum CodingKeys: String, CodingKey, CaseIterable { case receipt }
}

/// `POST /api/v1/followup/messages` request.
struct MessageRequest: StrictBody {
    let receipt: String
    let text: String
    enum CodingKeys: String, CodingKey, CaseIterable { case receipt, text }
}

/// Follow-up body: the same shape for a hit and a miss (a miss has null values).
struct FollowupResponse: Encodable {
    struct Message: Encodable {
        let author: String
        let at: String
        let text: String
    }
    /// The centre handling the tip, with its public address (centres.yaml).
    struct CentreInfo: Encodable {
        let id: String
        let name: String
        let nameEn: String
        let address: String?
        let addressEn: String?

        enum CodingKeys: String, CodingKey {
            case id, name, address
            case nameEn = "name_en"
            case addressEn = "address_en"
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(name, forKey: .name)
            try c.encode(nameEn, forKey: .nameEn)
            try c.encode(address, forKey: .address)
            try c.encode(addressEn, forKey: .addressEn)
        }
    }
    let found: Bool
    let reference: String?
    let receivedAt: String?
    let status: String?
    let statusLabel: String?
    let messages: [Message]
    let reward: Reward?
    /// Messages that could not be opened and were left out (0 on a miss, as on most hits).
    var unreadableMessages = 0
    /// One sentence on what the status means (zh-CN), issue 13 item 10.
    var statusExplanation: String?
    /// A closed tip's outcome before it was closed (`verified`, `unfounded`, `rejected`) and its label.
    var outcome: String?
    var outcomeLabel: String?
    var centre: CentreInfo?
    /// Evidence files the tip holds (sent with it and added since) and how many more may be added.
    var files: Int?
    var filesAllowed: Int?

    /// The reward as the reporter sees it; the voucher code appears only once approved.
    struct Reward: Encodable {
        let state: String
        let amountFen: Int64?
        let amount: String?
        let voucherCode: String?
        let expiresAt: String?
        /// Why there is no reward, when there is none (zh-CN): a declined proposal or an outcome that earns none.
        var note: String?

        enum CodingKeys: String, CodingKey {
            case state, amount, note
            case amountFen = "amount_fen"
            case voucherCode = "voucher_code"
            case expiresAt = "expires_at"
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(state, forKey: .state)
            try c.encode(amountFen, forKey: .amountFen)
            try c.encode(amount, forKey: .amount)
            try c.encode(voucherCode, forKey: .voucherCode)
            try c.encode(expiresAt, forKey: .expiresAt)
            try c.encode(note, forKey: .note)
        }
    }

    enum CodingKeys: String, CodingKey {
        case found, reference, status, messages, reward, outcome, centre, files
        case receivedAt = "received_at"
        case statusLabel = "status_label"
        case unreadableMessages = "unreadable_messages"
        case statusExplanation = "status_explanation"
        case outcomeLabel = "outcome_label"
        case filesAllowed = "files_allowed"
    }

    /// Absent values are written as `null` so a miss has exactly the shape of a hit.
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(found, forKey: .found)
        try c.encode(reference, forKey: .reference)
        try c.encode(receivedAt, forKey: .receivedAt)
        try c.encode(status, forKey: .status)
        try c.encode(statusLabel, forKey: .statusLabel)
        try c.encode(statusExplanation, forKey: .statusExplanation)
        try c.encode(outcome, forKey: .outcome)
        try c.encode(outcomeLabel, forKey: .outcomeLabel)
        try c.encode(centre, forKey: .centre)
        try c.encode(files, forKey: .files)
        try c.encode(filesAllowed, forKey: .filesAllowed)
        try c.encode(unreadableMessages, forKey: .unreadableMessages)
        try c.encode(messages, forKey: .messages)
        try c.encode(reward, forKey: .reward)
    }
}

/// `201` body of `POST /api/v1/followup/evidence`.
struct AddedEvidenceResponse: Encodable {
    let reference: String
    /// Files added by this request.
    let added: Int
    /// The tip's evidence files now (sent with it and added since).
    let files: Int
}

/// Every error body: `{"error": {"code", "message", "fields"}}`.
struct ErrorBody: Encodable {
    struct Detail: Encodable {
        let code: String
        let message: String
        let fields: [FieldError]
    }
    let error: Detail
}

extension FollowupResponse.Reward {
    init(_ state: RewardState) {
        self.init(state: state.state, amountFen: state.amountFen, amount: state.amountFen.map { Fen($0).description },
                  voucherCode: state.voucherCode, expiresAt: state.expiresAt.map { ISO8601.string(fromSeconds: $0) })
    }
}
