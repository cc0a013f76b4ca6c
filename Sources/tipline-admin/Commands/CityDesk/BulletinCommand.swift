import AdminClient
import ArgumentParser
import Foundation
import Sealing
import TiplineAdminAPI
import TiplineCore

/// `tipline-admin bulletin …` (issue 16, S-2.1): the city office's 快报 and 简报. Editors build an
/// issue from accepted items (optionally editing them into new signed versions), preview it as a
/// printable A4 page, and publish it: the page is rendered and scanned here — any mobile number,
/// resident ID number, e-mail address, informant pseudonym or canary marker refuses publication and
/// names the item — then sealed here to every receiving unit. Receiving units fetch and open it.
struct BulletinCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bulletin", abstract: "快报、简报：编辑、预览、印发、接收 / The quick report and the briefing: build, preview, publish, fetch.",
        subcommands: [New.self, Add.self, List.self, Preview.self, Publish.self, Fetch.self])

    struct New: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "新建一期（按类别和年度编号）/ Open the next issue (numbered per type and year).")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "kuaibao (快报) or jianbao (简报).") var type: String

        func run() async throws {
            try await reportingErrors {
                guard let type = BulletinType(rawValue: type) else { throw CLIError.input(say("--type 应为 kuaibao 或 jianbao", "--type is kuaibao or jianbao")) }
                let view = try await connection.session().call(.newBulletin, body: NewBulletinBody(type: type), as: BulletinView.self)
                print(say("已新建 \(view.id)（\(view.year)年第\(view.number)期\(type.nameZh)）", "opened \(view.id) (\(type.nameEn) \(view.year) no. \(view.number))"))
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "将信息编入一期（可先编辑为新版本）/ Put an item into an issue (optionally editing it into a new version first).")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The issue, KB-2026-12.") var issue: String
        @Argument(help: "The item reference.") var item: String
        @Option(help: "A UTF-8 file with the edited body (a new signed version; the author's original stays).") var edit: String?
        @Option(help: "The edited title.") var title: String?
        @Option(help: "Why it was edited (with --edit).") var reason = "编辑刊发 / edited for publication"

        func run() async throws {
            try await reportingErrors {
                let session = try connection.session()
                var version: Int?
                if let edit {
                    guard let data = FileManager.default.contents(atPath: edit), let text = String(data: data, encoding: .utf8) else {
                        throw CLIError.io(say("无法读取 \(edit)", "cannot read \(edit)"))
                    }
                    let (current, _) = try await InfoCommand.fetchItem(item, connection: connection, session: session)
                    version = try await InfoCommand.saveVersion(item, content: ItemContent(title: title ?? current.content.title, body: text,
                                                                                           facts: current.content.facts, pictures: current.content.pictures),
                                                                reason: reason, connection: connection, session: session)
                }
                let view = try await session.call(.addToBulletin, issue, body: BulletinItemBody(item: item, version: version), as: BulletinView.self)
                let entry = view.items.last
                print(say("已将 \(item)（第 \(entry?.version ?? 1) 版）编入 \(view.id)，共 \(view.items.count) 条", "added \(item) (version \(entry?.version ?? 1)) to \(view.id): \(view.items.count) items"))
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "各期快报、简报 / Issues.")
        @OptionGroup var connection: ConnectionOptions
        @Flag(help: "Machine-readable output.") var json = false

        func run() async throws {
            try await reportingErrors {
                let issues = try await connection.session().call(.bulletins, as: [BulletinView].self)
                if json { try printJSON(issues); return }
                printTable([say("期号", "ISSUE"), say("类别", "TYPE"), say("状态", "STATE"), say("条数", "ITEMS"), say("印发", "PUBLISHED")], issues.map {
                    [$0.id, say($0.type.nameZh, $0.type.nameEn), $0.state == "published" ? say("已印发", "published") : say("草稿", "draft"), String($0.items.count),
                     $0.publishedAt.map { ShownTime.text(iso: $0) } ?? "-"]
                })
            }
        }
    }

    /// The issue rendered here from its items (each an audited read, checked against its signatures),
    /// with the leak scan's findings.
    static func render(_ issue: String, connection: ConnectionOptions, session: AdminSession) async throws -> (BulletinView, String, [String]) {
        let view = try await session.call(.bulletin, issue, as: BulletinView.self)
        let units = try await session.call(.units, as: [UnitSummary].self).map(\.unit)
        var entries: [BulletinDocumentRenderer.Entry] = []
        var findings: [String] = []
        let prefixes = units.compactMap(\.informantPrefix)
        for entry in view.items {
            let (opened, _) = try await InfoCommand.fetchItem(entry.item, version: entry.version, connection: connection, session: session)
            let content = opened.content
            let text = ([content.title, content.body] + content.facts.sorted { $0.key < $1.key }.map { "\($0.key)：\($0.value)" }).joined(separator: "\n")
            findings += LeakScan.findings(in: text, informantPrefixes: prefixes).map { "\(entry.item): \($0)" }
            let item = opened.detail.item
            let unit = units.first { $0.id == item.unit }
            entries.append(.init(reference: item.reference, title: content.title, body: content.body,
                                 byline: item.unitOnly ? (unit?.nameZh ?? item.unit) : "\(unit?.nameZh ?? item.unit)　\(item.authors.joined(separator: "、"))"))
        }
        let recipients = view.recipients.compactMap { id in units.first { $0.id == id } }.filter { $0.kind != .cityOffice }.map(\.nameZh)
        let cityOffice = units.first { $0.kind == .cityOffice }?.nameZh ?? "市“扫黄打非”办公室"
        let html = BulletinDocumentRenderer.html(view, entries: entries, publisher: cityOffice, recipients: recipients,
                                                 date: view.publishedAt.flatMap { CivilTime.seconds(iso8601: $0) } ?? Int64(Date().timeIntervalSince1970))
        return (view, html, findings)
    }

    struct Preview: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "预览（A4 可打印页面）/ Preview an issue as a printable A4 page.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The issue.") var issue: String
        @Option(help: "The HTML file to write.") var out: String

        func run() async throws {
            try await reportingErrors {
                let (_, html, findings) = try await BulletinCommand.render(issue, connection: connection, session: try connection.session())
                try Data(html.utf8).write(to: URL(fileURLWithPath: out))
                print(say("已生成预览 \(out)", "preview written to \(out)"))
                for finding in findings { print(say("  印发前须处理：\(finding)", "  must be fixed before publishing: \(finding)")) }
            }
        }
    }

    struct Publish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "印发：扫描个人信息后加密发送给各接收单位，并登记采用 / Publish: scan for personal data, seal to every receiving unit, record the adoptions.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The issue.") var issue: String
        @Option(help: "Also keep the published HTML here.") var out: String?

        func run() async throws {
            try await reportingErrors {
                let session = try connection.session()
                let (view, html, findings) = try await BulletinCommand.render(issue, connection: connection, session: session)
                guard findings.isEmpty else {
                    throw CLIError.refused(say("不能印发：正文含个人信息、信息员代号或探针标记，请先编辑（bulletin add --edit）：\n  ",
                                               "not published: the text holds personal data, an informant pseudonym or a canary marker; edit it first (bulletin add --edit):\n  ")
                                           + findings.joined(separator: "\n  "))
                }
                let manifest = try await session.publicKeys()
                let recipients = try view.recipients.map { id -> X25519PublicKey in
                    guard let key = try manifest.unitKey(id) else { throw CLIError.refused(say("keys.json 中没有 \(id) 的内容密钥", "keys.json has no content key for \(id)")) }
                    return key
                }
                let bytes = Array(html.utf8)
                let envelope = try EnvelopeCrypto.sealMessage(recordID: view.id, name: BulletinView.documentField, value: bytes, recipients: recipients)
                let published = try await session.call(.publishBulletin, issue, body: PublishBulletinBody(envelope: envelope, documentSHA256: Hashing.sha256Hex(bytes)),
                                                        as: BulletinView.self)
                if let out { try Data(bytes).write(to: URL(fileURLWithPath: out)) }
                print(say("已印发 \(published.id)，发送 \(recipients.count) 个单位，\(published.items.count) 条信息登记为\(view.type.level.label(.zh))",
                          "published \(published.id) to \(recipients.count) units; \(published.items.count) items recorded as \(view.type.level.label(.en))"))
            }
        }
    }

    struct Fetch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "接收单位：取回并解密已印发的一期 / Receiving units: fetch and open a published issue.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The issue.") var issue: String
        @Option(help: "The HTML file to write.") var out: String

        func run() async throws {
            try await reportingErrors {
                let session = try connection.session()
                let me = try await session.whoami()
                guard let unit = me.unit else { throw CLIError.refused(say("您的密钥没有所属单位", "your key has no unit")) }
                let key = try await LocalCrypto.unitKey(unit, registry: false, session: session, explicit: connection.effective(connection.contentKey, .contentKey))
                let document = try await session.call(.bulletinDocument, issue, as: BulletinDocument.self)
                guard case .opened(let bytes) = LocalCrypto.openEnvelope(document.envelope, field: BulletinView.documentField, with: key, requireCommitment: true),
                      Hashing.sha256Hex(bytes) == document.bulletin.documentSHA256 else {
                    throw CLIError.integrity(say("本期无法打开或与印发时的哈希不符", "the issue does not open or does not match the hash recorded at publication"))
                }
                try Data(bytes).write(to: URL(fileURLWithPath: out))
                print(say("已取回 \(issue)：\(out)", "fetched \(issue) to \(out)"))
            }
        }
    }
}

