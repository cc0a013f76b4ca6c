import AdminClient
import ArgumentParser
import Foundation
import NIOHTTP1
import Sealing
import TiplineAdminAPI
import TiplineCore
import TiplineDeployment

/// `tipline-admin staff …`: enrolment of staff keys.
struct StaffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff", abstract: "工作人员密钥：申请、批准、列表、吊销 / Enrol, list and revoke staff keys.",
        subcommands: [Enroll.self, Approve.self, List.self, Revoke.self, WhoAmICommand.self])

    struct Enroll: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "在本机生成您的工作人员密钥（口令加密）和交给管理员的申请 / Create your staff key pair locally (passphrase-encrypted) and an enrolment request for an administrator.")
        @Option(help: "Your short name (lowercase letters, digits, '.', '_', '-').") var name: String
        @Option(help: "triage, identity-holder, supervisor, accountant, auditor, admin; network roles liaison, handler, editor, clerk, assessor.") var role: StaffRole
        @Option(help: "Your centre id (city, nanming, …); default city when --unit is given.") var centre: String?
        @Option(help: "Your network unit (units.yaml id, e.g. nanming-office, public-security); network roles need one.") var unit: String?
        @Option(help: "Where to write the key file and the request.") var out: String = "."

        func validate() throws {
            guard EnrolmentRequest.isValidName(name) else { throw ValidationError("--name: lowercase letters, digits, '.', '_' or '-' (at most 32)") }
            guard centre != nil || unit != nil else { throw ValidationError("--centre (or, for network roles, --unit) is required") }
            if let centre, !CentreID.isWellFormed(centre) { throw ValidationError("--centre: a centre id such as city or nanming") }
            if let unit, !UnitsPolicy.isWellFormedID(unit) { throw ValidationError("--unit: a unit id such as nanming-office") }
            if role.unitKinds != nil, unit == nil { throw ValidationError("--unit: a \(role.rawValue) belongs to a unit") }
        }

        func run() async throws {
            try await reportingErrors {
                let dir = URL(fileURLWithPath: out)
                try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                let keyFile = dir.appendingPathComponent("staff-\(name).key.pem")
                let requestFile = dir.appendingPathComponent("staff-\(name).enrol.json")
                let key = Ed25519PrivateKey.generate()
                let passphrase = try Passphrase.obtain(purpose: "your new staff key", demo: false, confirm: true)
                try SecureFile.create(keyFile, text: try key.encryptedPEM(passphrase: passphrase), mode: 0o600)
                let request = try EnrolmentRequest.make(name: name, role: role, centre: centre ?? "city", unit: unit, key: key,
                                                        at: Int64(Date().timeIntervalSince1970))
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                try SecureFile.create(requestFile, bytes: Array(try encoder.encode(request)) + [0x0A], mode: 0o644)
                print(say("密钥：\(keyFile.path)（密钥编号 \(key.publicKey.keyID)）— 只保存在本机", "key:     \(keyFile.path) (key id \(key.publicKey.keyID)) — keep it on this machine"))
                print(say("申请：\(requestFile.path) — 交给管理员：tipline-admin staff approve \(requestFile.lastPathComponent)",
                          "request: \(requestFile.path) — give it to an administrator: tipline-admin staff approve \(requestFile.lastPathComponent)"))
            }
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "管理员：批准工作人员申请 / Administrators: approve an enrolment request.",
            discussion: "identity-holder, supervisor, accountant and admin need two different administrators: the first approval is recorded as pending, a second administrator's approval of the same file enrols the key. A sole administrator may enrol a second administrator alone.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The request file written by `staff enroll`.") var request: String

        func run() async throws {
            try await reportingErrors {
                guard let data = FileManager.default.contents(atPath: request),
                      let parsed = try? JSONDecoder().decode(EnrolmentRequest.self, from: data) else {
                    throw CLIError.input(say("\(request) 不是工作人员申请文件", "\(request) is not an enrolment request"))
                }
                if let raw = Hex.decode(parsed.publicKey), let problem = Ed25519PointCheck.problem(raw) {
                    throw CLIError.input("拒绝：申请中的公钥不可用（\(problem)）/ refused: \(problem)")
                }
                guard parsed.verifiedKey() != nil else { throw CLIError.input(say("申请中的持有证明无法验证", "the request's proof of possession does not verify")) }
                let member = try await connection.session().call(.enrolStaff, body: parsed, as: StaffView.self)
                let role = say("\(member.role.label(.zh))@\(member.centre)", "\(member.role.rawValue)@\(member.centre)")
                let who = TerminalText.clean(say("\(member.name)（\(role)，密钥编号 \(member.keyID)）", "\(member.name) as \(role) (key id \(member.keyID))"))
                if member.pending != nil {
                    print(say("已记录第一位管理员的批准，需另一位管理员再次批准 \(who)", "first approval recorded: another administrator must approve \(who)"))
                } else {
                    print(say("已登记 \(who)", "enrolled \(who)"))
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "工作人员名录（含已吊销）/ List staff keys, revoked ones included.")
        @OptionGroup var connection: ConnectionOptions
        @Flag(help: "Machine-readable output.") var json = false

        func run() async throws {
            try await reportingErrors {
                let session = try connection.session()
                let staff = try await session.call(.listStaff, as: [StaffView].self)
                if json { try printJSON(staff); return }
                let show = Presenter(policies: try? connection.place.open().policies, staff: staff)
                printTable([say("姓名", "NAME"), say("角色", "ROLE"), say("中心", "CENTRE"), say("登记时间", "ENROLLED"), say("吊销时间", "REVOKED"),
                            say("密钥编号", "KEY ID")], staff.map {
                    [$0.name, $0.role.label(UILanguage.current), show.centre($0.centre), ShownTime.text(iso: $0.enrolledAt),
                     $0.revokedAt.map { ShownTime.text(iso: $0) } ?? "-", $0.keyID]
                })
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "管理员：吊销工作人员密钥 / Administrators: revoke a staff key.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The key id.") var keyID: String
        @Option(help: "Why.") var reason: String

        func run() async throws {
            try await reportingErrors {
                try ClearText.check([("--reason", reason)])
                _ = try await connection.session().call(.revokeStaff, keyID, body: ReasonBody(reason: reason), as: Acknowledged.self)
                print(say("已吊销 \(keyID)", "revoked \(keyID)"))
            }
        }
    }

    struct WhoAmICommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "whoami", abstract: "显示您正在使用的工作人员身份 / Show which staff key you are using.")
        @OptionGroup var connection: ConnectionOptions
        func run() async throws {
            try await reportingErrors {
                let session = try connection.session()
                let me = try await session.whoami()
                let via = session.signer.isAgent ? say("（密钥代理）", " (key agent)") : ""
                print(TerminalText.clean(say("\(me.name)  \(me.role.label(.zh))@\(me.centre)  密钥编号 \(me.keyID)\(via)",
                                             "\(me.name)  \(me.role.rawValue)@\(me.centre)  key id \(me.keyID)\(via)")))
            }
        }
    }
}


