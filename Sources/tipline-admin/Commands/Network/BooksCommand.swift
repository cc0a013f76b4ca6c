import AdminClient
import ArgumentParser
import Foundation
import Sealing
import TiplineAdminAPI
import TiplineCore

/// `tipline-admin books …`: the seven ledgers (台账, issue 16, S-5.4). A record is checked against
/// `Policies/ledgers.yaml` and sealed here, to the unit's and the city office's content keys; personal
/// names of individual operators apart, to the city's identity key (and a district office's registry
/// key). Reading a record opens it here with your unit's content key; every read is audited.
struct BooksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "books",
        abstract: "台账：录入、修改（新版本）、查看、导出、零报告、完整性 / The seven ledgers: add, edit (a new version), list, show, export, zero reports, completeness.",
        discussion: """
            Ledgers: venues (出版物集中销售场所), inspections (出版物市场检查), logistics (出版物物流仓储企业), supervised-cases (督办案件), \
            tip-leads (举报线索, generated from the tips, read-only), printing (印刷复制企业), vendor-areas (游商摊点主要分布区域). \
            `books fields BOOK` lists a ledger's fields.
            """,
        subcommands: [Fields.self, Add.self, Edit.self, List.self, Show.self, Export.self, ZeroReport.self, Completeness.self])

    struct Fields: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "台账及其字段 / The ledgers, or one ledger's fields.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "A ledger (default: all).") var book: String?
        @Flag(help: "Machine-readable output.") var json = false

        func run() async throws {
            try await reportingErrors {
                let policy = try await BooksText.policy(try connection.session())
                guard let book else {
                    if json { try printJSON(policy); return }
                    printTable([say("台账", "LEDGER"), say("名称", "NAME"), say("编号", "IDS"), say("字段数", "FIELDS")], policy.ledgers.map {
                        [$0.id, $0.name(UILanguage.current), "\($0.prefix)-…", $0.isWritable ? String($0.fields.count) : say("由举报生成", "from the tips")]
                    })
                    return
                }
                let ledger = try BooksText.ledger(book, in: policy)
                if json { try printJSON(ledger); return }
                printTable([say("字段", "FIELD"), say("名称", "NAME"), say("类型", "TYPE"), say("必填", "REQUIRED"), say("说明", "NOTE")], ledger.fields.map { field in
                    let note: String
                    switch field.type {
                    case .enumeration: note = field.values.map { "\($0.id)（\($0.nameZh)）" }.joined(separator: " ")
                    case .quantity: note = field.units.joined(separator: " ")
                    case .link: note = field.links.joined(separator: " ")
                    case .text: note = (field.sealed ? say("密封（个体经营者姓名）；", "sealed (an individual operator's name); ") : "") + say("≤\(field.maxLength) 字", "≤\(field.maxLength) characters")
                    case .integer: note = [field.min.map { "≥\($0)" }, field.max.map { "≤\($0)" }].compactMap { $0 }.joined(separator: " ")
                    case .date: note = "YYYY-MM-DD"
                    case .areaCode: note = say("6/9/12 位区划代码", "6/9/12-digit area code")
                    }
                    return [field.id, field.name(UILanguage.current), field.type.rawValue, field.required ? say("是", "yes") : "", note]
                })
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "台账员/联络员：新增本单位的一条记录（在本机校验并加密）/ Clerks and liaisons: add a record of your unit (checked and sealed here).",
            discussion: "Values come from --file (a JSON object: field → value) and/or --field K=V (each once; --field wins). A value refused by ledgers.yaml (unknown field, missing required field, bad enum, bad date …) stops here: nothing is sent.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The ledger: venues, inspections, logistics, supervised-cases, printing, vendor-areas.") var book: String
        @OptionGroup var values: RecordValueOptions
        @Flag(help: "Machine-readable output.") var json = false

        func run() async throws {
            try await reportingErrors {
                let session = try connection.session()
                let policy = try await BooksText.policy(session)
                let ledger = try BooksText.ledger(book, in: policy)
                guard ledger.isWritable else {
                    throw CLIError.input(say("\(ledger.nameZh)由举报记录自动生成，不能录入：用 tipline-admin books list \(ledger.id) 查看",
                                             "the \(ledger.id) ledger is generated from the tips and cannot be written: see `tipline-admin books list \(ledger.id)`"))
                }
                let typed = try values.typed()
                let me = try await session.whoami()
                guard let unit = me.unit else { throw CLIError.refused(say("您的密钥没有所属单位", "your key has no unit")) }
                let record = try BooksText.validated(typed, ledger: ledger, unit: unit, policy: policy, counties: try await BooksText.counties(session))
                let body = try await BooksText.seal(record, ledger: ledger, session: session, connection: connection)
                let written = try await session.call(.addRecord, ledger.id, body: body, as: RecordWritten.self)
                if json { try printJSON(written); return }
                print(say("已新增\(ledger.nameZh)记录 \(written.record)（第 1 版）", "added \(written.record) to \(ledger.id) (version 1)"))
            }
        }
    }

    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "修改本单位的一条记录：写入新版本，旧版本保留 / Edit a record of your unit: a new version; every earlier one stays.",
            discussion: "--field K=V changes one field (K= clears an optional one); --file replaces every value. The current version is opened here with your unit's content key (an audited read). Sealed names you do not retype are kept as they are.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The ledger.") var book: String
        @Argument(help: "The record, e.g. JC-2026-000001.") var record: String
        @OptionGroup var values: RecordValueOptions
        @Flag(help: "Machine-readable output.") var json = false

        func run() async throws {
            try await reportingErrors {
                let session = try connection.session()
                let policy = try await BooksText.policy(session)
                let ledger = try BooksText.ledger(book, in: policy)
                guard ledger.isWritable else { throw CLIError.input(say("\(ledger.nameZh)不能修改", "the \(ledger.id) ledger cannot be edited")) }
                guard let id = BookRecordID(record), id.prefix == ledger.prefix else {
                    throw CLIError.input(say("\(record) 不是\(ledger.nameZh)的记录编号（\(ledger.prefix)-年份-序号）", "\(record) is not a record id of \(ledger.id) (\(ledger.prefix)-year-serial)"))
                }
                let given = try values.typed()
                let me = try await session.whoami()
                guard let unit = me.unit else { throw CLIError.refused(say("您的密钥没有所属单位", "your key has no unit")) }
                let key = try await BooksText.contentKey(unit, session: session, connection: connection)
                let current = try await session.call(.openRecords, ledger.id, body: OpenRecordsBody(record: id.description, limit: 1), as: [RecordVersionView].self)
                guard let latest = current.last else { throw CLIError.notFound(say("没有记录 \(id)", "no record \(id)")) }
                guard latest.unit == unit else { throw CLIError.refused(say("只能修改本单位的台账记录", "you edit your own unit's records only")) }
                let content = try BooksText.open(latest, ledger: ledger, with: key)
                let sealedGiven = given.keys.contains { ledger.field($0)?.sealed == true }
                var typed = values.file != nil ? given : content.values.merging(given) { _, new in new }
                // Names kept as they are: they stand in for required sealed fields while the values are checked.
                let keepNames = latest.hasNames && !sealedGiven
                if keepNames { for field in ledger.fields where field.sealed && field.required { typed[field.id] = "kept" } }
                var checked = try BooksText.validated(typed, ledger: ledger, unit: unit, policy: policy, counties: try await BooksText.counties(session))
                if keepNames { checked = BookRecord(book: checked.book, unit: checked.unit, values: checked.values, names: [:]) }
                guard checked.values != content.values || sealedGiven else {
                    throw CLIError.input(say("没有改动：未写入新版本", "nothing changed: no new version written"))
                }
                let body = try await BooksText.seal(checked, ledger: ledger, session: session, connection: connection, keepNames: keepNames,
                                                    baseVersion: latest.version)
                let written = try await session.call(.editRecord, id.description, body: body, as: RecordWritten.self)
                if json { try printJSON(written); return }
                print(say("已修改 \(written.record)：第 \(written.version) 版（第 1–\(written.version - 1) 版保留）",
                          "edited \(written.record): version \(written.version) (versions 1–\(written.version - 1) kept)"))
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "查看台账（在本机解密；读取记入审计）/ List a ledger: opened here; the read is audited.",
            discussion: "Your unit's records (the city office: every unit's, or --unit). With --period a dated ledger lists the records dated in it, a register the records as they stood at its end. Names of individual operators stay sealed unless --names --reason is given (district handlers and city identity holders; each opening is audited).")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The ledger.") var book: String
        @Option(help: "One unit (the city office).") var unit: String?
        @Option(help: "2026-11, 2026-Q2 or 2026.") var period: String?
        @Flag(help: "Also open the sealed names of individual operators (with --reason; audited).") var names = false
        @Option(help: "Why the names are opened (recorded).") var reason: String?
        @OptionGroup var page: PageOption
        @Flag(help: "Machine-readable output.") var json = false

        func run() async throws {
            try await reportingErrors {
                if let period, ReportingPeriod(period) == nil { throw CLIError.input(say("--period 应为 2026-11、2026-Q2 或 2026", "--period is 2026-11, 2026-Q2 or 2026")) }
                let session = try connection.session()
                let policy = try await BooksText.policy(session)
                let ledger = try BooksText.ledger(book, in: policy)
                if !ledger.isWritable {
                    let rows = try await BooksText.tipLeads(session: session, period: period, limit: page.limit)
                    if json { try printJSON(rows); return }
                    let sheet = BooksText.tipLeadSheet(rows)
                    printTable(sheet.header, sheet.rows.map { $0.map(BooksText.text) })
                    return
                }
                let opened = try await BooksText.openRecords(ledger, unit: unit, period: period, limit: page.limit, session: session, connection: connection)
                let revealed = names ? try await BooksText.names(of: opened.map(\.view), reason: reason, session: session, connection: connection) : [:]
                if json {
                    try printJSON(opened.map { BooksText.JSONRecord($0, names: revealed[$0.view.record]) })
                    return
                }
                let unitName = try await NetworkText.unitNames(session: session)
                let shown = ledger.fields.filter { !$0.sealed }.prefix(6)
                let sealed = ledger.fields.filter(\.sealed)
                var header = [say("编号", "RECORD"), say("单位", "UNIT"), say("版本", "VER")]
                header += shown.map { $0.name(UILanguage.current) } + sealed.map { $0.name(UILanguage.current) }
                printTable(header, opened.map { item in
                    [item.view.record, unitName(item.view.unit), String(item.view.version)]
                        + shown.map { BooksText.shown(item.content.values[$0.id], field: $0) }
                        + sealed.map { field in
                            guard item.view.hasNames else { return "" }
                            return revealed[item.view.record]?[field.id] ?? say("（密封）", "(sealed)")
                        }
                })
                print(say("共 \(opened.count) 条（读取已记入审计日志）", "\(opened.count) records (the read is in the audit log)"))
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "查看一条记录（--versions：全部版本）/ One record, opened here (--versions: every version).")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "[BOOK] RECORD: the record, e.g. JC-2026-000001, optionally after its ledger (`books show inspections JC-2026-000001`).")
        var arguments: [String]
        @Flag(help: "Every version, oldest first.") var versions = false
        @Flag(help: "Also open the sealed names of individual operators (with --reason; audited).") var names = false
        @Option(help: "Why the names are opened (recorded).") var reason: String?
        @Flag(help: "Machine-readable output.") var json = false

        func run() async throws {
            try await reportingErrors {
                guard (1...2).contains(arguments.count), let record = arguments.last else {
                    throw CLIError.input(say("用法：books show [台账] 记录编号", "usage: books show [BOOK] RECORD"))
                }
                let session = try connection.session()
                let policy = try await BooksText.policy(session)
                guard let id = BookRecordID(record), let ledger = policy.ledger(prefix: id.prefix), ledger.isWritable else {
                    throw CLIError.input(say("\(record) 不是台账记录编号（如 JC-2026-000001）", "\(record) is not a ledger record id (e.g. JC-2026-000001)"))
                }
                if arguments.count == 2, try BooksText.ledger(arguments[0], in: policy).id != ledger.id {
                    throw CLIError.input(say("\(id) 不是\(arguments[0])的记录", "\(id) is not a record of \(arguments[0])"))
                }
                let me = try await session.whoami()
                // A city identity holder opens the names only: the record's values are sealed to the units, not to it.
                if me.role == .identityHolder {
                    guard names else { throw CLIError.refused(say("身份保管人只能打开个体经营者姓名：--names --reason …", "identity holders open only the names: --names --reason …")) }
                    let revealed = try await BooksText.namesByVersion(of: id.description, reason: reason, session: session, connection: connection)
                    if json {
                        try printJSON(revealed.keys.sorted().map { BooksText.JSONNames(record: id.description, version: $0, names: revealed[$0] ?? [:]) })
                        return
                    }
                    for version in revealed.keys.sorted() where versions || version == revealed.keys.max() {
                        print(say("\(id)  第 \(version) 版（打开已记入审计日志）", "\(id)  version \(version) (the opening is in the audit log)"))
                        for field in ledger.fields where field.sealed {
                            if let value = revealed[version]?[field.id] { print(TerminalText.clean("  \(field.name(UILanguage.current))：\(value)")) }
                        }
                    }
                    return
                }
                guard let unit = me.unit else { throw CLIError.refused(say("您的密钥没有所属单位", "your key has no unit")) }
                let key = try await BooksText.contentKey(unit, session: session, connection: connection)
                let views = try await session.call(.openRecords, ledger.id, body: OpenRecordsBody(record: id.description, versions: versions, limit: OpenRecordsBody.maxLimit),
                                                   as: [RecordVersionView].self)
                let opened = try views.map { BooksText.Opened(view: $0, content: try BooksText.open($0, ledger: ledger, with: key)) }
                var revealed: [Int: [String: String]] = [:]
                if names { revealed = try await BooksText.namesByVersion(of: id.description, reason: reason, session: session, connection: connection) }
                if json {
                    try printJSON(opened.map { BooksText.JSONRecord($0, names: revealed[$0.view.version]) })
                    return
                }
                let unitName = try await NetworkText.unitNames(session: session)
                for item in opened {
                    let view = item.view
                    print(say("\(view.record)  \(ledger.nameZh)  \(unitName(view.unit))  第 \(view.version) 版（共 \(view.latest) 版）",
                              "\(view.record)  \(ledger.nameEn)  \(unitName(view.unit))  version \(view.version) of \(view.latest)"))
                    print(say("  写入：\(ShownTime.text(iso: view.writtenAt))  \(view.writtenBy)", "  written \(ShownTime.text(iso: view.writtenAt)) by \(view.writtenBy)"))
                    for field in ledger.fields {
                        let value: String?
                        if field.sealed {
                            value = view.hasNames ? (revealed[view.version]?[field.id] ?? say("（密封）", "(sealed)")) : nil
                        } else {
                            value = item.content.values[field.id].map { BooksText.shown($0, field: field) }
                        }
                        if let value { print(TerminalText.clean("  \(field.name(UILanguage.current))：\(value)")) }
                    }
                }
            }
        }
    }

    struct ZeroReport: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "zero-report",
                                                        abstract: "本单位本期无此台账记录：零报告 / Your unit has no records of a ledger for a period (S-4.3).")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The ledger.") var book: String
        @Option(help: "2026-11, 2026-Q2 or 2026.") var period: String

        func run() async throws {
            try await reportingErrors {
                guard let parsed = ReportingPeriod(period) else { throw CLIError.input(say("--period 应为 2026-11、2026-Q2 或 2026", "--period is 2026-11, 2026-Q2 or 2026")) }
                let session = try connection.session()
                let ledger = try BooksText.ledger(book, in: try await BooksText.policy(session))
                guard ledger.isWritable else { throw CLIError.input(say("\(ledger.nameZh)由举报生成，无需零报告", "the \(ledger.id) ledger is generated: no zero report")) }
                _ = try await session.call(.bookZeroReport, ledger.id, body: BookZeroReportBody(period: parsed.text), as: [String: Bool].self)
                print(say("已报送\(ledger.nameZh) \(parsed.text) 零报告", "zero report of \(ledger.id) filed for \(parsed.text)"))
            }
        }
    }

    struct Completeness: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "台账完整性：各单位各台账本期有记录、零报告或缺报 / Per unit and ledger: records, a zero report, or missing.",
            discussion: "Exit status 1 when any unit is missing a ledger it keeps (kept_by in ledgers.yaml).")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "2026-11, 2026-Q2 or 2026.") var period: String
        @Flag(help: "Machine-readable output.") var json = false

        func run() async throws {
            try await reportingErrors {
                guard let parsed = ReportingPeriod(period) else { throw CLIError.input(say("--period 应为 2026-11、2026-Q2 或 2026", "--period is 2026-11, 2026-Q2 or 2026")) }
                let session = try connection.session()
                let reply = try await session.call(.bookCompleteness, query: [("period", parsed.text)], as: CompletenessReply.self)
                if json { try printJSON(reply) } else {
                    let policy = try await BooksText.policy(session)
                    let unitName = try await NetworkText.unitNames(session: session)
                    printTable([say("单位", "UNIT"), say("台账", "LEDGER"), say("本期", "STATE"), say("记录数", "RECORDS")], reply.rows.map { row in
                        let state: String
                        switch row.state {
                        case .records: state = say("有记录", "records")
                        case .zeroReport: state = say("零报告", "zero report")
                        case .missing: state = say("缺报", "missing")
                        }
                        return [unitName(row.unit), policy.ledger(row.book)?.name(UILanguage.current) ?? row.book, state, String(row.records)]
                    })
                    let missing = reply.rows.filter { $0.state == .missing }.count
                    print(say("\(reply.period)：缺报 \(missing) 项", "\(reply.period): \(missing) missing"))
                }
                if reply.rows.contains(where: { $0.state == .missing }) { throw ExitCode(1) }
            }
        }
    }
}

