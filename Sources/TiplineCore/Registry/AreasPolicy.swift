import Foundation

/// The level of an administrative area below the district (S-3.1: informants in every township,
/// community and village).
public enum AreaLevel: String, Sendable, Codable, CaseIterable {
    /// 乡、镇、街道: statistical code digits 7–9, digits 10–12 are `000`.
    case township
    /// 社区 (urban): digits 10–12.
    case community
    /// 村 (rural): digits 10–12.
    case village
}

/// An administrative area by its national 12-digit statistical code (统计用区划代码).
public struct Area: Sendable, Equatable, Codable, Hashable {
    /// The 12-digit statistical code (`520102001000`).
    public let code: String
    /// Township, community or village.
    public let level: AreaLevel
    /// The 6-digit county code for a township; the township's 12-digit code for a community or village.
    public let parent: String
    /// The area's name in Chinese.
    public let nameZh: String

    enum CodingKeys: String, CodingKey {
        case code, level, parent
        case nameZh = "name_zh"
    }

    /// An area; `AreaCSV.problem` checks one.
    public init(code: String, level: AreaLevel, parent: String, nameZh: String) {
        self.code = code
        self.level = level
        self.parent = parent
        self.nameZh = nameZh
    }

    /// The 6-digit county code the area lies in.
    public var countyCode: String { String(code.prefix(6)) }

    /// Why `code`, `level`, `parent` and `name` do not make an area, or nil if they do.
    public static func problem(code: String, level: AreaLevel, parent: String, name: String) -> String? {
        guard code.utf8.count == 12, code.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return "the code is not 12 digits" }
        let township = code.dropFirst(6).prefix(3), village = code.suffix(3)
        switch level {
        case .township:
            guard township != "000", village == "000" else { return "a township's code has digits 7–9 set and 10–12 zero" }
            guard parent == String(code.prefix(6)) else { return "a township's parent is the 6-digit county code \(code.prefix(6))" }
        case .community, .village:
            guard township != "000", village != "000" else { return "a community's or village's code has digits 7–9 and 10–12 set" }
            guard parent == String(code.prefix(9)) + "000" else { return "its parent is the township \(code.prefix(9))000" }
        }
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 40,
              !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == "," || $0 == "\"" }) else {
            return "the name is 1–40 characters of one line, without commas or quotes"
        }
        return nil
    }
}

/// Parses the area files: `code,level,parent,name_zh` with `#` comment lines (the shipped
/// `Policies/areas.csv` of townships, and what `network areas import` loads).
public enum AreaCSV {
    /// The header line every file starts with (after comments).
    public static let header = "code,level,parent,name_zh"
    /// At most this many rows in one file (a district's communities and villages are a few hundred).
    public static let maxRows = 20_000

    /// The failure of a line.
    public struct LineError: Error, Sendable, Equatable {
        /// The file's line number, from 1.
        public let line: Int
        /// What is wrong with the line.
        public let message: String
    }

    /// Every area of `text`, in order; any bad line refuses the whole file.
    public static func parse(_ text: String) throws(LineError) -> [Area] {
        var areas: [Area] = []
        var seen = Set<String>()
        var sawHeader = false
        var number = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : String(raw)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            if !sawHeader {
                guard trimmed == header else { throw LineError(line: number, message: "the first line is the header \(header)") }
                sawHeader = true
                continue
            }
            let cells = trimmed.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == 4 else { throw LineError(line: number, message: "four cells: \(header)") }
            guard let level = AreaLevel(rawValue: cells[1]) else {
                throw LineError(line: number, message: "level is township, community or village")
            }
            if let problem = Area.problem(code: cells[0], level: level, parent: cells[2], name: cells[3]) {
                throw LineError(line: number, message: problem)
            }
            guard seen.insert(cells[0]).inserted else { throw LineError(line: number, message: "code \(cells[0]) given twice") }
            guard areas.count < maxRows else { throw LineError(line: number, message: "more than \(maxRows) rows") }
            areas.append(Area(code: cells[0], level: level, parent: cells[2], nameZh: cells[3]))
        }
        guard sawHeader else { throw LineError(line: max(number, 1), message: "no header line \(header)") }
        return areas
    }
}