/// `tipline-admin stats`: counts by centre, status, category and urgency; on-time rate per tier.
struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "统计：举报受理情况与成果统计表 / Tip statistics and the results table.",
                                                    subcommands: [Summary.self, ResultsTable.self], defaultSubcommand: Summary.self)
}

extension StatsCommand {
    struct Summary: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "summary", abstract: "统计：按中心、状态、类别、紧急程度、来源渠道；超时；及时率 / Counts by centre, status, category, urgency, channel; overdue; on-time rate per tier.")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "Tips received from this date, YYYY-MM-DD (China time; default with --to or --html: 1 January).") var from: String?
        @Option(help: "…to this date, inclusive (default: today).") var to: String?
        @Option(help: "Write a printable HTML report with charts (inline SVG) for the period.") var html: String?
        @Flag(help: "Machine-readable output.") var json = false

        func run() async throws {
            try await reportingErrors {
                if from != nil || to != nil || html != nil {
                    try await period()
                    return
                }
                let stats = try await connection.session().call(.stats, as: TipStats.self)
                if json { try printJSON(stats); return }
                let show = Presenter(policies: try? connection.place.open().policies, staff: [])
                print(say("举报总数：\(stats.total)", "total tips: \(stats.total)"))
                let name: [String: (String) -> String] = [
                    "centre": show.centre, "status": { TipStatus(rawValue: $0).map(show.status) ?? $0 }, "category": show.category,
                    "urgency": { Urgency(rawValue: $0).map(show.urgency) ?? $0 },
                    "channel": { TipChannel(rawValue: $0)?.label(UILanguage.current) ?? $0 },
                ]
                for (title, kind, counts) in [(say("按中心", "by centre"), "centre", stats.byCentre), (say("按状态", "by status"), "status", stats.byStatus),
                                              (say("按类别", "by category"), "category", stats.byCategory), (say("按紧急程度", "by urgency"), "urgency", stats.byUrgency),
                                              (say("按来源渠道", "by channel"), "channel", stats.byChannel),
                                              (say("超时（按中心）", "overdue by centre"), "centre", stats.overdueByCentre)] {
                    print("\n\(title)")
                    printTable(["", say("数量", "COUNT")], counts.map { [name[kind]!($0.key), String($0.count)] })
                }
                print(say("\n首次处理及时率（S-4.1）", "\non-time first action (S-4.1)"))
                printTable([say("紧急程度", "URGENCY"), say("已处理", "ACTED"), say("按时", "ON TIME"), say("及时率", "RATE")], stats.onTime.map {
                    [Urgency(rawValue: $0.urgency).map(show.urgency) ?? $0.urgency, String($0.acted), String($0.onTime),
                     $0.acted == 0 ? "-" : "\($0.onTime * 100 / $0.acted)%"]
                })
            }
        }

        /// Tips received in a period: by centre, status, outcome, category, urgency and channel, on-time per centre.
        private func period() async throws {
            let today = CivilDate.today(at: Int64(Date().timeIntervalSince1970))
            let start = from ?? String(today.prefix(4)) + "-01-01", end = to ?? today
            guard CivilDate.isValid(start), CivilDate.isValid(end), start <= end else {
                throw CLIError.input(say("--from/--to 应为日期 YYYY-MM-DD，且起不晚于止", "--from and --to are dates YYYY-MM-DD, from ≤ to"))
            }
            let stats = try await connection.session().call(.periodStats, query: [("from", start), ("to", end)], as: PeriodStats.self)
            if json { try printJSON(stats); return }
            let show = Presenter(policies: try? connection.place.open().policies, staff: [])
            let sections = StatsReport.sections(stats, show: show)
            print(say("\(start) 至 \(end) 收到举报：\(stats.total)", "tips received \(start) to \(end): \(stats.total)"))
            for section in sections {
                print("\n\(section.title)")
                printTable(["", say("数量", "COUNT")], section.rows.map { [$0.label, $0.text] })
            }
            if let html {
                try Data(StatsReport.html(stats, sections: sections).utf8).write(to: URL(fileURLWithPath: html))
                print(say("\n已生成报告 \(html)", "\nreport written to \(html)"))
            }
        }
    }
}

