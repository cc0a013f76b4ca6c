import AdminClient
import ArgumentParser
import Foundation
import Sealing
import TiplineAdminAPI
import TiplineCore
import TiplineDeployment

/// `tipline-admin info edit | adopt | adoption | feedback` (issue 16, S-2.1): the city office's
/// editors make signed versions of items (the author's signed original stays), record adoptions,
/// and read back adoption statistics and the monthly feedback sheets for every node.
extension InfoCommand {
    /// An item's text at a version, opened and checked here: version 1 against the author's signature,
    /// later versions against their editor's signed statement (based on the author's statement).
    struct OpenedItem {
        let detail: ItemDetail
        let content: ItemContent
        let version: Int
        /// The editor of that version (nil for the author's original).
        let editor: String?
    }

    static func openItem(_ detail: ItemDetail, key: CentreKey, version wanted: Int? = nil) throws -> OpenedItem {
        let latest = 1 + detail.versions.count
        let version = wanted ?? latest
        guard (1...latest).contains(version) else {
            throw CLIError.input(say("\(detail.item.reference) 只有第 1–\(latest) 版", "\(detail.item.reference) has versions 1–\(latest)"))
        }
        func open(_ envelope: Envelope) throws -> (ItemContent, [UInt8]) {
            let opened = LocalCrypto.openEnvelope(envelope, field: "content", with: key, requireCommitment: true)
            if case .notForUs = opened { throw CLIError.refused(say("本信息未加密给您单位的内容密钥", "the item is not sealed to your unit's content key")) }
            guard case .opened(let plaintext) = opened, let content = try? JSONDecoder().decode(ItemContent.self, from: Data(plaintext)) else {
                throw CLIError.integrity(say("信息无法打开或与密钥承诺不符：请报告并运行 tipline-audit verify", "the item does not open or does not match its key commitment: report it"))
            }
            return (content, plaintext)
        }
        guard let statement = ItemStatement(text: detail.statement), let raw = Hex.decode(detail.signerPublicKey),
              let author = try? Ed25519PublicKey(rawRepresentation: raw), author.isValidSignature(Array(detail.signature), for: statement.signedBytes) else {
            throw CLIError.integrity(say("作者签名不符", "the author's signature does not verify"))
        }
        if version == 1 {
            let (content, plaintext) = try open(detail.envelope)
            guard statement.contentSHA256 == Hashing.sha256Hex(plaintext), statement.uid == detail.envelope.recordID else {
                throw CLIError.integrity(say("签名或内容哈希不符：本信息不是作者签署的原文", "the signature or the content hash does not match: this is not what the author signed"))
            }
            return OpenedItem(detail: detail, content: content, version: 1, editor: nil)
        }
        let edit = detail.versions[version - 2]
        guard let signed = ItemEditStatement(text: edit.statement), let raw = Hex.decode(edit.editorPublicKey),
              let editor = try? Ed25519PublicKey(rawRepresentation: raw), editor.isValidSignature(Array(edit.signature), for: signed.signedBytes),
              signed.version == version, signed.reference == detail.item.reference, signed.uid == edit.envelope.recordID,
              signed.originalSHA256 == Hashing.sha256Hex(statement.signedBytes) else {
            throw CLIError.integrity(say("第 \(version) 版的编辑签名不符", "version \(version)'s editor signature does not verify"))
        }
        let (content, plaintext) = try open(edit.envelope)
        guard signed.contentSHA256 == Hashing.sha256Hex(plaintext) else {
            throw CLIError.integrity(say("第 \(version) 版的内容与编辑签署的不符", "version \(version) is not what its editor signed"))
        }
        return OpenedItem(detail: detail, content: content, version: version, editor: edit.editorName)
    }

    /// Fetches an item (an audited read) and opens it with the caller's unit content key.
    static func fetchItem(_ reference: String, version: Int? = nil, connection: ConnectionOptions, session: AdminSession) async throws -> (OpenedItem, CentreKey) {
        let me = try await session.whoami()
        guard let unit = me.unit else { throw CLIError.refused(say("您的密钥没有所属单位", "your key has no unit")) }
        let key = try await LocalCrypto.unitKey(unit, registry: false, session: session, explicit: connection.effective(connection.contentKey, .contentKey))
        let detail = try await session.call(.item, reference, as: ItemDetail.self)
        return (try openItem(detail, key: key, version: version), key)
    }

