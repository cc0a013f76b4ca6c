/// The kind of value a ledger field holds (`Policies/ledgers.yaml`, S-5.4).
public enum BookFieldType: String, Sendable, Codable, CaseIterable {
    /// Free text, at most the field's `max_length` characters, one line.
    case text
    /// A whole number within the field's `min`…`max`.
    case integer
    /// A date `YYYY-MM-DD` (China).
    case date
    /// A national statistical area code: 6 digits (county), 9 (township) or 12 (community/village).
    case areaCode = "area-code"
    /// One of the field's `values`.
    case enumeration = "enum"
    /// A number with one of the field's `units` (S-4.2: quantities with units of measure), `1200 册`.
    case quantity
    /// A record of another ledger (`JC-2026-000001`), or a tip (`GY-2026-000123`) where `links` names `tips`.
    case link
}

/// A named value of an enumerated field, or of a ledger.
public struct BookTerm: Sendable, Equatable, Codable {
    /// The value's or ledger's id.
    public let id: String
    /// Its name in Chinese.
    public let nameZh: String
    /// Its name in English.
    public let nameEn: String

    /// A term.
    public init(id: String, nameZh: String, nameEn: String) {
        self.id = id
        self.nameZh = nameZh
        self.nameEn = nameEn
    }

    enum CodingKeys: String, CodingKey {
        case id
        case nameZh = "name_zh", nameEn = "name_en"
    }
}

/// One field of a ledger.
public struct BookField: Sendable, Equatable, Codable {
    /// The field's id: lowercase letters, digits and '_', starting with a letter.
    public let id: String
    /// The field's name in Chinese.
    public let nameZh: String
    /// The field's name in English.
    public let nameEn: String
    /// What kind of value it holds.
    public let type: BookFieldType
    /// Whether every record must give it.
    public let required: Bool
    /// A personal name of an individual operator (NETWORK.md: "personal names of individual operators
    /// are sealed; businesses are not"): kept out of the record's envelope, in a second envelope sealed
    /// to the city's identity key (and a district office's registry key); opening it is audited.
    public let sealed: Bool
    /// Text: the most characters.
    public let maxLength: Int
    /// Integer: the bounds.
    public let min: Int64?
    /// Integer: the largest value allowed; nil for no bound.
    public let max: Int64?
    /// Enum: the values.
    public let values: [BookTerm]
    /// Quantity: the units of measure.
    public let units: [String]
    /// Link: the ledgers (ids) whose records it may name, and `tips`.
    public let links: [String]

    /// A field; optional and unsealed unless told otherwise.
    public init(id: String, nameZh: String, nameEn: String, type: BookFieldType, required: Bool = false, sealed: Bool = false,
                maxLength: Int = BooksPolicy.defaultTextLength, min: Int64? = nil, max: Int64? = nil, values: [BookTerm] = [],
                units: [String] = [], links: [String] = []) {
        self.id = id
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.type = type
        self.required = required
        self.sealed = sealed
        self.maxLength = maxLength
        self.min = min
        self.max = max
        self.values = values
        self.units = units
        self.links = links
    }

    enum CodingKeys: String, CodingKey {
        case id, type, required, sealed, min, max, values, units, links
        case nameZh = "name_zh", nameEn = "name_en", maxLength = "max_length"
    }

    /// The field's name in `language`.
    public func name(_ language: Language) -> String { language == .zh ? nameZh : nameEn }
}

