import Foundation
import Sealing

/// The canonical statement an author signs for an information item (S-3.3): unit, byline, kind,
/// times, the hash of the sealed plaintext, the accountability line and the secrecy attestation.
/// Kept with the item and in its audit entry; the server and the auditor parse the item's clear
/// fields from it, so they can never differ from what was signed.
public struct ItemStatement: Sendable, Equatable {
    /// The statement's first line, naming its format.
    public static let header = "tipline-information-statement-v1"
    /// S-3.3: the signing unit and authors answer for the item's truth and accuracy.
    public static let accountability = "署名单位和署名人对信息的真实性、准确性负全责"
    /// 四(四): the author attests the item holds no state secret.
    public static let secrecy = "不涉及国家秘密"

    /// The record id of the item's sealed content (`item-` and 32 hex digits).
    public var uid: String
    /// The id of the unit that writes and signs the item.
    public var unit: String
    /// Staff names of the authors (the signer first); empty with `unitOnly`.
    public var authors: [String]
    /// The byline names the unit only (三(三); always when an informant is the source).
    public var unitOnly: Bool
    /// The item's kind id (`information.yaml`).
    public var kind: String
    /// The sub-kind id, when the kind has sub-kinds.
    public var subKind: String?
    /// How soon the item is due (S-4.1).
    public var timeliness: Timeliness
    /// Unix seconds (UTC) when the event happened.
    public var eventAt: Int64
    /// Unix seconds (UTC) when the unit learned of it; the due time runs from here.
    public var knownAt: Int64
    /// SHA-256 (hex) of the sealed plaintext (`content` JSON).
    public var contentSHA256: String
    /// The 首报 this item follows up (续报), if any.
    public var firstReport: String?

    /// A statement from its parts.
    public init(uid: String, unit: String, authors: [String], unitOnly: Bool, kind: String, subKind: String?, timeliness: Timeliness,
                eventAt: Int64, knownAt: Int64, contentSHA256: String, firstReport: String?) {
        self.uid = uid
        self.unit = unit
        self.authors = authors
        self.unitOnly = unitOnly
        self.kind = kind
        self.subKind = subKind
        self.timeliness = timeliness
        self.eventAt = eventAt
        self.knownAt = knownAt
        self.contentSHA256 = contentSHA256
        self.firstReport = firstReport
    }

    /// The exact text signed.
    public var text: String {
        [Self.header, "uid: \(uid)", "unit: \(unit)", "byline: \(unitOnly ? "unit-only" : "unit+authors")",
         "authors: \(authors.joined(separator: ","))", "kind: \(kind)", "sub_kind: \(subKind ?? "-")",
         "timeliness: \(timeliness.rawValue)", "event_at: \(eventAt)", "known_at: \(knownAt)", "content_sha256: \(contentSHA256)",
         "first_report: \(firstReport ?? "-")", "accountability: \(Self.accountability)", "secrecy: \(Self.secrecy)"].joined(separator: "\n")
    }

    /// Parses a statement; nil unless it is exactly what `text` renders.
    public init?(text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.count == 14, lines[0] == Self.header else { return nil }
        var values: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.range(of: ": ") else { return nil }
            values[String(line[..<colon.lowerBound])] = String(line[colon.upperBound...])
        }
        guard let uid = values["uid"], let unit = values["unit"], let byline = values["byline"], let authors = values["authors"],
              let kind = values["kind"], let sub = values["sub_kind"], let timeliness = values["timeliness"].flatMap(Timeliness.init(rawValue:)),
              let event = values["event_at"].flatMap(Int64.init), let known = values["known_at"].flatMap(Int64.init),
              let hash = values["content_sha256"], let first = values["first_report"],
              values["accountability"] == Self.accountability, values["secrecy"] == Self.secrecy,
              byline == "unit-only" || byline == "unit+authors" else { return nil }
        self.init(uid: uid, unit: unit, authors: authors.isEmpty ? [] : authors.split(separator: ",").map(String.init),
                  unitOnly: byline == "unit-only", kind: kind, subKind: sub == "-" ? nil : sub, timeliness: timeliness,
                  eventAt: event, knownAt: known, contentSHA256: hash, firstReport: first == "-" ? nil : first)
        guard self.text == text else { return nil }
    }

    /// A fresh record id for an item's sealed content: `item-` and 32 hex digits.
    public static func newUID() -> String { "item-" + Hex.encode(SecureRandom.bytes(16)) }

    /// Whether `uid` has the shape `newUID` makes.
    public static func isValidUID(_ uid: String) -> Bool {
        uid.utf8.count == 37 && uid.hasPrefix("item-") && uid.utf8.dropFirst(5).allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// The bytes the author's Ed25519 key signs.
    public var signedBytes: [UInt8] { Array(text.utf8) }
}

