/// Errors of the store. Descriptions name what failed, never a stored value.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The database could not be opened or migrated.
    case unavailable(String)
    /// A statement failed (the SQLite result code, no arguments).
    case database(String)
    /// A record that must exist does not.
    case notFound(String)
    /// The operation conflicts with the current state (e.g. an illegal transition).
    case conflict(String)
    /// A cryptographic step inside the transaction failed.
    case sealing(String)
    /// The actor's role may do this kind of thing, but not here (another unit's or district's record).
    case forbidden(String)
    /// The request is malformed (a bad date, an unknown area).
    case invalid(String)

    /// The kind of failure and what failed; never a stored value.
    public var description: String {
        switch self {
        case .unavailable(let what): "store unavailable: \(what)"
        case .database(let what): "database error: \(what)"
        case .notFound(let what): "not found: \(what)"
        case .conflict(let what): "conflict: \(what)"
        case .sealing(let what): "sealing failed: \(what)"
        case .forbidden(let what): "forbidden: \(what)"
        case .invalid(let what): "invalid: \(what)"
        }
    }
}

extension StoreError {
    /// What `insert` reports when a new receipt's locator is already another tip's: issue a new receipt.
    public static let receiptLocatorInUse = StoreError.conflict("receipt locator in use")
}
