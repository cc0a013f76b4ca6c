import Foundation

/// A tip as submitted through the JSON API or the web form, before validation.
///
/// Decoding refuses unknown keys. Values are checked by `validate(policies:)`, which returns
/// every problem at once so the form can show them beside their fields.
public struct TipSubmission: Sendable, Decodable, Equatable {
    /// The category id as sent.
    public var category: String?
    /// The district's centre id, or `unknown`.
    public var district: String?
    /// Where it happens, as the reporter wrote it.
    public var location: String?
    /// When it happened, as the reporter wrote it (`occurred_at`).
    public var occurredAt: String?
    /// What the reporter saw (required).
    public var description: String?
    /// The reporter's optional identity.
    public var reporter: ReporterSubmission?
    /// Whether the reporter asks to be considered for a reward (`wants_reward`).
    public var wantsReward: Bool?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case category, district, location, description, reporter
        case occurredAt = "occurred_at"
        case wantsReward = "wants_reward"
    }

    /// A submission from its fields, all optional.
    public init(category: String? = nil, district: String? = nil, location: String? = nil, occurredAt: String? = nil,
                description: String? = nil, reporter: ReporterSubmission? = nil, wantsReward: Bool? = nil) {
        self.category = category
        self.district = district
        self.location = location
        self.occurredAt = occurredAt
        self.description = description
        self.reporter = reporter
        self.wantsReward = wantsReward
    }

    /// Decodes the JSON API body; unknown keys are refused.
    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(allowed: Set(CodingKeys.allCases.map(\.rawValue)))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        category = try c.decodeIfPresent(String.self, forKey: .category)
        district = try c.decodeIfPresent(String.self, forKey: .district)
        location = try c.decodeIfPresent(String.self, forKey: .location)
        occurredAt = try c.decodeIfPresent(String.self, forKey: .occurredAt)
        description = try c.decodeIfPresent(String.self, forKey: .description)
        reporter = try c.decodeIfPresent(ReporterSubmission.self, forKey: .reporter)
        wantsReward = try c.decodeIfPresent(Bool.self, forKey: .wantsReward)
    }

    /// Checks every field against the policies; on success the tip is ready to seal. `now` (UTC
    /// seconds; the system clock when nil) completes a date written without a year (`11月28日`).
    public func validate(policies: PolicySet, now: Int64? = nil) throws(ValidationFailure) -> ValidatedTip {
        let limits = policies.security.limits
        var errors: [FieldError] = []

        var categoryID: CategoryID?
        if let category, !category.isEmpty {
            if policies.categories.category(CategoryID(category)) != nil {
                categoryID = CategoryID(category)
            } else {
                errors.append(FieldError(field: "category", code: "invalid", message: "not one of the listed categories"))
            }
        } else {
            errors.append(FieldError(field: "category", code: "required", message: "choose a category"))
        }

        var tipDistrict: TipDistrict?
        switch district {
        case nil, "":
            errors.append(FieldError(field: "district", code: "required", message: "choose a district, or 'unknown'"))
        case TipDistrict.unknownToken:
            tipDistrict = .unknown
        case let id?:
            if policies.centres.districts.contains(where: { $0.id.rawValue == id }) {
                tipDistrict = .known(CentreID(id))
            } else {
                errors.append(FieldError(field: "district", code: "invalid", message: "not one of the listed districts"))
            }
        }

        let cleanDescription = TextField.clean(description, field: "description", required: true,
                                               maxScalars: limits.maxDescriptionChars, multiline: true, errors: &errors)
        let cleanLocation = TextField.clean(location, field: "location", required: false,
                                            maxScalars: limits.maxLocationChars, multiline: false, errors: &errors)
        var cleanOccurred: String?
        if let occurredAt, !occurredAt.isEmpty {
            if let normalised = OccurrenceTime.normalise(occurredAt, now: now ?? Int64(Date().timeIntervalSince1970)) {
                cleanOccurred = normalised
            } else {
                errors.append(FieldError(field: "occurred_at", code: "invalid",
                                         message: "expected a date (2026-11-28, 2026/11/28, 2026年11月28日) or a date and time "
                                            + "(2026-11-28 14:00, China time UTC+8, or 2026-11-28T14:00:00+08:00)"))
            }
        }

        let identity = reporter?.validate(maxScalars: limits.maxIdentityFieldChars, errors: &errors)

        guard errors.isEmpty, let categoryID, let tipDistrict, let cleanDescription else {
            throw ValidationFailure(errors)
        }
        return ValidatedTip(category: categoryID, district: tipDistrict, location: cleanLocation,
                            occurredAt: cleanOccurred, description: cleanDescription,
                            identity: identity ?? [], wantsReward: wantsReward ?? false)
    }
}