    /// Seals and signs a new version of `reference` with `content` (`info edit`, `bulletin add --edit`).
    static func saveVersion(_ reference: String, content: ItemContent, reason: String, connection: ConnectionOptions,
                            session: AdminSession) async throws -> Int {
        let (opened, _) = try await fetchItem(reference, connection: connection, session: session)
        let me = try await session.whoami()
        let manifest = try await session.publicKeys()
        guard let statement = ItemStatement(text: opened.detail.statement) else { throw CLIError.integrity("the item's statement does not parse") }
        let units = try await session.call(.units, as: [UnitSummary].self).map(\.unit)
        guard let cityOffice = units.first(where: { $0.kind == .cityOffice }) else { throw CLIError.io("no city office") }
        let recipients = try [opened.detail.item.unit, cityOffice.id].map { id -> X25519PublicKey in
            guard let key = try manifest.unitKey(id) else { throw CLIError.refused(say("keys.json 中没有 \(id) 的内容密钥", "keys.json has no content key for \(id)")) }
            return key
        }
        let version = 2 + opened.detail.versions.count
        var plaintext = try content.canonicalJSON()
        defer { SecureWipe.wipe(&plaintext) }
        let uid = ItemEditStatement.recordID(itemUID: statement.uid, version: version)
        let envelope = try EnvelopeCrypto.sealMessage(recordID: uid, name: "content", value: plaintext, recipients: recipients)
        let edit = ItemEditStatement(reference: reference, version: version, uid: uid, editor: me.name, contentSHA256: Hashing.sha256Hex(plaintext),
                                     originalSHA256: Hashing.sha256Hex(statement.signedBytes))
        let signature = try session.signer.sign(edit.signedBytes)
        _ = try await session.call(.editItem, reference, body: EditItemBody(statement: edit.text, signature: Data(signature), envelope: envelope, reason: reason),
                                   as: ItemSummary.self)
        return version
    }

    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "市办编辑：编辑信息（新版本，作者签署的原文保留）/ City editors: edit an item into a new, signed version (the author's original stays).")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The item reference.") var reference: String
        @Option(help: "A UTF-8 file with the edited body.") var body: String
        @Option(help: "A new title (default: the current one).") var title: String?
        @Option(help: "Why (e.g. 精简文字).") var reason: String

        func run() async throws {
            try await reportingErrors {
                try ClearText.check([("--reason", reason)])
                guard let data = FileManager.default.contents(atPath: body), let text = String(data: data, encoding: .utf8) else {
                    throw CLIError.io(say("无法读取 \(body)", "cannot read \(body)"))
                }
                let session = try connection.session()
                let (current, _) = try await InfoCommand.fetchItem(reference, connection: connection, session: session)
                let version = try await InfoCommand.saveVersion(reference, content: ItemContent(title: title ?? current.content.title, body: text,
                                                                                                facts: current.content.facts, pictures: current.content.pictures),
                                                                reason: reason, connection: connection, session: session)
                print(say("已保存 \(reference) 第 \(version) 版（作者原文保留）", "saved version \(version) of \(reference) (the author's original stays)"))
            }
        }
    }

    struct Adopt: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "市办编辑：登记信息采用 / City editors: record an adoption (S-2.1).")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The item reference.") var reference: String
        @Option(help: "kuaibao, jianbao, province-forwarded, province-adopted, national or leader-instruction.") var level: String
        @Option(help: "The date, YYYY-MM-DD (default: today, China time).") var date: String?
        @Option(help: "The reference: an issue, a provincial document number, an instruction…") var ref: String?

        func run() async throws {
            try await reportingErrors {
                guard let level = AdoptionLevel(rawValue: level) else {
                    throw CLIError.input(say("--level 应为 \(AdoptionLevel.allCases.map(\.rawValue).joined(separator: "、"))",
                                             "--level is one of \(AdoptionLevel.allCases.map(\.rawValue).joined(separator: ", "))"))
                }
                let on = date ?? CivilDate.today(at: Int64(Date().timeIntervalSince1970))
                let view = try await connection.session().call(.adoptItem, reference, body: AdoptBody(level: level, on: on, ref: ref), as: AdoptionView.self)
                print(say("已登记 \(view.item) \(level.label(.zh))（\(view.on)）", "recorded \(view.item) as \(level.label(.en)) (\(view.on))"))
            }
        }
    }

    struct Adoption: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "信息采用情况统计 / Adoption statistics by unit, author or kind.")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "The year.") var year: Int?
        @Option(help: "Or a period: 2026-11, 2026-Q2 or 2026.") var period: String?
        @Option(help: "unit, author or kind.") var by = "unit"
        @Option(help: "Write CSV to this file.") var csv: String?
        @Option(help: "Write a printable HTML report (with a chart) to this file.") var html: String?
        @Flag(help: "Machine-readable output.") var json = false

        func run() async throws {
            try await reportingErrors {
                guard let text = period ?? year.map(String.init), ReportingPeriod(text) != nil else {
                    throw CLIError.input(say("请用 --year 2026 或 --period 2026-Q2", "give --year 2026 or --period 2026-Q2"))
                }
                let session = try connection.session()
                let reply = try await session.call(.adoption, query: [("period", text), ("by", by)], as: AdoptionReply.self)
                let name = by == "unit" ? try await NetworkText.unitNames(session: session) : { $0 }
                if json { try printJSON(reply); return }
                if let csv { try Data(AdoptionSheet.csv(reply, name: name).utf8).write(to: URL(fileURLWithPath: csv)) }
                if let html { try Data(AdoptionSheet.html(reply, name: name).utf8).write(to: URL(fileURLWithPath: html)) }
                printTable([say("单位/作者/类别", "GROUP"), say("报送", "SUBMITTED"), say("迟报", "LATE"), say("采用", "ADOPTED"), say("采用率", "RATE"),
                            say("零报告", "ZERO")], reply.rows.map {
                    [name($0.key), String($0.submitted), String($0.late), String($0.adoptedItems), AdoptionSheet.percent($0.ratePermille), String($0.zeroReports)]
                })
            }
        }
    }

    struct Feedback: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "每月信息采用情况反馈（每个节点一页，HTML + CSV）/ The monthly feedback to every node: one sheet each, HTML and CSV.")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "The month, 2026-11.") var month: String
        @Option(help: "The directory to write the sheets into.") var out: String

        func run() async throws {
            try await reportingErrors {
                guard month.count == 7, let period = ReportingPeriod(month) else { throw CLIError.input(say("--month 应为 2026-11", "--month is 2026-11")) }
                let session = try connection.session()
                let reply = try await session.call(.adoption, query: [("period", period.text), ("by", "unit")], as: AdoptionReply.self)
                let name = try await NetworkText.unitNames(session: session)
                let directory = URL(fileURLWithPath: out)
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                for row in reply.rows {
                    let base = directory.appendingPathComponent("\(period.text)-\(row.key)")
                    try Data(AdoptionSheet.feedbackCSV(row, period: period.text).utf8).write(to: base.appendingPathExtension("csv"))
                    try Data(AdoptionSheet.feedbackHTML(row, unitName: name(row.key), period: period.text).utf8).write(to: base.appendingPathExtension("html"))
                }
                print(say("已生成 \(reply.rows.count) 个节点的 \(period.text) 反馈表：\(out)", "wrote \(period.text) feedback sheets for \(reply.rows.count) nodes to \(out)"))
            }
        }
    }
}