/// What may never be printed in a bulletin (四(三), S-2.1): personal data (mobile numbers, resident ID
/// numbers, e-mail addresses), informant pseudonyms (any `<district prefix>-<digits>`), canary markers.
enum LeakScan {
    static func findings(in text: String, informantPrefixes: [String]) -> [String] {
        var found: [String] = []
        var bytes = Array(text.utf8)
        bytes.withUnsafeBytes { raw in
            PersonalDataPatterns.find(raw, range: 0..<raw.count, atFileStart: true) { _, _, kind in
                let label = kind == PersonalDataPatterns.kindMobile ? say("手机号码", "a mobile number")
                    : kind == PersonalDataPatterns.kindResidentID ? say("身份证号码", "a resident ID number") : say("电子邮件地址", "an e-mail address")
                if !found.contains(label) { found.append(label) }
            }
        }
        SecureWipe.wipe(&bytes)
        let upper = text.uppercased()
        for prefix in informantPrefixes where upper.range(of: "(?<![A-Z])\(prefix)\\s*[-－—]\\s*[0-9]{1,6}", options: .regularExpression) != nil {
            found.append(say("信息员代号（\(prefix)-…）", "an informant pseudonym (\(prefix)-…)"))
        }
        let lower = text.lowercased()
        if CanaryMarker.all.contains(where: { lower.contains($0) }) { found.append(say("探针（金丝雀）标记", "a canary marker")) }
        return found
    }
}

