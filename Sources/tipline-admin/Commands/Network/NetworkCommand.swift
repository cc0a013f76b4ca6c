import AdminClient
import ArgumentParser
import Foundation
import Sealing
import TiplineAdminAPI
import TiplineCore

/// `tipline-admin network …`: the reporting network's registry (issue 14, docs/NETWORK.md).
struct NetworkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "network",
        abstract: "信息网络：单位、联络员、培训、村（社区）、信息员、覆盖率 / The reporting network: units, liaisons, trainings, areas, informants, coverage.",
        subcommands: [Units.self, UnitCommand.self, Liaisons.self, LiaisonCommand.self, TrainingCommand.self, AreasCommand.self,
                      Coverage.self, InformantCommand.self])

    struct Units: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "单位列表及在岗联络员人数 / List the units and their active liaisons.")
        @OptionGroup var connection: ConnectionOptions
        @Flag(help: "Machine-readable output.") var json = false

        func run() async throws {
            try await reportingErrors {
                let units = try await connection.session().call(.units, as: [UnitSummary].self)
                if json { try printJSON(units); return }
                printTable([say("单位", "UNIT"), say("名称", "NAME"), say("类型", "KIND"), say("举报中心", "CENTRE"), say("联络员", "LIAISONS")],
                           units.map { [$0.unit.id, NetworkText.name($0.unit), NetworkText.kind($0.unit.kind), $0.unit.centre?.rawValue ?? "-",
                                        String($0.activeLiaisons) + ($0.unit.example ? say("（示例单位）", " (example)") : "")] })
            }
        }
    }

    struct Liaisons: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "联络员名录；--check 列出联络员不是 1–2 名的节点 / List liaisons; --check lists every node without 1–2 active liaisons (S-3.2).",
            discussion: "With --check the exit status is 1 when any node (district office, member unit, the detachment) has 0 or more than 2 active liaisons.")
        @OptionGroup var connection: ConnectionOptions
        @Flag(help: "List only the nodes with 0 or more than 2 active liaisons; exit 1 if there are any.") var check = false
        @Flag(help: "Machine-readable output.") var json = false

        func run() async throws {
            try await reportingErrors {
                let session = try connection.session()
                let reply = try await session.call(.liaisons, as: LiaisonsReply.self)
                let unitName = try await NetworkText.unitNames(session: session)
                if check {
                    if json { try printJSON(reply.gaps) } else if reply.gaps.isEmpty {
                        print(say("每个节点都有 1–2 名在岗联络员", "every node has 1–2 active liaisons"))
                    } else {
                        printTable([say("单位", "UNIT"), say("在岗联络员", "ACTIVE LIAISONS"), say("问题", "PROBLEM")], reply.gaps.map {
                            [unitName($0.unit), String($0.activeLiaisons), $0.activeLiaisons == 0 ? say("没有联络员", "none") : say("超过 2 名", "more than 2")]
                        })
                    }
                    if !reply.gaps.isEmpty { throw ExitCode(1) }
                    return
                }
                if json { try printJSON(reply); return }
                printTable([say("姓名", "NAME"), say("单位", "UNIT"), say("任命日期", "APPOINTED"), say("资格", "QUALIFICATION"),
                            say("培训次数", "TRAININGS"), say("状态", "STATUS")], reply.liaisons.map {
                    [$0.name, unitName($0.unit), $0.appointedOn ?? "-", $0.qualification ?? "-", String($0.trainings), $0.active ? say("在岗", "active") : say("已吊销", "revoked")]
                })
            }
        }
    }

    struct LiaisonCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "liaison", abstract: "联络员任命记录 / A liaison's appointment record.",
                                                        subcommands: [Record.self])

        struct Record: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "编辑（市办）：登记联络员任命日期和资格证明 / Editors: record a liaison's appointment date and qualification attestation.")
            @OptionGroup var connection: ConnectionOptions
            @Argument(help: "The liaison's name or key id.") var liaison: String
            @Option(help: "Appointment date, YYYY-MM-DD.") var appointed: String
            @Option(help: "The qualification attestation (e.g. 政治可靠、熟悉业务，经单位审核).") var qualification: String

            func run() async throws {
                try await reportingErrors {
                    guard CivilDate.isValid(appointed) else { throw CLIError.input(say("--appointed 应为日期 YYYY-MM-DD", "--appointed is a date YYYY-MM-DD")) }
                    try ClearText.check([("--qualification", qualification)])
                    let session = try connection.session()
                    let key = try await NetworkText.staffKey(liaison, session: session)
                    _ = try await session.call(.recordLiaison, key, body: LiaisonRecordBody(appointedOn: appointed, qualification: qualification),
                                               as: Acknowledged.self)
                    print(say("已登记 \(liaison) 的任命（\(appointed)）", "recorded \(liaison)'s appointment (\(appointed))"))
                }
            }
        }
    }

    struct TrainingCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "training", abstract: "联络员培训记录 / Training records.",
                                                        subcommands: [Add.self])

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "登记一次培训及参加人员 / Record a training session and who attended.")
            @OptionGroup var connection: ConnectionOptions
            @Option(help: "The unit that held it.") var unit: String
            @Option(help: "Date, YYYY-MM-DD.") var date: String
            @Option(help: "Topic.") var topic: String
            @Option(help: "Attendees' staff names, comma-separated.") var attendees: String

            func run() async throws {
                try await reportingErrors {
                    guard CivilDate.isValid(date) else { throw CLIError.input(say("--date 应为日期 YYYY-MM-DD", "--date is a date YYYY-MM-DD")) }
                    try ClearText.check([("--topic", topic)])
                    let names = attendees.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                    let reply = try await connection.session().call(.addTraining, body: TrainingBody(unit: unit, date: date, topic: topic, attendees: names),
                                                                    as: [String: Int64].self)
                    print(say("已登记培训 #\(reply["training"] ?? 0)（\(names.count) 人）", "training #\(reply["training"] ?? 0) recorded (\(names.count) attendees)"))
                }
            }
        }
    }

    struct Coverage: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "信息员覆盖率：各区县乡镇、村（社区）覆盖情况 / Informant coverage of every township, community and village (S-3.1).",
            discussion: "Per district: areas per level, areas with at least one active informant, the percentage, the uncovered areas, informants by source role. No name appears anywhere.")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "One district (default: every district you may see).") var district: String?
        @Flag(help: "Machine-readable output.") var json = false
        @Flag(help: "CSV: one row per district.") var csv = false
        @Option(help: "Write a printable HTML page with a bar chart to FILE.") var html: String?

        func run() async throws {
            try await reportingErrors {
                let reply = try await connection.session().call(.coverage, query: district.map { [("district", $0)] } ?? [], as: CoverageReply.self)
                if json { try printJSON(reply); return }
                if let html {
                    try CoverageReport.html(reply).write(toFile: html, atomically: true, encoding: .utf8)
                    print(say("已写入 \(html)", "written to \(html)"))
                    return
                }
                if csv { print(CoverageReport.csv(reply), terminator: ""); return }
                printTable([say("区县", "DISTRICT"), say("乡镇（街道）", "TOWNSHIPS"), say("社区", "COMMUNITIES"), say("村", "VILLAGES"),
                            say("已覆盖/总数", "COVERED"), say("覆盖率", "PERCENT"), say("在用信息员", "INFORMANTS")], reply.districts.map { d in
                    [d.name(UILanguage.current)] + d.levels.map { "\($0.covered)/\($0.areas)" } + ["\(d.covered)/\(d.areas)", d.percentText, String(d.activeInformants)]
                })
                for d in reply.districts where !d.uncovered.isEmpty {
                    let shown = d.uncovered.prefix(20).map { "\($0.code) \($0.nameZh)" }.joined(separator: "、")
                    print(say("\n\(d.nameZh) 未覆盖（\(d.uncovered.count)）：\(shown)\(d.uncovered.count > 20 ? " …" : "")",
                              "\n\(d.nameEn) uncovered (\(d.uncovered.count)): \(shown)\(d.uncovered.count > 20 ? " …" : "")"))
                }
            }
        }
    }
}

