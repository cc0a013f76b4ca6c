/// Counts what one verification check examined and keeps its first failure: the one verifier
/// tally of the audit chain (`tipline-audit verify`) and the ledger (`Ledger.verify`).
///
/// When failures can arrive out of order (signatures checked in parallel batches), `earlier`
/// decides which one is first, so the report names the earliest whichever batch finished first.
public struct CheckTally<Name: Sendable, Failure: Sendable>: Sendable {
    /// The check.
    public let name: Name
    /// How many items it examined.
    public var checked = 0
    /// How many failed.
    public private(set) var failures = 0
    /// The first failure (the earliest, by `earlier`).
    public private(set) var first: Failure?
    private let earlier: @Sendable (Failure, Failure) -> Bool

    /// A tally for `name`; `earlier(a, b)` says whether failure `a` comes before `b` (default: in arrival order).
    public init(_ name: Name, earlier: @escaping @Sendable (Failure, Failure) -> Bool = { _, _ in false }) {
        self.name = name
        self.earlier = earlier
    }

    /// Counts `count` more examined items.
    public mutating func examine(_ count: Int = 1) { checked += count }

    /// Records a failure.
    public mutating func fail(_ failure: Failure) {
        failures += 1
        guard let current = first else { first = failure; return }
        if earlier(failure, current) { first = failure }
    }

    /// Records `failure` unless `condition` holds.
    public mutating func require(_ condition: Bool, _ failure: @autoclosure () -> Failure) {
        if !condition { fail(failure()) }
    }

    /// Whether nothing failed.
    public var passed: Bool { failures == 0 }
}
