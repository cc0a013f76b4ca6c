/// A policy file that cannot be used: names the file, the line and the key, never a value.
public struct PolicyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file name, e.g. `centres.yaml`.
    public let file: String
    /// The 1-based line of the offending node, when known.
    public let line: Int?
    /// The key path, e.g. `districts[3].id`; empty for the whole document.
    public let key: String
    /// What is wrong, in plain words.
    public let message: String

    /// An error at `file`, `line` and key path `key`.
    public init(file: String, line: Int?, key: String, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    /// `file:line (key): message`, for the operator.
    public var description: String {
        var where_ = file
        if let line { where_ += ":\(line)" }
        if !key.isEmpty { where_ += " (\(key))" }
        return "\(where_): \(message)"
    }
}
