import AdminClient
import ArgumentParser
import Foundation
import TiplineAdminAPI
import TiplineCore
import TiplineDeployment

extension BooksCommand {
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "导出一期台账为 CSV 或 XLSX（在本机解密；读取记入审计）/ Export a ledger's period as CSV or XLSX: opened here, the read audited.",
            discussion: "A dated ledger exports the records dated in the period; a register the records as they stood at its end (each at its newest version by then). Names of individual operators are never exported. The file is made new, readable by you only (0600); an existing file is not overwritten.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The ledger.") var book: String
        @Option(help: "2026-11, 2026-Q2 or 2026.") var period: String
        @Option(help: "One unit (the city office).") var unit: String?
        @Option(help: "Write CSV (UTF-8, RFC 4180) to FILE.") var csv: String?
        @Option(help: "Write an Excel workbook to FILE.") var xlsx: String?

        func validate() throws {
            guard (csv == nil) != (xlsx == nil) else { throw ValidationError("give one of --csv FILE or --xlsx FILE") }
        }

        func run() async throws {
            try await reportingErrors {
                guard let parsed = ReportingPeriod(period) else { throw CLIError.input(say("--period 应为 2026-11、2026-Q2 或 2026", "--period is 2026-11, 2026-Q2 or 2026")) }
                let target = URL(fileURLWithPath: csv ?? xlsx ?? "")
                guard !FileManager.default.fileExists(atPath: target.path) else {
                    throw CLIError.input(say("\(target.path) 已存在：不覆盖", "\(target.path) exists: it is not overwritten"))
                }
                let session = try connection.session()
                let policy = try await BooksText.policy(session)
                let ledger = try BooksText.ledger(book, in: policy)
                let sheet: Spreadsheet
                if ledger.isWritable {
                    let opened = try await BooksText.openRecords(ledger, unit: unit, period: parsed.text, limit: Int.max, session: session,
                                                                 connection: connection)
                    sheet = BooksText.recordSheet(ledger, opened, unitName: try await NetworkText.unitNames(session: session))
                } else {
                    sheet = BooksText.tipLeadSheet(try await BooksText.tipLeads(session: session, period: parsed.text, limit: 1_000_000))
                }
                let bytes: [UInt8]
                if csv != nil {
                    let lines = [CSVText.row(sheet.header)] + sheet.rows.map { CSVText.row($0.map(BooksText.text)) }
                    // The byte-order mark lets Excel and WPS read the Chinese as UTF-8.
                    bytes = Array("\u{FEFF}".utf8) + Array((lines.joined(separator: "\r\n") + "\r\n").utf8)
                } else {
                    do {
                        bytes = Array(try XLSXWriter.data(sheet))
                    } catch {
                        throw CLIError.io(say("无法生成 XLSX", "cannot make the workbook"))
                    }
                }
                do {
                    try SecureFile.create(target, bytes: bytes, mode: 0o600)
                } catch {
                    throw CLIError.io(say("无法写入 \(target.path)", "cannot write \(target.path)"))
                }
                print(say("已导出\(ledger.nameZh) \(parsed.text) 共 \(sheet.rows.count) 条：\(target.path)",
                          "exported \(sheet.rows.count) rows of \(ledger.id) for \(parsed.text) to \(target.path)"))
            }
        }
    }
}

extension BooksText {
    /// A ledger's records as a sheet: id, unit, version, when written, then every unsealed field (names of
    /// individual operators never leave their envelope this way).
    static func recordSheet(_ ledger: Book, _ opened: [Opened], unitName: (String) -> String) -> Spreadsheet {
        let fields = ledger.fields.filter { !$0.sealed }
        let header = [say("编号", "Record"), say("单位", "Unit"), say("版本", "Version"), say("写入时间", "Written")] + fields.map { $0.name(UILanguage.current) }
        return Spreadsheet(name: ledger.name(UILanguage.current), header: header, rows: opened.map { item in
            [.text(item.view.record), .text(unitName(item.view.unit)), .number(Int64(item.view.version)), .text(ShownTime.text(iso: item.view.writtenAt))]
                + fields.map { field -> Spreadsheet.Cell in
                    guard let value = item.content.values[field.id] else { return .text("") }
                    if field.type == .integer, let number = Int64(value) { return .number(number) }
                    return .text(shown(value, field: field))
                }
        })
    }
}