/// One of the seven ledgers (台账, S-5.4).
public struct Book: Sendable, Equatable, Codable {
    /// `venues`, `inspections`, …: the id typed in `books add BOOK`.
    public let id: String
    /// The ledger's name in Chinese.
    public let nameZh: String
    /// The ledger's name in English.
    public let nameEn: String
    /// The capital letters of its record ids (`JC` → `JC-2026-000001`).
    public let prefix: String
    /// Where its records come from: nil for records that clerks write; `tips` for the tip-lead
    /// ledger (举报线索), which is generated from the tip table and never written.
    public let source: String?
    /// The date field that places a record in a period (an inspection by its date); nil for a register
    /// (venues, firms, areas), whose period view is the register as it stood at the period's end.
    public let datedBy: String?
    /// The kinds of unit that keep it (what `books completeness` expects).
    public let keptBy: [UnitKind]
    /// The fields of a written ledger; empty for the generated tip leads.
    public let fields: [BookField]

    /// A ledger.
    public init(id: String, nameZh: String, nameEn: String, prefix: String, source: String? = nil, datedBy: String? = nil,
                keptBy: [UnitKind], fields: [BookField]) {
        self.id = id
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.prefix = prefix
        self.source = source
        self.datedBy = datedBy
        self.keptBy = keptBy
        self.fields = fields
    }

    enum CodingKeys: String, CodingKey {
        case id, prefix, source, fields
        case nameZh = "name_zh", nameEn = "name_en", datedBy = "dated_by", keptBy = "kept_by"
    }

    /// Whether clerks write it (every ledger but the generated tip leads).
    public var isWritable: Bool { source == nil }

    /// The field with id `id`, if the ledger has one.
    public func field(_ id: String) -> BookField? { fields.first { $0.id == id } }

    /// The ledger's name in `language`.
    public func name(_ language: Language) -> String { language == .zh ? nameZh : nameEn }
}

/// `Policies/ledgers.yaml`: the seven ledgers of S-5.4 with their fields.
public struct BooksPolicy: Sendable, Equatable, Codable {
    /// The seven of S-5.4; the file must define each (it may add more).
    public static let requiredIDs = ["venues", "inspections", "logistics", "supervised-cases", "tip-leads", "printing", "vendor-areas"]
    /// The id of the generated tip-lead ledger.
    public static let tipLeads = "tip-leads"
    /// The `source` of a generated ledger.
    public static let tipsSource = "tips"
    /// A text field's length unless the policy says otherwise.
    public static let defaultTextLength = 200
    /// The longest text field a policy may allow.
    public static let maxTextLength = 2000
    /// The most fields a ledger may have.
    public static let maxFields = 40

    /// Every ledger the file defines, in file order.
    public let ledgers: [Book]

    /// A policy of `ledgers`.
    public init(ledgers: [Book]) { self.ledgers = ledgers }

    /// The ledger with id `id`, if defined.
    public func ledger(_ id: String) -> Book? { ledgers.first { $0.id == id } }

    /// The ledger whose records carry `prefix`.
    public func ledger(prefix: String) -> Book? { ledgers.first { $0.prefix == prefix } }

    /// The ledger a record id belongs to (`JC-2026-000001` → inspections), if it is well formed.
    public func ledger(ofRecord record: String) -> Book? {
        BookRecordID(record).flatMap { ledger(prefix: $0.prefix) }
    }

