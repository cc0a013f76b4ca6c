/// Why an audit command could not run at all (as opposed to a check that failed, which is a
/// finding in the report). Descriptions name files and causes, never personal data.
public enum AuditError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The command was given something it cannot use (a missing file, a malformed key manifest).
    case input(String)
    /// The database could not be opened or read.
    case database(String)
    /// A file could not be read or written.
    case io(String)

    public var description: String {
        switch self {
        case .input(let what): what
        case .database(let what): "database: \(what)"
        case .io(let what): what
        }
    }
}
