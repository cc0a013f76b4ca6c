public import TiplineCore
/// A requested move of a tip's verification status, with the data each move requires (S-5.1).
public struct StatusChange: Sendable, Codable, Equatable, StrictBody {

    public var to: TipStatus
    /// Required for `rejected` and `unfounded`.
    public var reason: String?
    /// Required for `verifying`: the enforcement unit doing the verification.
    public var enforcementUnit: String?
    /// Required for `verified`.
    public var outcome: VerifiedOutcome?

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case to, reason, outcome
        case enforcementUnit = "enforcement_unit"
    }

    public init(to: TipStatus, reason: String? = nil, enforcementUnit: String? = nil, outcome: VerifiedOutcome? = nil) {
        self.to = to
        self.reason = reason
        self.enforcementUnit = enforcementUnit
        self.outcome = outcome
    }

    /// Why a change is refused; the message names the rule, never stored data.
    public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// Checks the move against the state machine and the data it needs.
    public func validate(from current: TipStatus) throws(Refusal) {
        guard current.canMove(to: to) else {
            let allowed = current.successors.map(\.rawValue).sorted().joined(separator: ", ")
            throw Refusal(message: "cannot move from \(current.rawValue) to \(to.rawValue)"
                          + (allowed.isEmpty ? " (no further status)" : "; allowed: \(allowed)"))
        }
        switch to {
        case .rejected, .unfounded:
            guard let reason = ReasonText.clean(reason) else { throw Refusal(message: "a reason is required for \(to.rawValue)") }
            _ = reason
        case .verifying:
            guard ReasonText.clean(enforcementUnit) != nil else {
                throw Refusal(message: "the enforcement unit is required for verifying")
            }
        case .verified:
            guard let outcome else { throw Refusal(message: "the outcome (administrative or criminal, with figures in fen) is required for verified") }
            guard outcome.isPlausible else { throw Refusal(message: "outcome figures must be between 0 and ¥10^12 in fen") }
        case .received, .triaged, .closed:
            break
        }
        if let reason, ReasonText.clean(reason) == nil, !reason.isEmpty {
            throw Refusal(message: "the reason must be 1–1000 characters without control characters")
        }
    }
}
