import Foundation
import Sealing

/// Why a ledger record's values are refused: the field and the reason, Chinese and English. Never
/// quotes a value (a refused text may hold a name).
public struct BookRecordError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The field concerned, when there is one.
    public let field: String?
    /// The reason in Chinese.
    public let zh: String
    /// The reason in English.
    public let en: String

    /// A refusal of `field` (nil for the record as a whole).
    public init(field: String?, zh: String, en: String) {
        self.field = field
        self.zh = zh
        self.en = en
    }

    /// The reason in both languages: `Chinese / English`.
    public var description: String { "\(zh) / \(en)" }
}

/// A ledger record's values as typed, checked against its ledger (S-5.4): the clear part, sealed to
/// the owning unit and the city office, and the personal names of individual operators (`sealed: true`),
/// sealed apart in the identity class. Values are kept as normalised text (`1200 册`, `2026-11-30`).
public struct BookRecord: Sendable, Equatable {
    /// The most bytes of a record's canonical JSON (both parts): a record is a row, not a document.
    public static let maxBytes = 32 * 1024

    /// The ledger's id.
    public let book: String
    /// The id of the unit that owns the record.
    public let unit: String
    /// The values of unsealed fields, by field id.
    public let values: [String: String]
    /// The values of sealed fields (personal names of individual operators), by field id.
    public let names: [String: String]

    /// A record from already checked values; `validate` builds one from typed text.
    public init(book: String, unit: String, values: [String: String], names: [String: String]) {
        self.book = book
        self.unit = unit
        self.values = values
        self.names = names
    }

    /// The date that places the record in a period (its ledger's `dated_by` field), if the ledger has one.
    public func recordDate(in ledger: Book) -> String? { ledger.datedBy.flatMap { values[$0] } }

    /// Checks `typed` (field id → text; an empty text is no value) against `ledger`: every field known,
    /// every required field given, each value of its type. `counties`: the 6-digit codes an area code may
    /// lie in (the district offices' counties), when known. Values are normalised (trimmed; an enum value
    /// given by its Chinese or English name becomes its id; a quantity becomes `<number> <unit>`).
    public static func validate(_ typed: [String: String], ledger: Book, unit: String, policy: BooksPolicy,
                                counties: Set<String>? = nil) throws(BookRecordError) -> BookRecord {
        guard ledger.isWritable else {
            throw BookRecordError(field: nil, zh: "\(ledger.nameZh)由举报记录自动生成，不能录入", en: "the \(ledger.id) ledger is generated from the tips: nothing is written to it")
        }
        for key in typed.keys.sorted() where ledger.field(key) == nil {
            throw BookRecordError(field: key, zh: "未知字段 \(key.prefix(40))（\(ledger.nameZh)的字段：\(ledger.fields.map(\.id).joined(separator: "、"))）",
                                    en: "unknown field \(key.prefix(40)) (the \(ledger.id) fields: \(ledger.fields.map(\.id).joined(separator: ", ")))")
        }
        var values: [String: String] = [:]
        var names: [String: String] = [:]
        for field in ledger.fields {
            let raw = typed[field.id].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
            guard !raw.isEmpty else {
                if field.required {
                    throw BookRecordError(field: field.id, zh: "缺少必填字段 \(field.id)（\(field.nameZh)）", en: "missing required field \(field.id) (\(field.nameEn))")
                }
                continue
            }
            let value = try normalise(raw, field: field, policy: policy, counties: counties)
            if field.sealed { names[field.id] = value } else { values[field.id] = value }
        }
        let record = BookRecord(book: ledger.id, unit: unit, values: values, names: names)
        let size = ((try? record.contentJSON().count) ?? Int.max / 2) + ((try? record.namesJSON()?.count ?? 0) ?? Int.max / 2)
        guard size <= maxBytes else {
            throw BookRecordError(field: nil, zh: "记录超过 \(maxBytes / 1024) KiB", en: "the record is larger than \(maxBytes / 1024) KiB")
        }
        return record
    }

