import Hummingbird
import TiplineCore

/// The body that adds files to a tip after submitting (issue 13, item 10), read alike by the form
/// (`POST /followup/evidence`) and the API (`POST /api/v1/followup/evidence`): multipart with one
/// `receipt` text part and `evidence` file parts, within the intake's bounds. An empty file part (what
/// a browser sends when no file is chosen) is skipped.
struct AddedFilesForm {
    /// The receipt as sent (nil when there was no receipt part).
    let receiptText: String?
    let files: [[UInt8]]

    static func read(_ request: Request, limits: SecurityPolicy.Limits, bodies: BodyLimits, lease: BodyLease) async throws(IntakeError) -> AddedFilesForm {
        guard BodyReader.mediaType(request) == "multipart/form-data" else { throw .unsupportedMediaType("send multipart/form-data") }
        guard let boundary = BodyReader.boundary(request) else {
            throw .invalid([FieldError(field: "body", code: "invalid", message: "multipart body without a boundary")])
        }
        let parts = try await BodyReader.streamParts(request, boundary: boundary, limit: limits.maxBodyBytes,
                                                     maxParts: limits.maxEvidenceFiles + 2, maxPartBytes: limits.maxEvidenceBytes,
                                                     lease: lease, limits: bodies)
        var receiptText: String?
        var files: [[UInt8]] = []
        for part in parts {
            switch part.name {
            case "receipt":
                guard receiptText == nil else {
                    throw .invalid([FieldError(field: "receipt", code: "duplicate_field", message: "only one receipt part")])
                }
                guard part.body.count <= 64 else { throw .unknownReceipt }
                receiptText = String(decoding: part.body, as: UTF8.self)
            case "evidence":
                if part.body.isEmpty && (part.filename ?? "").isEmpty { continue }
                files.append(part.body)
            default:
                throw .invalid([FieldError(field: String(part.name.prefix(64)), code: "unknown_field", message: "unknown part")])
            }
        }
        return AddedFilesForm(receiptText: receiptText, files: files)
    }
}
