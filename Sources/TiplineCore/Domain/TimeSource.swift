import Foundation

/// Where "now" comes from (UTC seconds), injectable so tests can move time (overdue, retention).
public protocol TimeSource: Sendable {
    func now() -> Int64
}

/// The system clock.
public struct SystemTimeSource: TimeSource {
    public init() {}
    public func now() -> Int64 { Int64(Date().timeIntervalSince1970) }
}

/// The year of `seconds` in China Standard Time (UTC+8, no daylight saving): the year of a reference.
public func chinaYear(ofSeconds seconds: Int64) -> Int {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(secondsFromGMT: 8 * 3600)!
    return calendar.component(.year, from: Date(timeIntervalSince1970: TimeInterval(seconds)))
}
