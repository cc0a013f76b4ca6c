import AdminClient
import ArgumentParser
import Foundation
import TiplineAdminAPI
import TiplineCore
import TiplineDeployment

/// `tipline-admin assess …` (issue 17, S-3.5, S-3.6, S-6.3): the city office's yearly assessment of
/// every node. The server computes the draft from the data under `Policies/assessment.yaml`; assessors
/// adjust it with reasons and freeze it (the request signs the results hash they reviewed); the
/// ranking and the draft notice (通报) are written here as CSV or printable HTML.
struct AssessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assess", abstract: "年度考核：计算、加减分、冻结、排名、通报 / The yearly assessment: compute, adjust, freeze, ranking, notice (S-3.5).",
        subcommands: [Compute.self, Adjust.self, Freeze.self, Ranking.self, Notice.self, Subsidy.self])

    /// `--year`, checked here before anything is sent.
    static func checkedYear(_ year: Int) throws -> Int {
        guard AssessmentScoring.isValidYear(year) else { throw CLIError.input(say("--year 应为 2016–2100 之间的年份", "--year is a year 2016–2100")) }
        return year
    }

    /// The year's results from the server (frozen if frozen, else the draft computed now).
    static func results(_ year: Int, _ connection: ConnectionOptions) async throws -> AssessmentReply {
        try await connection.session().call(.assessment, String(try checkedYear(year)), as: AssessmentReply.self)
    }

    /// `草稿（按 … 的数据计算）` or `已冻结（… 由 … 冻结）`: which results these are.
    static func stateLine(_ reply: AssessmentReply) -> String {
        let at = ShownTime.text(iso: reply.asOf)
        return reply.state == "frozen"
            ? say("\(reply.year) 年度考核结果：已冻结（\(at) 由 \(reply.frozenBy ?? "") 冻结，结果不再改变）", "\(reply.year) assessment: frozen (at \(at) by \(reply.frozenBy ?? ""); it never changes)")
            : say("\(reply.year) 年度考核结果：草稿（按 \(at) 的数据计算，尚未冻结）", "\(reply.year) assessment: draft (computed from the data at \(at); not frozen)")
    }

    struct Compute: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "按数据计算年度考核草稿（含加减分）/ The draft computed from the data, with adjustments.",
            discussion: "Every criterion of assessment.yaml per unit: measure, computed points, adjustments, points. Once frozen, the frozen results.")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "The year, e.g. 2026.") var year: Int
        @Option(help: "One unit's points per criterion.") var unit: String?
        @Flag(help: "Machine-readable output.") var json = false

        func run() async throws {
            try await reportingErrors {
                let reply = try await AssessCommand.results(year, connection)
                if json { try printJSON(reply); return }
                print(AssessCommand.stateLine(reply))
                if let unit {
                    guard let result = reply.units.first(where: { $0.unit == unit }) else { throw CLIError.notFound(say("没有被考核的单位 \(unit)", "no unit assessed named \(unit)")) }
                    let names = Dictionary(uniqueKeysWithValues: reply.criteria.map { ($0.id, UILanguage.current == .zh ? $0.nameZh : $0.nameEn) })
                    print(say("\(result.nameZh)：第 \(result.rank) 名，合计 \(result.total) 分", "\(result.nameEn): rank \(result.rank), \(result.total) points"))
                    printTable([say("考核项目", "CRITERION"), say("计量", "MEASURE"), say("计算分", "COMPUTED"), say("加减分", "ADJUSTED"), say("得分", "POINTS")],
                               result.scores.map { [names[$0.criterion] ?? $0.criterion, $0.measure.map(String.init) ?? "—", String($0.computed), String($0.adjusted), String($0.points)] })
                    return
                }
                printTable([say("名次", "RANK"), say("单位", "UNIT"), "ID", say("合计", "TOTAL")],
                           reply.units.map { [String($0.rank), UILanguage.current == .zh ? $0.nameZh : $0.nameEn, $0.unit, String($0.total)] })
                print(say("结果哈希：\(reply.resultsSHA256)", "results hash: \(reply.resultsSHA256)"))
            }
        }
    }

    struct Adjust: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "考核加减分（须注明理由，记入审计日志）/ Add or take points on a unit's criterion, with a reason (audited).",
            discussion: "Refused once the year is frozen. Points are whole numbers, negative to take away.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The unit id, e.g. nanming-office.") var unit: String
        @Option(help: "The year, e.g. 2026.") var year: Int
        @Option(help: "The criterion id of assessment.yaml.") var criterion: String
        @Option(help: "Points to add (negative to take away).", transform: { text in
            guard let value = Int(text) else { throw CLIError.input(say("--points 应为整数", "--points is a whole number")) }
            return value
        }) var points: Int
        @Option(help: "Why (one line, at most 200 characters).") var reason: String

        func run() async throws {
            try await reportingErrors {
                let year = try AssessCommand.checkedYear(year)
                guard points != 0 else { throw CLIError.input(say("--points 不能为 0", "--points cannot be 0")) }
                guard let clean = ReasonText.clean(reason), clean.count <= 200 else {
                    throw CLIError.input(say("--reason 必填：一行，不超过 200 字，未发送任何内容", "--reason is required: one line, at most 200 characters; nothing was sent"))
                }
                let current = try await AssessCommand.results(year, connection)
                guard current.state != "frozen" else {
                    throw CLIError.refused(say("\(year) 年度考核结果已冻结，不能再加减分；未作任何更改", "the \(year) assessment is frozen: no adjustment; nothing was changed"))
                }
                guard let target = current.units.first(where: { $0.unit == unit }) else {
                    throw CLIError.input(say("\(unit) 不是被考核的单位；未作任何更改", "\(unit) is not a unit assessed; nothing was changed"))
                }
                guard target.scores.contains(where: { $0.criterion == criterion }) else {
                    throw CLIError.input(say("考核项目 \(criterion) 不适用于 \(target.nameZh)（见 assessment.yaml）；未作任何更改",
                                             "criterion \(criterion) does not apply to \(unit) (assessment.yaml); nothing was changed"))
                }
                let view = try await connection.session().call(.adjustAssessment, body: AdjustAssessmentBody(year: year, unit: unit, criterion: criterion,
                                                                                                             points: points, reason: clean),
                                                               as: AssessmentAdjustmentView.self)
                print(say("已记录：\(target.nameZh) \(view.criterion) \(view.points > 0 ? "+" : "")\(view.points) 分（\(view.reason)）",
                          "recorded: \(unit) \(view.criterion) \(view.points > 0 ? "+" : "")\(view.points) (\(view.reason))"))
            }
        }
    }

    struct Freeze: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "冻结年度考核结果（考核人签名，不可更改）/ Freeze the year's results (signed by the assessor; they never change).",
            discussion: "Computes the draft, then sends its results hash in the signed request: the server stores exactly that draft or refuses.")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "The year, e.g. 2026.") var year: Int

        func run() async throws {
            try await reportingErrors {
                let draft = try await AssessCommand.results(year, connection)
                guard draft.state != "frozen" else {
                    throw CLIError.refused(say("\(draft.year) 年度考核结果已于 \(ShownTime.text(iso: draft.asOf)) 冻结；未作任何更改",
                                               "the \(draft.year) assessment was frozen at \(ShownTime.text(iso: draft.asOf)); nothing was changed"))
                }
                let frozen = try await connection.session().call(.freezeAssessment, body: FreezeAssessmentBody(year: draft.year, resultsSHA256: draft.resultsSHA256),
                                                                 as: FrozenRanking.self)
                print(say("已冻结 \(frozen.year) 年度考核结果：\(frozen.units.count) 个单位，结果哈希 \(frozen.resultsSHA256)（\(ShownTime.text(iso: frozen.frozenAt))）",
                          "froze the \(frozen.year) assessment: \(frozen.units.count) units, results hash \(frozen.resultsSHA256) (\(ShownTime.text(iso: frozen.frozenAt)))"))
            }
        }
    }

    struct Ranking: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "考核排名（冻结结果，未冻结时为草稿）/ The ranking: frozen results, or the draft before the freeze.")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "The year, e.g. 2026.") var year: Int
        @Option(help: "Write CSV (every criterion's points) to this file.") var csv: String?
        @Option(help: "Write a printable HTML ranking with a chart to this file.") var html: String?
        @Flag(help: "The frozen ranking only (refused before the freeze): what unit subsidies build on.") var frozen = false
        @Flag(help: "Machine-readable output.") var json = false

        func run() async throws {
            try await reportingErrors {
                if frozen {
                    let ranking: FrozenRanking
                    do {
                        ranking = try await connection.session().call(.frozenAssessment, String(try AssessCommand.checkedYear(year)), as: FrozenRanking.self)
                    } catch CLIError.notFound {
                        throw CLIError.notFound(say("\(year) 年度考核结果尚未冻结", "the \(year) assessment is not frozen yet"))
                    }
                    if json { try printJSON(ranking); return }
                    print(say("\(ranking.year) 年度考核结果（已冻结，\(ShownTime.text(iso: ranking.frozenAt))，\(ranking.frozenBy)）结果哈希 \(ranking.resultsSHA256)",
                              "\(ranking.year) assessment (frozen at \(ShownTime.text(iso: ranking.frozenAt)) by \(ranking.frozenBy)), results hash \(ranking.resultsSHA256)"))
                    printTable([say("名次", "RANK"), say("单位", "UNIT"), say("合计", "TOTAL")], ranking.units.map { [String($0.rank), $0.nameZh, String($0.total)] })
                    return
                }
                let reply = try await AssessCommand.results(year, connection)
                if json { try printJSON(reply); return }
                if let csv {
                    try SecureFile.create(URL(fileURLWithPath: csv), bytes: Array("\u{FEFF}".utf8) + Array(AssessmentPages.csv(reply).utf8), mode: 0o600)
                }
                if let html {
                    try SecureFile.create(URL(fileURLWithPath: html), bytes: Array(AssessmentPages.ranking(reply).utf8), mode: 0o600)
                }
                print(AssessCommand.stateLine(reply))
                printTable([say("名次", "RANK"), say("单位", "UNIT"), say("合计", "TOTAL")],
                           reply.units.map { [String($0.rank), UILanguage.current == .zh ? $0.nameZh : $0.nameEn, String($0.total)] })
            }
        }
    }

    struct Notice: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "起草年度考核通报（表扬与批评的单位、排名表和图表）/ Draft the notice (通报): commended and criticised units, table and chart.")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "The year, e.g. 2026.") var year: Int
        @Option(help: "The HTML file to write.") var out: String

        func run() async throws {
            try await reportingErrors {
                let reply = try await AssessCommand.results(year, connection)
                try SecureFile.create(URL(fileURLWithPath: out), bytes: Array(AssessmentPages.notice(reply, now: Int64(Date().timeIntervalSince1970)).utf8), mode: 0o600)
                print(AssessCommand.stateLine(reply))
                print(say("通报草稿已写入 \(out)：表扬 \(reply.commended.count) 个单位，批评 \(reply.criticised.count) 个单位",
                          "notice draft written to \(out): \(reply.commended.count) commended, \(reply.criticised.count) criticised"))
            }
        }
    }
}
