import AdminClient
import ArgumentParser
import Foundation
import LedgerModel
import NIOHTTP1
import Sealing
import TiplineAdminAPI
import TiplineCore
import TiplineDeployment

extension TipsCommand {
    struct Queue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tips your centre can see, most urgent first.")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "Only tips of this centre.") var centre: String?
        @Option(help: "Only tips in this status.") var status: TipStatus?
        @Flag(help: "Only tips past their due time.") var overdue = false
        @OptionGroup var page: PageOption
        @Flag(help: "Machine-readable output.") var json = false
        @Option(help: "Label language: zh or en.") var lang: Language = .zh

        func run() async throws {
            try await reportingErrors {
                let session = try connection.session()
                var query = [(name: "limit", value: "\(page.limit)")]
                if let centre { query.append(("centre", centre)) }
                if let status { query.append(("status", status.rawValue)) }
                if overdue { query.append(("overdue", "1")) }
                let tips = try await session.call(.queue, query: query, as: [TipSummary].self)
                try TipTable.print(tips, json: json, lang: lang, deployment: connection.deploymentRoot)
            }
        }
    }

    struct Overdue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List tips past their S-4.1 due time, most overdue first.",
            discussion: "`stats` gives how many are overdue per centre; `--limit` (at most 10000) shows more of them.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var page: PageOption
        @Flag(help: "Machine-readable output.") var json = false
        @Option(help: "Label language: zh or en.") var lang: Language = .zh

        func run() async throws {
            try await reportingErrors {
                let tips = try await connection.session().call(.overdue, query: [("limit", "\(page.limit)")], as: [TipSummary].self)
                try TipTable.print(tips, json: json, lang: lang, deployment: connection.deploymentRoot)
                if !json, tips.count == page.limit {
                    FileHandle.standardError.write(Data("(the \(page.limit) most overdue shown; `stats` counts them all, `--limit` shows more)\n".utf8))
                }
            }
        }
    }
}
