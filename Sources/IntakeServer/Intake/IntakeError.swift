public import TiplineCore

/// Why a submission or follow-up was not accepted; each maps to one documented HTTP status.
public enum IntakeError: Error, Sendable {
    /// 400 with the field problems.
    case invalid([FieldError])
    /// 413: the body, a file or the file count is over its bound.
    case tooLarge(String)
    /// 415: a media type we do not accept.
    case unsupportedMediaType(String)
    /// 503: the KDF gate or the body budget is full.
    case busy(retryAfterSeconds: Int)
    /// 408: the body did not arrive within the read timeout.
    case timeout
    /// 429: this client is over its rate limit.
    case rateLimited(retryAfterSeconds: Int)
    /// 404: no tip for that receipt.
    case unknownReceipt
    /// 409: e.g. the thread is full.
    case conflict(String)
    /// 500: a fault on our side (the message is generic; details go to a safe log line).
    case internalFailure(String)
}