    /// Field ids: lowercase ASCII letters, digits and '_' (at most 40), starting with a letter.
    static func isWellFormedFieldID(_ text: String) -> Bool {
        guard let first = text.utf8.first, (0x61...0x7A).contains(first), text.utf8.count <= 40 else { return false }
        return text.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F }
    }

    static func parse(file: String, text: String) throws(PolicyError) -> BooksPolicy {
        let doc = try PolicyNode.document(file: file, text: text)
        try doc.onlyKeys(["version", "ledgers"])
        var ledgers: [Book] = []
        for node in try doc.array("ledgers") {
            try node.onlyKeys(["id", "name_zh", "name_en", "prefix", "source", "dated_by", "kept_by", "fields"])
            let id = try node.string("id")
            guard UnitsPolicy.isWellFormedID(id) else { throw node.child("id").error("ids are lowercase letters, digits and '-' (at most 40)") }
            guard !ledgers.contains(where: { $0.id == id }) else { throw node.child("id").error("duplicate ledger id") }
            let prefix = try node.string("prefix")
            guard (2...3).contains(prefix.utf8.count), prefix.utf8.allSatisfy({ (0x41...0x5A).contains($0) }) else {
                throw node.child("prefix").error("2 or 3 capital letters (JC for 检查)")
            }
            // GY: tips, XX: information items, YG: calls — a record id must never read as one of them.
            guard !["GY", "XX", "YG"].contains(prefix), !ledgers.contains(where: { $0.prefix == prefix }) else {
                throw node.child("prefix").error("duplicate prefix, or one of GY/XX/YG (tips, items, calls)")
            }
            var keptBy: [UnitKind] = [.districtOffice, .memberUnit, .detachment]
            if node.has("kept_by") {
                keptBy = []
                for kind in try node.array("kept_by") {
                    guard let value = UnitKind(rawValue: try kind.asString()) else {
                        throw kind.error("one of \(UnitKind.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    keptBy.append(value)
                }
            }
            let source = try node.optionalString("source")
            if let source {
                guard source == tipsSource, id == tipLeads else { throw node.child("source").error("only the tip-leads ledger has a source (tips)") }
                guard !node.has("fields"), !node.has("dated_by") else {
                    throw node.error("the tip-leads ledger is generated from the tip table: its columns are fixed, it has no fields or dated_by")
                }
                ledgers.append(Book(id: id, nameZh: try node.string("name_zh"), nameEn: try node.string("name_en"), prefix: prefix,
                                      source: source, keptBy: keptBy, fields: []))
                continue
            }
            guard id != tipLeads else { throw node.child("source").error("the tip-leads ledger is generated: source: tips") }
            var fields: [BookField] = []
            let fieldNodes = try node.array("fields")
            guard (1...maxFields).contains(fieldNodes.count) else { throw node.child("fields").error("1 to \(maxFields) fields") }
            for fieldNode in fieldNodes {
                let field = try parseField(fieldNode)
                guard !fields.contains(where: { $0.id == field.id }) else { throw fieldNode.child("id").error("duplicate field id") }
                fields.append(field)
            }
            let datedBy = try node.optionalString("dated_by")
            if let datedBy {
                guard let field = fields.first(where: { $0.id == datedBy }), field.type == .date, field.required, !field.sealed else {
                    throw node.child("dated_by").error("names a required, unsealed date field of this ledger")
                }
            }
            ledgers.append(Book(id: id, nameZh: try node.string("name_zh"), nameEn: try node.string("name_en"), prefix: prefix,
                                  datedBy: datedBy, keptBy: keptBy, fields: fields))
        }
        for required in requiredIDs where !ledgers.contains(where: { $0.id == required }) {
            throw doc.child("ledgers").error("the ledger \(required) is required (S-5.4: the seven ledgers)")
        }
        // Links name ledgers that exist (checked once all are read).
        for (index, ledger) in ledgers.enumerated() {
            for (fieldIndex, field) in ledger.fields.enumerated() {
                for target in field.links where target != tipsSource {
                    guard let linked = ledgers.first(where: { $0.id == target }), linked.isWritable else {
                        throw PolicyError(file: file, line: nil, key: "ledgers[\(index)].fields[\(fieldIndex)].links",
                                          message: "no writable ledger \(target) (or tips)")
                    }
                }
            }
        }
        return BooksPolicy(ledgers: ledgers)
    }

    private static func parseField(_ node: PolicyNode) throws(PolicyError) -> BookField {
        try node.onlyKeys(["id", "name_zh", "name_en", "type", "required", "sealed", "max_length", "min", "max", "values", "units", "links"])
        let id = try node.string("id")
        guard isWellFormedFieldID(id) else { throw node.child("id").error("field ids are lowercase letters, digits and '_', starting with a letter (at most 40)") }
        guard let type = BookFieldType(rawValue: try node.string("type")) else {
            throw node.child("type").error("one of \(BookFieldType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let required = node.has("required") ? try node.bool("required") : false
        let sealed = node.has("sealed") ? try node.bool("sealed") : false
        if sealed, type != .text { throw node.child("sealed").error("only a text field (a personal name) is sealed") }
        func only(_ key: String, for types: Set<BookFieldType>) throws(PolicyError) {
            if node.has(key), !types.contains(type) { throw node.child(key).error("\(key) belongs to \(types.map(\.rawValue).sorted().joined(separator: "/")) fields") }
        }
        try only("max_length", for: [.text])
        try only("min", for: [.integer])
        try only("max", for: [.integer])
        try only("values", for: [.enumeration])
        try only("units", for: [.quantity])
        try only("links", for: [.link])
        let maxLength = node.has("max_length") ? try node.int("max_length", in: 1...maxTextLength) : defaultTextLength
        let min = node.has("min") ? Int64(try node.int("min")) : nil
        let max = node.has("max") ? Int64(try node.int("max")) : nil
        if let min, let max, min > max { throw node.child("min").error("min is above max") }
        var values: [BookTerm] = []
        if type == .enumeration {
            for value in try node.array("values") {
                try value.onlyKeys(["id", "name_zh", "name_en"])
                let valueID = try value.string("id")
                guard UnitsPolicy.isWellFormedID(valueID) else { throw value.child("id").error("values are lowercase letters, digits and '-'") }
                guard !values.contains(where: { $0.id == valueID }) else { throw value.child("id").error("duplicate value") }
                values.append(BookTerm(id: valueID, nameZh: try value.string("name_zh"), nameEn: try value.string("name_en")))
            }
            guard !values.isEmpty else { throw node.child("values").error("an enum needs at least one value") }
        }
        var units: [String] = []
        if type == .quantity {
            for unit in try node.array("units") {
                let text = try unit.asString()
                guard text.count <= 8, !text.contains(where: { $0.isNumber || $0.isWhitespace }) else { throw unit.error("a unit of measure: at most 8 characters, no digits or spaces") }
                units.append(text)
            }
            guard !units.isEmpty, Set(units).count == units.count else { throw node.child("units").error("one or more different units of measure") }
        }
        var links: [String] = []
        if type == .link {
            for link in try node.array("links") { links.append(try link.asString()) }
            guard !links.isEmpty else { throw node.child("links").error("the ledgers (or tips) a link may name") }
        }
        return BookField(id: id, nameZh: try node.string("name_zh"), nameEn: try node.string("name_en"), type: type, required: required,
                           sealed: sealed, maxLength: maxLength, min: min, max: max, values: values, units: units, links: links)
    }
}

/// A ledger record's id, `<prefix>-<year>-<serial>` (six digits): safe to show anywhere (it names no one).
public struct BookRecordID: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The ledger's capital letters (`JC`).
    public let prefix: String
    /// The year the record was created in.
    public let year: Int
    /// The serial within the ledger and year, from 1.
    public let serial: Int

    /// A record id from its parts.
    public init(prefix: String, year: Int, serial: Int) {
        self.prefix = prefix
        self.year = year
        self.serial = serial
    }

    /// Parses `JC-2026-000001` (case-insensitive, surrounding spaces ignored); nil when it is not one.
    public init?(_ raw: String) {
        let text = raw.trimmingCharacters(in: .whitespaces).uppercased()
        guard let match = text.wholeMatch(of: /([A-Z]{2,3})-(20\d\d)-(\d{6,9})/), let year = Int(match.2), let serial = Int(match.3), serial > 0 else {
            return nil
        }
        self.init(prefix: String(match.1), year: year, serial: serial)
    }

    /// The id as shown: the serial padded to six digits.
    public var description: String { "\(prefix)-\(year)-\(String(format: "%06d", serial))" }
}
