import AdminClient
import ArgumentParser
import Foundation
import TiplineAudit
import TiplineCore
import TiplineDeployment

extension AuditCommand {
    /// `tipline-audit log` (or `tipline-admin audit log`): who did what, when, why (issue 13, item 8).
    struct Log: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "审计日志：谁在何时做了什么、为什么 / Who did what, when and why, from the audit log alone.",
            discussion: "\"Who opened this reporter's identity\": `log --tip GY-2026-000001 --action unseal`. Times are China time (UTC+8); --from and --to take 2026-11-30 or 2026-11-30 18:00 (China time) or RFC 3339.")

        @OptionGroup var source: SourceOptions
        @Option(help: "Only entries about this tip (reference as typed: 2026-1, gy-2026-000001, …).") var tip: String?
        @Option(help: "Only entries about this informant (pseudonym: NM-0001): who registered, reviewed, opened it, when, why.") var informant: String?
        @Option(help: "Only entries about this information item (XX-2026-000001).") var item: String?
        @Option(help: "Only entries about this ledger record (JC-2026-000001): who wrote each version, who opened its sealed names, when, why.")
        var record: String?
        @Option(help: "Only this action: its name (tip.unseal), its last part (unseal) or its Chinese name (打开举报人身份).") var action: String?
        @Option(help: "Only this staff member: name (li.wei) or key id.") var staff: String?
        @Option(help: "From this time (China time).") var from: String?
        @Option(help: "Up to this time (China time; a date alone means the whole day).") var to: String?
        @Option(help: "At most this many entries, the most recent (1–100000).") var limit = 1_000
        @Flag(help: "Machine-readable output (ISO 8601 times with offset).") var json = false
        @Option(help: "Output language: zh (default) or en.") var lang: Language?

        func run() async throws {
            try await reportingErrors {
                guard [tip, informant, item, record].compactMap({ $0 }).count <= 1 else {
                    throw CLIError.input(say("--tip、--informant、--item、--record 只能选一个", "give at most one of --tip, --informant, --item, --record"))
                }
                var reference: String?
                if let tip {
                    guard let typed = TipReference(typed: tip) else { throw CLIError.input(say("--tip：不是举报编号：\(tip)", "--tip: not a tip reference: \(tip)")) }
                    reference = typed.rawValue
                }
                if let informant {
                    guard let typed = Pseudonym(informant) else { throw CLIError.input(say("--informant：不是信息员化名：\(informant)", "--informant: not a pseudonym: \(informant)")) }
                    reference = typed.rawValue
                }
                if let item { reference = item.trimmingCharacters(in: .whitespaces).uppercased() }
                if let record {
                    guard let typed = BookRecordID(record) else { throw CLIError.input(say("--record：不是台账记录编号：\(record)", "--record: not a ledger record id: \(record)")) }
                    reference = typed.description
                }
                let query = AuditLogQuery(tip: reference, action: action, staff: staff, from: try from.map { try Self.time($0, "--from", endOfDay: false) },
                                          to: try to.map { try Self.time($0, "--to", endOfDay: true) }, limit: limit)
                let lines: [AuditLogQuery.Line]
                do {
                    lines = try query.run(database: try source.sources().database)
                } catch {
                    throw CLIError.io("\(error)")
                }
                let policies = try? source.place.open().policies
                let show = Presenter(policies: policies, staff: [])
                func who(_ line: AuditLogQuery.Line) -> String {
                    if line.actor == "server" { return say("受理服务器", "server") }
                    guard let name = line.actorName else { return line.actor }
                    let role = line.actorRole.flatMap(StaffRole.init(rawValue:))?.label(UILanguage.current) ?? line.actorRole ?? ""
                    let place = "\(role)@\(show.centre(line.actorCentre ?? ""))"
                    return UILanguage.current == .zh ? "\(name)（\(place)）" : "\(name) (\(place))"
                }
                if json {
                    try printJSON(lines.map { line in
                        ["seq": String(line.seq), "at": ShownTime.json(line.at), "actor": line.actor, "actor_name": line.actorName ?? "",
                         "who": who(line), "action": line.action, "action_label": auditActionLabel(line.action, UILanguage.current),
                         "subject": line.subject, "reason": line.reason ?? ""]
                    })
                    return
                }
                // A status change shows its two states; re-routing its two centres.
                func change(_ line: AuditLogQuery.Line) -> String {
                    guard let from = line.details["from"], let to = line.details["to"] else { return "-" }
                    func name(_ value: String) -> String { TipStatus(rawValue: value).map(show.status) ?? show.centre(value) }
                    return "\(name(from)) → \(name(to))"
                }
                printTable([say("序号", "SEQ"), say("时间", "TIME"), say("人员", "WHO"), say("操作", "ACTION"), say("对象", "SUBJECT"),
                            say("变化", "CHANGE"), say("理由", "REASON")],
                           lines.map { [String($0.seq), ShownTime.text($0.at), who($0), auditActionLabel($0.action, UILanguage.current), $0.subject,
                                        change($0), $0.reason ?? "-"] })
                if lines.isEmpty { print(say("（没有符合条件的记录）", "(no matching entries)")) }
            }
        }

        /// `2026-11-30`, `2026-11-30 18:00` (China time) or RFC 3339; a date alone for `--to` means up to the day's end.
        static func time(_ text: String, _ option: String, endOfDay: Bool) throws -> Int64 {
            if let seconds = CivilTime.seconds(iso8601: text) { return seconds }
            let parts = text.split(separator: " ")
            let date = parts.first.map { $0.split(separator: "-").compactMap { Int64($0) } } ?? []
            var minutes: Int64 = 0
            if parts.count == 2 {
                let clock = parts[1].split(separator: ":").compactMap { Int64($0) }
                guard clock.count == 2, (0..<24).contains(clock[0]), (0..<60).contains(clock[1]) else { throw bad(text, option) }
                minutes = clock[0] * 60 + clock[1]
            }
            guard parts.count <= 2, date.count == 3, CivilTime.isValidDate(year: date[0], month: date[1], day: date[2]) else { throw bad(text, option) }
            let dayStart = CivilTime.daysFromCivil(year: date[0], month: date[1], day: date[2]) * 86_400 - CivilTime.chinaOffset
            if parts.count == 1, endOfDay { return dayStart + 86_400 }
            return dayStart + minutes * 60
        }

        private static func bad(_ text: String, _ option: String) -> CLIError {
            CLIError.input(say("\(option)：无法识别的时间 \(text)（如 2026-11-30 或 2026-11-30 18:00）", "\(option): not a time: \(text) (e.g. 2026-11-30 or 2026-11-30 18:00)"))
        }
    }
}