/// The period statistics as labelled sections, and as a printable HTML report with a chart per section.
enum StatsReport {
    struct Section {
        let title: String
        let rows: [(label: String, value: Int, text: String)]
    }

    static func sections(_ stats: PeriodStats, show: Presenter) -> [Section] {
        func rows(_ counts: [TipStats.Count], _ name: (String) -> String) -> [(label: String, value: Int, text: String)] {
            counts.sorted { $0.count > $1.count }.map { (name($0.key), $0.count, String($0.count)) }
        }
        let outcome: (String) -> String = { key in TipStatus(rawValue: key).map(show.status) ?? key }
        return [
            Section(title: say("按中心", "by centre"), rows: rows(stats.byCentre, show.centre)),
            Section(title: say("按办理结果（已办结的按核查结论）", "by outcome (closed tips by what they were found to be)"), rows: rows(stats.byOutcome, outcome)),
            Section(title: say("按状态", "by status"), rows: rows(stats.byStatus, outcome)),
            Section(title: say("按类别", "by category"), rows: rows(stats.byCategory, show.category)),
            Section(title: say("按紧急程度", "by urgency"), rows: rows(stats.byUrgency, { Urgency(rawValue: $0).map(show.urgency) ?? $0 })),
            Section(title: say("按来源渠道", "by channel"), rows: rows(stats.byChannel, { TipChannel(rawValue: $0)?.label(UILanguage.current) ?? $0 })),
            Section(title: say("各中心首次处理及时率（S-4.1）", "on-time first action per centre (S-4.1)"), rows: stats.onTimeByCentre.map {
                (show.centre($0.centre), $0.acted == 0 ? 0 : $0.onTime * 1000 / $0.acted,
                 $0.acted == 0 ? "-" : "\($0.onTime * 1000 / $0.acted / 10).\($0.onTime * 1000 / $0.acted % 10)%（\($0.onTime)/\($0.acted)）")
            }),
        ]
    }

    static func html(_ stats: PeriodStats, sections: [Section], now: Int64 = Int64(Date().timeIntervalSince1970)) -> String {
        let e = PrintableHTML.escaped
        let body = sections.map { section in
            let table = section.rows.map { "<tr><td>\(e($0.label))</td><td class=\"num\">\(e($0.text))</td></tr>" }.joined(separator: "\n")
            return "<section><h2>\(e(section.title))</h2>\(PrintableHTML.barChart(section.rows, label: section.title))<table><tbody>\(table)</tbody></table></section>"
        }.joined(separator: "\n")
        return PrintableHTML.page(title: "举报受理统计 \(stats.from)–\(stats.to)", body: """
            <h1>“扫黄打非”举报受理统计</h1>
            <p class="meta">统计期：\(e(stats.from)) 至 \(e(stats.to))（北京时间）　举报总数：\(stats.total)　生成时间：\(e(ShownTime.text(now)))</p>
            \(body)
            """, extraStyle: "section { page-break-inside: avoid; }")
    }
}