/// The printable A4 page of an issue: masthead, items with bylines, distribution list.
enum BulletinDocumentRenderer {
    struct Entry {
        let reference: String
        let title: String
        let body: String
        let byline: String
    }

    static func html(_ view: BulletinView, entries: [Entry], publisher: String, recipients: [String], date: Int64) -> String {
        let e = PrintableHTML.escaped
        let day = CivilDate.today(at: date).split(separator: "-").compactMap { Int($0) }
        let dateText = day.count == 3 ? "\(day[0])年\(day[1])月\(day[2])日" : ""
        let items = entries.map { entry in
            let paragraphs = entry.body.split(whereSeparator: \.isNewline).map { "<p>\(e(String($0)))</p>" }.joined()
            return "<article><h2>\(e(entry.title))</h2>\(paragraphs)<p class=\"byline\">（\(e(entry.byline))）</p></article>"
        }.joined(separator: "\n")
        return PrintableHTML.page(title: "贵阳市“扫黄打非”\(view.type.nameZh) \(view.year)年第\(view.number)期", body: """
            <header class="masthead">
            <div class="name">贵阳市“扫黄打非”\(e(view.type.nameZh))</div>
            <div class="issue">\(view.year)年第\(view.number)期</div>
            <div class="line"><span>\(e(publisher))编印</span><span>\(e(dateText))</span></div>
            </header>
            \(items)
            <footer class="distribution"><p>分送：\(e(recipients.joined(separator: "，")))。</p></footer>
            """, extraStyle: """
            .masthead { text-align: center; border-bottom: 3px solid #b22222; margin-bottom: 8mm; }
            .masthead .name { color: #b22222; font-size: 30pt; font-weight: bold; letter-spacing: 4pt; }
            .masthead .issue { font-size: 13pt; margin: 2mm 0; }
            .masthead .line { display: flex; justify-content: space-between; font-size: 12pt; padding-bottom: 2mm; }
            article { margin-bottom: 8mm; page-break-inside: avoid; } article h2 { text-align: center; }
            article p { text-indent: 2em; line-height: 1.7; margin: 0 0 2mm; } article p.byline { text-align: right; text-indent: 0; }
            .distribution { border-top: 1px solid #000; margin-top: 10mm; font-size: 10.5pt; }
            """)
    }
}