/// The adoption statistics as CSV and printable HTML, and the per-node feedback sheets.
enum AdoptionSheet {
    static func percent(_ permille: Int) -> String { "\(permille / 10).\(permille % 10)%" }

    static func csv(_ reply: AdoptionReply, name: (String) -> String) -> String {
        var out = PrintableHTML.csvLine(["group", "name", "submitted", "late", "adopted_items", "rate_percent", "zero_reports"] + AdoptionLevel.allCases.map(\.rawValue))
        for row in reply.rows {
            out += PrintableHTML.csvLine([row.key, name(row.key), String(row.submitted), String(row.late), String(row.adoptedItems),
                                          percent(row.ratePermille).dropLast().description, String(row.zeroReports)]
                                         + AdoptionLevel.allCases.map { String(row.adopted[$0.rawValue] ?? 0) })
        }
        return out
    }

    static func html(_ reply: AdoptionReply, name: (String) -> String, now: Int64 = Int64(Date().timeIntervalSince1970)) -> String {
        let e = PrintableHTML.escaped
        let chart = PrintableHTML.barChart(reply.rows.prefix(30).map { (name($0.key), $0.adoptedItems, "\($0.adoptedItems)/\($0.submitted)") }, label: "采用数")
        let header = "<tr><th>\(reply.by == "unit" ? "单位" : reply.by == "author" ? "作者" : "类别")</th><th>报送</th><th>迟报</th>"
            + AdoptionLevel.allCases.map { "<th>\(e($0.label(.zh)))</th>" }.joined() + "<th>采用</th><th>采用率</th><th>零报告</th></tr>"
        let rows = reply.rows.map { row in
            "<tr><td>\(e(name(row.key)))</td><td class=\"num\">\(row.submitted)</td><td class=\"num\">\(row.late)</td>"
                + AdoptionLevel.allCases.map { "<td class=\"num\">\(row.adopted[$0.rawValue] ?? 0)</td>" }.joined()
                + "<td class=\"num\">\(row.adoptedItems)</td><td class=\"num\">\(percent(row.ratePermille))</td><td class=\"num\">\(row.zeroReports)</td></tr>"
        }.joined(separator: "\n")
        return PrintableHTML.page(title: "信息采用情况 \(reply.period)", body: """
            <h1>“扫黄打非”信息采用情况（\(e(reply.period))）</h1>
            <p class="meta">生成时间：\(e(ShownTime.text(now)))</p>
            \(chart)
            <table><thead>\(header)</thead><tbody>
            \(rows)
            </tbody></table>
            """)
    }

