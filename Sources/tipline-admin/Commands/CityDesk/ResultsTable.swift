import AdminClient
import ArgumentParser
import Foundation
import TiplineAdminAPI
import TiplineCore
import TiplineDeployment

extension StatsCommand {
    /// `tipline-admin stats results` (issue 16, S-5.4): the results statistics table (成果统计表) — one
    /// row per node, the columns of `Policies/statistics.yaml`, computed here from the ledgers' records
    /// (opened with the caller's content key: each page an audited read), the tips and the items, plus
    /// the city office's manual figures.
    struct ResultsTable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "results",
            abstract: "成果统计表：按单位汇总台账、举报和信息 / The results table: ledgers, tips and items per node (S-5.4).",
            discussion: "The city office (all nodes) or a unit's own staff (--unit, their own). Needs the deployment's policies (--deployment) for statistics.yaml.")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "2026-11, 2026-Q2 or 2026.") var period: String
        @Option(help: "One unit only.") var unit: String?
        @Option(help: "A JSON file of manual figures: {\"unit-id\": {\"column-id\": 3}}.") var manual: String?
        @Option(help: "Write CSV to this file.") var csv: String?
        @Option(help: "Write a printable HTML table to this file.") var html: String?
        @Flag(help: "Machine-readable output.") var json = false

        func run() async throws {
            try await reportingErrors {
                guard let parsed = ReportingPeriod(period) else { throw CLIError.input(say("--period 应为 2026-11、2026-Q2 或 2026", "--period is 2026-11, 2026-Q2 or 2026")) }
                let policies = try TipsCommand.Record.policies(connection)
                let columns = policies.statistics.columns
                let manualFigures = try readManual(columns: columns)
                let session = try connection.session()
                let units = try await session.call(.units, as: [UnitSummary].self).map(\.unit).filter { $0.isNode && (unit == nil || $0.id == unit) }
                guard !units.isEmpty else { throw CLIError.input(say("没有单位 \(unit ?? "")", "no unit \(unit ?? "")")) }
                var table: [String: [String: Int]] = [:]
                func add(_ unit: String, _ column: String, _ value: Int) { table[unit, default: [:]][column, default: 0] += value }
                // Ledgers: each one's records of the period opened once.
                var opened: [String: [BooksText.Opened]] = [:]
                for column in columns where column.source == .booksCount || column.source == .booksSum {
                    guard let book = column.book, let ledger = policies.ledgers.ledger(book) else { continue }
                    if opened[book] == nil {
                        opened[book] = try await BooksText.openRecords(ledger, unit: unit, period: parsed.text, limit: Int.max, session: session, connection: connection)
                    }
                    for record in opened[book] ?? [] {
                        if column.source == .booksCount {
                            add(record.view.unit, column.id, 1)
                        } else if let field = column.field, let value = record.content.values[field] {
                            add(record.view.unit, column.id, Int(value.prefix { $0.isNumber || $0 == "-" }) ?? 0)
                        }
                    }
                }
                // Tips, by the node's reporting centre.
                if columns.contains(where: { $0.source == .tipsReceived || $0.source == .tipsVerified }) {
                    let stats = try await session.call(.periodStats, query: [("from", CivilDate.today(at: parsed.start)), ("to", CivilDate.today(at: parsed.end - 1))],
                                                       as: PeriodStats.self)
                    for node in units {
                        guard let centre = node.centre?.rawValue else { continue }
                        for column in columns {
                            if column.source == .tipsReceived { add(node.id, column.id, stats.byCentre.first { $0.key == centre }?.count ?? 0) }
                            if column.source == .tipsVerified { add(node.id, column.id, stats.verifiedByCentre.first { $0.key == centre }?.count ?? 0) }
                        }
                    }
                }
                // Items, by the submitting unit.
                if columns.contains(where: { $0.source == .itemsSubmitted || $0.source == .itemsAdopted }) {
                    let adoption = try await session.call(.adoption, query: [("period", parsed.text), ("by", "unit")], as: AdoptionReply.self)
                    for row in adoption.rows {
                        for column in columns {
                            if column.source == .itemsSubmitted { add(row.key, column.id, row.submitted) }
                            if column.source == .itemsAdopted { add(row.key, column.id, row.adoptedItems) }
                        }
                    }
                }
                for (unitID, figures) in manualFigures { for (column, value) in figures { add(unitID, column, value) } }
                let rows = units.map { node in (node, columns.map { table[node.id]?[$0.id] ?? 0 }) }
                let totals = columns.indices.map { index in rows.reduce(0) { $0 + $1.1[index] } }
                if json {
                    try printJSON(Dictionary(uniqueKeysWithValues: rows.map { ($0.0.id, Dictionary(uniqueKeysWithValues: zip(columns.map(\.id), $0.1))) }))
                    return
                }
                let names = columns.map { UILanguage.current == .zh ? $0.nameZh : $0.nameEn }
                if let csv {
                    let text = ([CSVText.row(["unit", "name"] + columns.map(\.id))] + rows.map { CSVText.row([$0.0.id, $0.0.nameZh] + $0.1.map(String.init)) }
                                + [CSVText.row(["total", "合计"] + totals.map(String.init))]).joined(separator: "\r\n") + "\r\n"
                    try SecureFile.create(URL(fileURLWithPath: csv), bytes: Array("\u{FEFF}".utf8) + Array(text.utf8), mode: 0o600)
                }
                if let html {
                    let e = PrintableHTML.escaped
                    let header = "<tr><th>单位</th>" + columns.map { "<th>\(e($0.nameZh))</th>" }.joined() + "</tr>"
                    let body = rows.map { "<tr><td>\(e($0.0.nameZh))</td>" + $0.1.map { "<td class=\"num\">\($0)</td>" }.joined() + "</tr>" }.joined(separator: "\n")
                        + "<tr><th>合计</th>" + totals.map { "<th class=\"num\">\($0)</th>" }.joined() + "</tr>"
                    let page = PrintableHTML.page(title: "成果统计表 \(parsed.text)", body: """
                        <h1>“扫黄打非”工作成果统计表</h1>
                        <p class="meta">统计期：\(e(parsed.text))　生成时间：\(e(ShownTime.text(Int64(Date().timeIntervalSince1970))))</p>
                        <table><thead>\(header)</thead><tbody>
                        \(body)
                        </tbody></table>
                        """, extraStyle: "@page { size: A4 landscape; } th, td { font-size: 9pt; }")
                    try SecureFile.create(URL(fileURLWithPath: html), bytes: Array(page.utf8), mode: 0o600)
                }
                printTable([say("单位", "UNIT")] + names, rows.map { [$0.0.nameZh] + $0.1.map(String.init) } + [[say("合计", "total")] + totals.map(String.init)])
            }
        }

        private func readManual(columns: [ResultColumn]) throws -> [String: [String: Int]] {
            guard let manual else { return [:] }
            guard let data = FileManager.default.contents(atPath: manual),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: [String: Int]] else {
                throw CLIError.input(say("\(manual) 应为 JSON：{\"单位\": {\"栏目\": 整数}}", "\(manual) is JSON: {\"unit\": {\"column\": integer}}"))
            }
            let manualColumns = Set(columns.filter { $0.source == .manual }.map(\.id))
            for (unit, figures) in object {
                if let column = figures.keys.first(where: { !manualColumns.contains($0) }) {
                    throw CLIError.input(say("\(unit) 的 \(column) 不是手工填报栏目（statistics.yaml source: manual）", "\(unit): \(column) is not a manual column (statistics.yaml source: manual)"))
                }
                if let negative = figures.first(where: { $0.value < 0 }) {
                    throw CLIError.input(say("\(unit) 的 \(negative.key) 不能为负数", "\(unit): \(negative.key) cannot be negative"))
                }
            }
            return object
        }
    }
}
