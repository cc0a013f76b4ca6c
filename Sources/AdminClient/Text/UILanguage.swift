package import Foundation
package import TiplineCore

/// The language of everything the staff tools print (issue 13, item 3): zh-CN unless asked
/// otherwise — `--lang en` on the command line, `TIPLINE_LANG`, the profile's `lang`, or an
/// English locale (`LC_ALL`, `LC_MESSAGES`, `LANG` starting with `en`).
package enum UILanguage {
    /// Decided once per process.
    package static let current: Language = resolve(arguments: CommandLine.arguments,
                                                   environment: ProcessInfo.processInfo.environment,
                                                   profile: Profile.current[.lang])

    /// The rule above, testable.
    package static func resolve(arguments: [String], environment: [String: String], profile: String?) -> Language {
        if let index = arguments.firstIndex(of: "--lang"), index + 1 < arguments.count,
           let language = Language(rawValue: arguments[index + 1].lowercased()) {
            return language
        }
        if let value = arguments.first(where: { $0.hasPrefix("--lang=") }), let language = Language(rawValue: String(value.dropFirst(7)).lowercased()) {
            return language
        }
        if let value = environment["TIPLINE_LANG"], let language = Language(rawValue: value.lowercased()) { return language }
        if let profile, let language = Language(rawValue: profile) { return language }
        for variable in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            guard let value = environment[variable], !value.isEmpty else { continue }
            return value.lowercased().hasPrefix("en") ? .en : .zh
        }
        return .zh
    }
}

/// `zh` or `en`, whichever the staff member reads.
package func say(_ zh: String, _ en: String) -> String { UILanguage.current == .zh ? zh : en }

/// How the staff tools show times: China time with its offset, always (S-4.1 times are China time).
package enum ShownTime {
    /// `2026-11-30 18:51 UTC+8`, for tables and lines.
    package static func text(_ seconds: Int64) -> String { CivilTime.chinaDisplay(seconds) }
    /// `2026-11-30T18:51:00+08:00`, for `--json`.
    package static func json(_ seconds: Int64) -> String { CivilTime.iso8601China(seconds) }
    /// `2026-11-30 18:51 UTC+8` from an RFC 3339 UTC string as the server sends some times; the
    /// string itself when it is not one.
    package static func text(iso: String) -> String { CivilTime.seconds(iso8601: iso).map(text) ?? iso }
    /// What is left before `due` (negative: overdue), in words: `剩 3 小时 20 分` / `超时 2 天`.
    package static func left(until due: Int64, now: Int64 = Int64(Date().timeIntervalSince1970)) -> String {
        let delta = due - now
        let span = abs(delta)
        let days = span / 86_400, hours = span % 86_400 / 3_600, minutes = span % 3_600 / 60
        let zh = days > 0 ? "\(days) 天 \(hours) 小时" : hours > 0 ? "\(hours) 小时 \(minutes) 分" : "\(minutes) 分"
        let en = days > 0 ? "\(days)d \(hours)h" : hours > 0 ? "\(hours)h \(minutes)m" : "\(minutes)m"
        return delta >= 0 ? say("剩 \(zh)", "\(en) left") : say("超时 \(zh)", "\(en) overdue")
    }
}
