import AdminClient
import ArgumentParser
import Foundation
import TiplineAdminAPI
import TiplineCore

extension TipsCommand {
    struct Queue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "本中心可见的举报，最紧急的在前 / List tips your centre can see, most urgent first.")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "Only tips of this centre.") var centre: String?
        @Option(help: "Only tips in this status (received, triaged, … or 已接收, 已受理, …).") var status: TipStatus?
        @Flag(help: "Only tips past their due time.") var overdue = false
        @Flag(help: "Only tips assigned to me.") var mine = false
        @OptionGroup var page: PageOption
        @Flag(help: "Machine-readable output.") var json = false
        @Flag(help: "Show key ids beside names.") var verbose = false

        func run() async throws {
            try await reportingErrors {
                let session = try connection.session()
                var query = [(name: "limit", value: "\(page.limit)")]
                if let centre { query.append(("centre", centre)) }
                if let status { query.append(("status", status.rawValue)) }
                if overdue { query.append(("overdue", "1")) }
                if mine { query.append(("mine", "1")) }
                let tips = try await session.call(.queue, query: query, as: [TipSummary].self)
                let show = try await Presenter.load(session, deployment: connection.deploymentRoot, verbose: verbose)
                try TipTable.print(tips, json: json, show: show)
            }
        }
    }

    struct Overdue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "超过 S-4.1 时限的举报，超时最久的在前 / List tips past their S-4.1 due time, most overdue first.",
            discussion: "`stats` gives how many are overdue per centre; `--limit` (at most 10000) shows more of them.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var page: PageOption
        @Flag(help: "Machine-readable output.") var json = false
        @Flag(help: "Show key ids beside names.") var verbose = false

        func run() async throws {
            try await reportingErrors {
                let session = try connection.session()
                let tips = try await session.call(.overdue, query: [("limit", "\(page.limit)")], as: [TipSummary].self)
                try TipTable.print(tips, json: json, show: try await Presenter.load(session, deployment: connection.deploymentRoot, verbose: verbose))
                if !json, tips.count == page.limit {
                    FileHandle.standardError.write(Data(say("（仅显示超时最久的 \(page.limit) 条；`stats` 统计全部，`--limit` 显示更多）\n",
                                                            "(the \(page.limit) most overdue shown; `stats` counts them all, `--limit` shows more)\n").utf8))
                }
            }
        }
    }
}
