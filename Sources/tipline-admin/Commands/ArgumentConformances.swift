public import ArgumentParser
public import Sealing
public import TiplineCore

// Domain values typed on the command line: wire names or their Chinese labels, references as people type them.
extension TipStatus: ExpressibleByArgument {
    public init?(argument: String) { self.init(typed: argument) }
}
extension Urgency: ExpressibleByArgument {
    public init?(argument: String) { self.init(typed: argument) }
}
extension TipReference: ExpressibleByArgument {
    public init?(argument: String) { self.init(typed: argument) }
}
extension StaffRole: ExpressibleByArgument {}
extension KeyClass: ExpressibleByArgument {}
extension TiplineCore.VerifiedOutcome.Kind: ExpressibleByArgument {}
extension InformantStatus: ExpressibleByArgument {}
extension Timeliness: ExpressibleByArgument {}