/// Labels and lookups the network commands share.
enum NetworkText {
    static func name(_ unit: NetworkUnit) -> String { UILanguage.current == .zh ? unit.nameZh : unit.nameEn }

    static func kind(_ kind: UnitKind) -> String {
        guard UILanguage.current == .zh else { return kind.rawValue }
        switch kind {
        case .cityOffice: return "市办"
        case .districtOffice: return "区县办"
        case .memberUnit: return "成员单位"
        case .detachment: return "执法支队"
        }
    }

    /// A lookup from unit id to its name in the reader's language (the id for an unknown unit).
    static func unitNames(session: AdminSession) async throws -> (String) -> String {
        let units = Dictionary(try await session.call(.units, as: [UnitSummary].self).map { ($0.unit.id, $0.unit) }, uniquingKeysWith: { a, _ in a })
        return { id in units[id].map(name) ?? id }
    }

    /// A staff member's key id from a name or a key id.
    static func staffKey(_ nameOrKey: String, session: AdminSession) async throws -> String {
        let staff = try await session.call(.listStaff, as: [StaffView].self)
        if let match = staff.first(where: { $0.keyID == nameOrKey }) ?? staff.first(where: { $0.name == nameOrKey && $0.revokedAt == nil }) {
            return match.keyID
        }
        throw CLIError.notFound(say("没有这位工作人员：\(nameOrKey)", "no staff member \(nameOrKey)"))
    }

    /// A yes/no option as typed (是/否 too).
    static func yesNo(_ text: String, option: String) throws -> Bool {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "yes", "y", "是", "1", "true": return true
        case "no", "n", "否", "0", "false": return false
        default: throw CLIError.input(say("\(option) 应为 yes 或 no（是/否）", "\(option) is yes or no"))
        }
    }
}