    static func feedbackCSV(_ row: AdoptionRow, period: String) -> String {
        var out = PrintableHTML.csvLine(["unit", "period", "submitted", "late", "adopted_items", "rate_percent", "zero_reports"] + AdoptionLevel.allCases.map(\.rawValue))
        out += PrintableHTML.csvLine([row.key, period, String(row.submitted), String(row.late), String(row.adoptedItems), String(percent(row.ratePermille).dropLast()),
                                      String(row.zeroReports)] + AdoptionLevel.allCases.map { String(row.adopted[$0.rawValue] ?? 0) })
        return out
    }

    static func feedbackHTML(_ row: AdoptionRow, unitName: String, period: String, now: Int64 = Int64(Date().timeIntervalSince1970)) -> String {
        let e = PrintableHTML.escaped
        let levels = AdoptionLevel.allCases.map { "<tr><td>\(e($0.label(.zh)))</td><td class=\"num\">\(row.adopted[$0.rawValue] ?? 0)</td></tr>" }.joined(separator: "\n")
        return PrintableHTML.page(title: "信息采用情况反馈 \(unitName) \(period)", body: """
            <h1>信息采用情况反馈</h1>
            <p><strong>\(e(unitName))</strong>　统计期：\(e(period))</p>
            <table><tbody>
            <tr><td>报送信息</td><td class="num">\(row.submitted)</td></tr>
            <tr><td>其中迟报</td><td class="num">\(row.late)</td></tr>
            <tr><td>零报告</td><td class="num">\(row.zeroReports)</td></tr>
            \(levels)
            <tr><td>被采用信息</td><td class="num">\(row.adoptedItems)</td></tr>
            <tr><td>采用率</td><td class="num">\(percent(row.ratePermille))</td></tr>
            </tbody></table>
            <p class="meta">贵阳市“扫黄打非”办公室　\(e(ShownTime.text(now)))</p>
            """)
    }
}
