import Foundation

/// Where "now" comes from (UTC seconds), injectable so tests can move time (overdue, retention).
public protocol TimeSource: Sendable {
    /// Now, in Unix seconds (UTC).
    func now() -> Int64
}

/// The system clock.
public struct SystemTimeSource: TimeSource {
    /// The system clock.
    public init() {}
    /// Now, in Unix seconds (UTC).
    public func now() -> Int64 { Int64(Date().timeIntervalSince1970) }
}
