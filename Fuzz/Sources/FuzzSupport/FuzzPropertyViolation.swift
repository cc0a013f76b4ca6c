/// A harness's property did not hold for an input (a bug even though nothing crashed).
public struct FuzzPropertyViolation: Error, CustomStringConvertible {
    /// What went wrong; never quotes the input (inputs may be large or binary).
    public let description: String

    /// A violation described by `description`.
    public init(_ description: String) { self.description = description }
}