    static func normalise(_ raw: String, field: BookField, policy: BooksPolicy, counties: Set<String>?) throws(BookRecordError) -> String {
        func refuse(_ zh: String, _ en: String) -> BookRecordError {
            BookRecordError(field: field.id, zh: "\(field.id)（\(field.nameZh)）\(zh)", en: "\(field.id) (\(field.nameEn)) \(en)")
        }
        switch field.type {
        case .text:
            guard raw.count <= field.maxLength else { throw refuse("超过 \(field.maxLength) 字", "is longer than \(field.maxLength) characters") }
            guard !raw.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0.properties.generalCategory == .format }) else {
                throw refuse("含有控制字符或换行", "holds a control character or a line break")
            }
            return raw
        case .integer:
            guard raw.utf8.count <= 19, let number = Int64(raw) else { throw refuse("应为整数", "is a whole number") }
            if let min = field.min, number < min { throw refuse("不能小于 \(min)", "is at least \(min)") }
            if let max = field.max, number > max { throw refuse("不能大于 \(max)", "is at most \(max)") }
            return String(number)
        case .date:
            guard CivilDate.isValid(raw) else { throw refuse("应为日期 YYYY-MM-DD", "is a date YYYY-MM-DD") }
            return raw
        case .areaCode:
            guard [6, 9, 12].contains(raw.utf8.count), raw.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
                throw refuse("应为 6、9 或 12 位统计区划代码", "is a 6-, 9- or 12-digit statistical area code")
            }
            if let counties, !counties.contains(String(raw.prefix(6))) {
                throw refuse("不在本市任何区县内", "lies in no district or county of the city")
            }
            return raw
        case .enumeration:
            let lowered = raw.lowercased()
            guard let term = field.values.first(where: { $0.id == lowered || $0.nameZh == raw || $0.nameEn.lowercased() == lowered }) else {
                throw refuse("应为以下之一：\(field.values.map { "\($0.id)（\($0.nameZh)）" }.joined(separator: "、"))",
                             "is one of \(field.values.map(\.id).joined(separator: ", "))")
            }
            return term.id
        case .quantity:
            guard let match = raw.wholeMatch(of: /(\d{1,12}(?:\.\d{1,3})?)\s*(\S{1,8})/),
                  field.units.contains(String(match.2)) else {
                throw refuse("应为数量加计量单位（\(field.units.joined(separator: "、"))），如 1200 \(field.units[0])",
                             "is a number and a unit of measure (\(field.units.joined(separator: ", "))), e.g. 1200 \(field.units[0])")
            }
            return "\(match.1) \(match.2)"
        case .link:
            let upper = raw.uppercased()
            if field.links.contains(BooksPolicy.tipsSource), let tip = TipReference(typed: raw) {
                return tip.rawValue
            }
            let targets = field.links.compactMap { policy.ledger($0) }
            guard let id = BookRecordID(upper), targets.contains(where: { $0.prefix == id.prefix }) else {
                let kinds = field.links.map { $0 == BooksPolicy.tipsSource ? "GY-…" : (policy.ledger($0).map { "\($0.prefix)-…" } ?? $0) }
                throw refuse("应为以下台账的记录编号：\(kinds.joined(separator: "、"))", "names a record of: \(kinds.joined(separator: ", "))")
            }
            return id.description
        }
    }

    /// A fresh record id for one sealed envelope of a record version: `book-` and 32 hex digits.
    public static func newUID() -> String { "book-" + Hex.encode(SecureRandom.bytes(16)) }

    /// Whether `uid` has the shape `newUID` makes.
    public static func isValidUID(_ uid: String) -> Bool {
        uid.utf8.count == 37 && uid.hasPrefix("book-") && uid.utf8.dropFirst(5).allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// The sealed record: book, unit and the unsealed values, canonical JSON (sorted keys).
    public func contentJSON() throws -> [UInt8] {
        try Self.canonical(BookContent(book: book, unit: unit, values: values))
    }

    /// The sealed names (personal names of individual operators), canonical JSON; nil when there are none.
    public func namesJSON() throws -> [UInt8]? {
        names.isEmpty ? nil : try Self.canonical(BookNames(book: book, values: names))
    }

    static func canonical<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }
}

/// What a ledger record's content envelope holds (one field, `record`).
public struct BookContent: Sendable, Codable, Equatable {
    /// The ledger's id.
    public let book: String
    /// The id of the unit that owns the record.
    public let unit: String
    /// The values of the unsealed fields, by field id.
    public let values: [String: String]

    /// A record's clear content.
    public init(book: String, unit: String, values: [String: String]) {
        self.book = book
        self.unit = unit
        self.values = values
    }
}

/// What a ledger record's names envelope holds (one field, `names`).
public struct BookNames: Sendable, Codable, Equatable {
    /// The ledger's id.
    public let book: String
    /// The personal names of individual operators, by field id.
    public let values: [String: String]

    /// A record's sealed names.
    public init(book: String, values: [String: String]) {
        self.book = book
        self.values = values
    }
}
