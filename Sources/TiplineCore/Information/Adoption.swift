public import Foundation
import Sealing

/// How far an item was taken up (S-2.1, NETWORK.md "Adoption levels"): each is a record with a date
/// and a reference; statistics, feedback, assessment and remuneration are computed from them.
public enum AdoptionLevel: String, Sendable, Codable, CaseIterable {
    /// 市快报采用
    case kuaibao
    /// 市简报采用
    case jianbao
    /// 报送省办
    case provinceForwarded = "province-forwarded"
    /// 省办采用
    case provinceAdopted = "province-adopted"
    /// 全国采用
    case national
    /// 领导批示
    case leaderInstruction = "leader-instruction"

    /// The level's label in Chinese or English.
    public func label(_ language: Language) -> String {
        switch (self, language) {
        case (.kuaibao, .zh): return "市快报采用"
        case (.jianbao, .zh): return "市简报采用"
        case (.provinceForwarded, .zh): return "报送省办"
        case (.provinceAdopted, .zh): return "省办采用"
        case (.national, .zh): return "全国采用"
        case (.leaderInstruction, .zh): return "领导批示"
        case (.kuaibao, _): return "city quick report"
        case (.jianbao, _): return "city briefing"
        case (.provinceForwarded, _): return "forwarded to the province"
        case (.provinceAdopted, _): return "adopted by the province"
        case (.national, _): return "adopted nationally"
        case (.leaderInstruction, _): return "leader's instruction"
        }
    }

    /// The state an adoption at this level moves an accepted item to.
    public var itemState: ItemState { self == .provinceForwarded ? .forwarded : .adopted }
}

extension ItemState {
    /// An item's state after an adoption at `level`: accepted → adopted (forwarded when sent to the
    /// province); adopted → forwarded when sent to the province; otherwise unchanged.
    public static func afterAdoption(_ state: ItemState, _ level: AdoptionLevel) -> ItemState {
        state == .accepted || level == .provinceForwarded ? level.itemState : state
    }
}

/// The city's two bulletins (S-2.1): 快报 (quick report) and 简报 (briefing).
public enum BulletinType: String, Sendable, Codable, CaseIterable {
    /// 快报 (quick report) and 简报 (briefing).
    case kuaibao, jianbao

    /// The bulletin's name in Chinese.
    public var nameZh: String { self == .kuaibao ? "快报" : "简报" }
    /// The bulletin's name in English.
    public var nameEn: String { self == .kuaibao ? "Quick Report" : "Briefing" }
    /// The adoption level publishing in it records.
    public var level: AdoptionLevel { self == .kuaibao ? .kuaibao : .jianbao }
    /// The issue id's prefix: `KB-2026-12`, `JB-2026-03`.
    public var prefix: String { self == .kuaibao ? "KB" : "JB" }

    /// The type of an issue id, if it is one.
    public init?(issue: String) {
        guard let match = issue.wholeMatch(of: /(KB|JB)-20[0-9]{2}-[0-9]{1,3}/) else { return nil }
        self = match.1 == "KB" ? .kuaibao : .jianbao
    }
}

/// The statement a city editor signs for an edited version of an item (S-3.3: the author's signed
/// original stays; the edit is the editor's, signed by them): which item, which version, the hash of
/// the edited text and of the original statement it is based on.
public struct ItemEditStatement: Sendable, Equatable {
    /// The statement's first line, naming its format.
    public static let header = "tipline-information-edit-v1"
    /// The item's reference.
    public var reference: String
    /// 2 for the first edit (the author's original is version 1).
    public var version: Int
    /// The edited content's record id: `<item uid>.v<version>`.
    public var uid: String
    /// The editor's staff name.
    public var editor: String
    /// SHA-256 (hex) of the edited content.
    public var contentSHA256: String
    /// SHA-256 of the author's signed statement (the original the edit is based on).
    public var originalSHA256: String

    /// A statement from its parts.
    public init(reference: String, version: Int, uid: String, editor: String, contentSHA256: String, originalSHA256: String) {
        self.reference = reference
        self.version = version
        self.uid = uid
        self.editor = editor
        self.contentSHA256 = contentSHA256
        self.originalSHA256 = originalSHA256
    }

    /// The record id of version `version` of the item `uid`.
    public static func recordID(itemUID: String, version: Int) -> String { "\(itemUID).v\(version)" }

    /// The exact text signed.
    public var text: String {
        [Self.header, "reference: \(reference)", "version: \(version)", "uid: \(uid)", "editor: \(editor)",
         "content_sha256: \(contentSHA256)", "original_sha256: \(originalSHA256)"].joined(separator: "\n")
    }

    /// Parses a statement; nil unless it is exactly what `text` renders.
    public init?(text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.count == 7, lines[0] == Self.header else { return nil }
        var values: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.range(of: ": ") else { return nil }
            values[String(line[..<colon.lowerBound])] = String(line[colon.upperBound...])
        }
        guard let reference = values["reference"], let version = values["version"].flatMap(Int.init), let uid = values["uid"],
              let editor = values["editor"], let hash = values["content_sha256"], let original = values["original_sha256"] else { return nil }
        self.init(reference: reference, version: version, uid: uid, editor: editor, contentSHA256: hash, originalSHA256: original)
        guard self.text == text else { return nil }
    }

    /// The bytes the editor's Ed25519 key signs.
    public var signedBytes: [UInt8] { Array(text.utf8) }
}
