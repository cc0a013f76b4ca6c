/// One problem with one submitted field. Messages never quote the submitted value.
public struct FieldError: Sendable, Equatable, Codable {
    /// The field's name in the API (`description`, `reporter.phone`, …).
    public let field: String
    /// A stable machine code: `required`, `too_long`, `unknown_field`, `duplicate_field`, `invalid`, `control_characters`.
    public let code: String
    /// What is wrong, in English.
    public let message: String
    /// The bound that was exceeded, for `too_long` (so a UI can say it in its own language).
    public let limit: Int?

    /// A problem with `field`.
    public init(field: String, code: String, message: String, limit: Int? = nil) {
        self.field = field
        self.code = code
        self.message = message
        self.limit = limit
    }
}

/// A submission that failed validation, with every field problem found.
public struct ValidationFailure: Error, Sendable, Equatable {
    /// Every problem found, in field order.
    public let errors: [FieldError]
    /// A failure with `errors`.
    public init(_ errors: [FieldError]) { self.errors = errors }
}
