package import Foundation
import TiplineCore

/// Free text that staff send in clear (reasons, memos, units, notes kept in the audit log forever)
/// is checked with `audit scan`'s detectors before it leaves the workstation (issue 13, item 9):
/// a mobile number, a resident ID number or an e-mail address is refused with an explanation.
package enum ClearText {
    /// What was found in one text, by detector kind.
    package static func findings(_ text: String) -> [String] {
        let bytes = Array(text.precomposedStringWithCompatibilityMapping.utf8)
        var kinds: [String] = []
        bytes.withUnsafeBytes { raw in
            PersonalDataPatterns.find(raw, range: 0..<raw.count, atFileStart: true) { _, _, kind in
                if !kinds.contains(kind) { kinds.append(kind) }
            }
        }
        return kinds
    }

    /// Refuses the first option whose text holds personal data.
    package static func check(_ fields: [(option: String, text: String?)]) throws {
        for (option, text) in fields {
            guard let text else { continue }
            let kinds = findings(text)
            guard !kinds.isEmpty else { continue }
            let zh = kinds.map { ["mobile-number": "手机号码", "resident-id": "身份证号码", "email": "电子邮件地址"][$0] ?? $0 }.joined(separator: "、")
            throw CLIError.input(say(
                "\(option) 中似乎含有\(zh)：审计日志永久保存明文，不得写入个人信息。请删去后重试（身份信息只在密封字段中）。",
                "\(option) seems to contain a \(kinds.joined(separator: ", ")): the audit log keeps this text in clear forever, so personal data must not go in it. Remove it and try again (identities belong in sealed fields only)."))
        }
    }
}