/// An item's state (NETWORK.md "Information items").
public enum ItemState: String, Sendable, Codable, CaseIterable {
    /// A draft; submitted; returned by the city office with a reason; accepted; adopted; or forwarded to the province.
    case draft, submitted, returned, accepted, adopted, forwarded

    /// The state's label in Chinese, or its raw value in English.
    public func label(_ language: Language) -> String {
        guard language == .zh else { return rawValue }
        switch self {
        case .draft: return "草稿"
        case .submitted: return "已报送"
        case .returned: return "已退回"
        case .accepted: return "已接收"
        case .adopted: return "已采用"
        case .forwarded: return "已转报"
        }
    }
}

/// A reporting period as typed: a month `2026-11`, a quarter `2026-Q2` or a year `2026`, in China time.
public struct ReportingPeriod: Sendable, Equatable, CustomStringConvertible {
    /// The period as typed, upper-cased (`2026-11`, `2026-Q2`, `2026`).
    public let text: String
    /// UTC seconds `[start, end)`.
    public let start: Int64
    /// Its end, exclusive.
    public let end: Int64
    /// The months it covers, as `YYYY-MM` (a zero report for any of them counts for the period).
    public let months: [String]

    /// Parses `2026-11`, `2026-Q2` or `2026`; nil for anything else.
    public init?(_ raw: String) {
        let text = raw.trimmingCharacters(in: .whitespaces).uppercased()
        func bounds(_ year: Int, _ first: Int, _ count: Int) -> (Int64, Int64, [String]) {
            let start = CivilTime.daysFromCivil(year: Int64(year), month: Int64(first), day: 1) * 86_400 - CivilTime.chinaOffset
            let endMonth = first + count
            let end = CivilTime.daysFromCivil(year: Int64(year + (endMonth - 1) / 12), month: Int64((endMonth - 1) % 12 + 1), day: 1) * 86_400
                - CivilTime.chinaOffset
            return (start, end, (first..<endMonth).map { String(format: "%04d-%02d", year, $0) })
        }
        if let match = text.wholeMatch(of: /(20\d\d)-(0[1-9]|1[0-2])/), let year = Int(match.1), let month = Int(match.2) {
            (start, end, months) = bounds(year, month, 1)
        } else if let match = text.wholeMatch(of: /(20\d\d)-Q([1-4])/), let year = Int(match.1), let quarter = Int(match.2) {
            (start, end, months) = bounds(year, quarter * 3 - 2, 3)
        } else if let match = text.wholeMatch(of: /(20\d\d)/), let year = Int(match.1) {
            (start, end, months) = bounds(year, 1, 12)
        } else {
            return nil
        }
        self.text = text
    }

    public var description: String { text }
}

extension CivilTime {
    /// The UTC seconds of a typed occurrence with a time of day (China time when no offset is given); nil for a bare date.
    public static func seconds(of occurrence: Occurrence) -> Int64? {
        switch occurrence {
        case .day: return nil
        case .time(let y, let m, let d, let h, let mi, let s):
            return daysFromCivil(year: y, month: m, day: d) * 86_400 + h * 3600 + mi * 60 + s - chinaOffset
        case .rfc3339(let text): return seconds(iso8601: text)
        }
    }
}