/// `--file REC.json` and `--field K=V`: a record's values as typed.
struct RecordValueOptions: ParsableArguments {
    @Option(help: "A JSON object of the record's values (field → text or number).") var file: String?
    @Option(name: .customLong("field"), help: "A value, K=V (repeatable).") var fields: [String] = []

    func typed() throws -> [String: String] {
        var values: [String: String] = [:]
        if let file {
            guard let data = FileManager.default.contents(atPath: file), data.count <= 256 * 1024,
                  let object = try? JSONDecoder().decode([String: Scalar].self, from: data) else {
                throw CLIError.input(say("\(file) 不是 JSON 对象（值为文字或数字，不超过 256 KiB）", "\(file) is not a JSON object of texts and numbers (at most 256 KiB)"))
            }
            for (key, value) in object { values[key] = value.text }
        }
        var seen = Set<String>()
        for item in fields {
            guard let equals = item.firstIndex(of: "="), equals != item.startIndex else {
                throw CLIError.input(say("--field 应为 字段=值", "--field is K=V"))
            }
            let key = String(item[..<equals]).trimmingCharacters(in: .whitespaces)
            guard seen.insert(key).inserted else { throw CLIError.input(say("字段 \(key.prefix(40)) 给了两次", "field \(key.prefix(40)) given twice")) }
            values[key] = String(item[item.index(after: equals)...])
        }
        guard file != nil || !fields.isEmpty else { throw CLIError.input(say("请用 --file 或 --field 给出记录的值", "give the values with --file or --field")) }
        return values
    }

    /// A JSON value of a record file: text or a number (never true/false, a list or an object).
    struct Scalar: Decodable {
        let text: String
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self.text = text
            } else if let number = try? container.decode(Int64.self) {
                self.text = String(number)
            } else if (try? container.decode(Bool.self)) == nil, let number = try? container.decode(Double.self), number.isFinite {
                self.text = String(number)
            } else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "a value is text or a number")
            }
        }
    }
}