extension TipSubmission: Encodable {
    /// The public API's JSON form (absent fields left out): what `tipline-admin tips record` sends.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(category, forKey: .category)
        try c.encodeIfPresent(district, forKey: .district)
        try c.encodeIfPresent(location, forKey: .location)
        try c.encodeIfPresent(occurredAt, forKey: .occurredAt)
        try c.encodeIfPresent(description, forKey: .description)
        try c.encodeIfPresent(reporter, forKey: .reporter)
        try c.encodeIfPresent(wantsReward, forKey: .wantsReward)
    }
}

extension ReporterSubmission: Encodable {
    /// The API's JSON form: only the known fields present.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        for name in Self.fieldNames {
            if let value = values[name] { try c.encode(value, forKey: AnyCodingKey(stringValue: name)) }
        }
    }
}

/// The optional identity of the reporter. Every field is sealed under the identity key.
public struct ReporterSubmission: Sendable, Decodable, Equatable {
    /// Field names in the API and in the envelope.
    public static let fieldNames = ["name", "phone", "email", "id_number", "address", "contact"]

    /// The identity values by field name (`fieldNames`), as sent.
    public var values: [String: String]

    /// An identity from its values.
    public init(values: [String: String]) { self.values = values }

    /// Decodes `reporter`; keys other than `fieldNames` are refused.
    public init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(allowed: Set(Self.fieldNames), prefix: "reporter.")
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        var values: [String: String] = [:]
        for name in Self.fieldNames {
            if let value = try c.decodeIfPresent(String.self, forKey: AnyCodingKey(stringValue: name)) {
                values[name] = value
            }
        }
        self.values = values
    }

    func validate(maxScalars: Int, errors: inout [FieldError]) -> [IdentityField] {
        var result: [IdentityField] = []
        for name in Self.fieldNames {
            if let clean = TextField.clean(values[name], field: "reporter.\(name)", required: false,
                                           maxScalars: maxScalars, multiline: name == "address", errors: &errors) {
                result.append(IdentityField(name: name, value: clean))
            }
        }
        return result
    }
}

/// One identity value, named as in the envelope.
public struct IdentityField: Sendable, Equatable {
    /// The field name without the `reporter.` prefix (`name`, `phone`, …).
    public let name: String
    /// The cleaned value.
    public let value: String
}

/// A tip that passed validation: safe to route and seal.
public struct ValidatedTip: Sendable, Equatable {
    /// A category the policy lists.
    public let category: CategoryID
    /// A listed district, or unknown.
    public let district: TipDistrict
    /// The cleaned location, if given.
    public let location: String?
    /// The occurrence time normalised by `CivilTime.parseOccurrence`, if given.
    public let occurredAt: String?
    /// The cleaned description.
    public let description: String
    /// Empty when the reporter stays anonymous.
    public let identity: [IdentityField]
    /// Whether the reporter asks to be considered for a reward.
    public let wantsReward: Bool

    /// Whether the reporter gave no identity field.
    public var isAnonymous: Bool { identity.isEmpty }

    /// Content fields for the envelope (name, UTF-8 bytes).
    public var contentFields: [(name: String, value: [UInt8])] {
        var fields: [(name: String, value: [UInt8])] = [("description", Array(description.utf8))]
        if let location { fields.append(("location", Array(location.utf8))) }
        if let occurredAt { fields.append(("occurred_at", Array(occurredAt.utf8))) }
        return fields
    }

    /// Identity fields for the envelope, `reporter.<name>`.
    public var identityFields: [(name: String, value: [UInt8])] {
        identity.map { ("reporter.\($0.name)", Array($0.value.utf8)) }
    }
}
