public import ArgumentParser
public import TiplineCore

// Domain enums typed on the command line.
extension Language: ExpressibleByArgument {}
extension TipStatus: ExpressibleByArgument {}
extension Urgency: ExpressibleByArgument {}
extension StaffRole: ExpressibleByArgument {}
extension TiplineCore.VerifiedOutcome.Kind: ExpressibleByArgument {}
