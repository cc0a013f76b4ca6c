import AdminClient
import ArgumentParser
import Foundation
import Sealing
import TiplineAdminAPI
import TiplineCore
import TiplineDeployment

/// `tipline-admin info …`: information items (issue 15, S-3.3, S-4.1–S-4.5, S-5.1–S-5.3). The title,
/// body and facts are sealed here to the unit's and the city office's content keys; the author signs
/// the statement (unit, byline, kind, times, the plaintext's hash, the accountability line) here.
struct InfoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info", abstract: "信息报送：撰写、报送、退回、接收、零报告 / Information items: write, submit, return, accept, zero reports.",
        subcommands: [New.self, Submit.self, List.self, Show.self, Return.self, Accept.self, ZeroReport.self, Silent.self, CallCommand.self,
                      Calls.self, ResearchDuty.self, Reports.self, Report.self, Reply.self, ToTip.self, Edit.self, Adopt.self,
                      Adoption.self, Feedback.self])

    /// The four sections every research item has (三(六)): 情况、分析、思考、建议.
    static let researchSections = ["情况", "分析", "思考", "建议"]

    /// The research sections `body` lacks: each must open a line (after any numbering such as 一、 or 1.).
    static func missingSections(_ body: String) -> [String] {
        let starts = body.split(whereSeparator: \.isNewline).map { line in
            String(line.trimmingCharacters(in: .whitespaces).drop { "一二三四五六七八九十0123456789、.．()（） ".contains($0) })
        }
        return researchSections.filter { section in !starts.contains { $0.hasPrefix(section) } }
    }

    /// The pictures at `paths`, stripped of metadata here (the evidence stripper): at most 5, each under 700 KiB
    /// once stripped (one signed request each, 1 MiB with its sealing).
    static func strippedPictures(_ paths: [String]) throws -> [[UInt8]] {
        guard paths.count <= ItemPictureBody.maxPictures else {
            throw CLIError.input(say("最多附 \(ItemPictureBody.maxPictures) 张图片", "at most \(ItemPictureBody.maxPictures) pictures"))
        }
        return try paths.map { path in
            guard let data = FileManager.default.contents(atPath: path) else { throw CLIError.io(say("无法读取 \(path)", "cannot read \(path)")) }
            let stripped: [UInt8]
            do {
                stripped = try ImageSanitizer.strip(Array(data)).bytes
            } catch {
                throw CLIError.input(say("\(path) 不是可读的 JPEG、PNG 或 WebP 图片", "\(path) is not a readable JPEG, PNG or WebP picture"))
            }
            guard stripped.count <= 700 * 1024 else {
                throw CLIError.input(say("\(path) 去除元数据后仍大于 700 KiB，请缩小后再附", "\(path) is over 700 KiB once stripped: make it smaller first"))
            }
            return stripped
        }
    }

    struct CallCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "call", abstract: "市办约稿 / City office calls for research or summaries.",
                                                        subcommands: [Open.self])

        struct Open: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "new", abstract: "发出约稿（专题调研或总结）/ Open a call for research or a summary by a date (S-3.6).")
            @OptionGroup var connection: ConnectionOptions
            @Option(help: "The topic.") var topic: String
            @Option(help: "research or summary.") var kind = "research"
            @Option(help: "Due date, YYYY-MM-DD (China time, end of day).") var due: String
            @Option(help: "Unit ids, comma-separated (default: every node).") var units: String?

            func run() async throws {
                try await reportingErrors {
                    try ClearText.check([("--topic", topic)])
                    let list = (units ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                    let call = try await connection.session().call(.openCall, body: CallBody(topic: topic, kind: kind, dueOn: due, units: list), as: CallView.self)
                    print(say("已发出约稿 \(call.id)：\(call.topic)（\(call.units.count) 个单位，\(call.dueOn) 前）", "call \(call.id) opened: \(call.topic) (\(call.units.count) units, due \(call.dueOn))"))
                }
            }
        }
    }

    struct Calls: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "约稿及未响应的单位 / Calls and the units that have not answered.")
        @OptionGroup var connection: ConnectionOptions
        @Flag(help: "Machine-readable output.") var json = false

        func run() async throws {
            try await reportingErrors {
                let calls = try await connection.session().call(.calls, as: [CallView].self)
                if json { try printJSON(calls); return }
                printTable([say("编号", "CALL"), say("主题", "TOPIC"), say("类别", "KIND"), say("截止", "DUE"), say("已响应", "ANSWERED"), say("未响应", "NOT YET")],
                           calls.map { [$0.id, $0.topic, $0.kind, $0.dueOn, String($0.answered.count), $0.unanswered.joined(separator: "、")] })
            }
        }
    }

    struct ResearchDuty: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "research-duty",
                                                        abstract: "各区县办全年调研信息（每年至少一篇）/ Research items per district office in a year (at least one is owed).")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "The year.") var year: Int
        @Flag(help: "Machine-readable output.") var json = false

        func run() async throws {
            try await reportingErrors {
                let reply = try await connection.session().call(.researchDuty, query: [("year", String(year))], as: ResearchDutyReply.self)
                if json { try printJSON(reply); return }
                printTable([say("区县办", "DISTRICT OFFICE"), say("调研信息", "RESEARCH ITEMS")], reply.submitted.sorted { $0.key < $1.key }.map { [$0.key, String($0.value)] })
                print(say("尚欠调研信息：\(reply.owing.isEmpty ? "无" : reply.owing.joined(separator: "、"))", "owing a research item: \(reply.owing.isEmpty ? "none" : reply.owing.joined(separator: ", "))"))
            }
        }
    }

    struct New: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "联络员：撰写并签署一条信息（草稿，在本机加密）/ Liaisons: write and sign an item (a draft, sealed on this machine).",
            discussion: "The signed statement covers the unit, the byline, kind, times and the SHA-256 of the sealed text, with the line 署名单位和署名人对信息的真实性、准确性负全责. Classified matter is never filed here.")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "case, dynamic, research, summary or statistics.") var kind: String
        @Option(name: .customLong("sub-kind"), help: "The sub-kind (information.yaml).") var subKind: String?
        @Option(name: .customLong("aspect"), parsing: .upToNextOption, help: "Aspects (S-4.5): achievement, problem, new-situation, market-trend, hot-issue, reaction.")
        var aspects: [String] = []
        @Option(help: "major-event (≤ 1 h), deployment (≤ 1 day), routine (≤ 1 week).") var timeliness: Timeliness = .routine
        @Option(help: "The title.") var title: String
        @Option(help: "A UTF-8 file with the body (default with --from-report: the report's text).") var body: String?
        @Option(help: "A JSON file of facts (S-4.2): {\"时间\": …, \"地点\": …, \"数量\": …}.") var facts: String?
        @Option(name: .customLong("event-at"), help: "When it happened, e.g. \"2026-11-30 09:00\" (China time; with --from-report default: the report's time).") var eventAt: String?
        @Option(name: .customLong("known-at"), help: "When it became known (default: now).") var knownAt: String?
        @Option(help: "Co-authors' staff names, comma-separated (you are the first author).") var authors: String?
        @Flag(name: .customLong("unit-only"), help: "Byline with the unit only (needs --reason).") var unitOnly = false
        @Option(help: "Why the byline names the unit only.") var reason: String?
        @Option(name: .customLong("first-report"), help: "The 首报 this item follows up (续报).") var firstReport: String?
        @Option(help: "The call (约稿, YG-2026-01) this item answers.") var call: String?
        @Option(name: .customLong("attach"), help: "A picture (JPEG, PNG or WebP; metadata stripped here), up to 5; repeat the option.")
        var attachments: [String] = []
        @Option(name: .customLong("from-report"), help: "Write the item from this informant report (IR-2026-000001): the byline is the unit only.") var fromReport: String?
        @Flag(name: .customLong("not-classified"), help: "Attest: 不涉及国家秘密 (required).") var notClassified = false
        @Flag(help: "The matter is classified: refused here, use the confidential channel.") var classified = false

        func run() async throws {
            try await reportingErrors {
                if classified {
                    throw CLIError.refused(say("涉密信息不得通过本系统报送，请按保密规定通过机要渠道报送。未发送任何内容。",
                                               "classified matter is not filed here: use the confidential channel. Nothing was sent."))
                }
                guard notClassified else {
                    throw CLIError.input(say("请用 --not-classified 声明本信息不涉及国家秘密", "attest with --not-classified that the item holds no state secret"))
                }
                let now = Int64(Date().timeIntervalSince1970)
                func time(_ text: String, _ option: String) throws -> Int64 {
                    guard let occurrence = CivilTime.parseOccurrence(text, now: now), let seconds = CivilTime.seconds(of: occurrence) else {
                        throw CLIError.input(say("\(option) 应为日期和时间，如 \"2026-11-30 09:00\"", "\(option) is a date and time, e.g. \"2026-11-30 09:00\""))
                    }
                    return seconds
                }
                let session = try connection.session()
                // From an informant's report: its text (opened here, an audited read) and time; the byline is the unit only,
                // so no informant's name is ever printed (S-3.3, 三(三)).
                var report: OpenedReport?
                if let fromReport { report = try await InfoCommand.openReport(fromReport, connection: connection, session: session) }
                let bodyText: String
                if let body {
                    guard let bodyData = FileManager.default.contents(atPath: body), let text = String(data: bodyData, encoding: .utf8) else {
                        throw CLIError.io(say("无法读取 \(body)", "cannot read \(body)"))
                    }
                    bodyText = text
                } else if let report {
                    bodyText = report.content.text
                } else {
                    throw CLIError.input(say("请用 --body 指定正文文件", "give the body with --body FILE"))
                }
                let unitOnly = unitOnly || report != nil
                let reason = report != nil ? (reason ?? "来源为信息员 / the source is an informant") : reason
                let reportTime = report.flatMap { CivilTime.seconds(iso8601: $0.detail.report.receivedAt) }
                guard let eventText = eventAt ?? report.map({ _ in "" }) else {
                    throw CLIError.input(say("请用 --event-at 指定事件时间", "give the event time with --event-at"))
                }
                if kind == "research" {
                    let missing = InfoCommand.missingSections(bodyText)
                    guard missing.isEmpty else {
                        throw CLIError.input(say("调研信息须有“情况、分析、思考、建议”四部分，缺少：\(missing.joined(separator: "、"))",
                                                 "a research item has four sections (情况、分析、思考、建议); missing: \(missing.joined(separator: ", "))"))
                    }
                }
                var factValues: [String: String] = [:]
                if let facts {
                    guard let data = FileManager.default.contents(atPath: facts),
                          let object = try? JSONSerialization.jsonObject(with: data) as? [String: String] else {
                        throw CLIError.input(say("\(facts) 不是 JSON 对象（字符串值）", "\(facts) is not a JSON object of strings"))
                    }
                    factValues = object
                }
                if unitOnly { try ClearText.check([("--reason", reason)]) }
                let me = try await session.whoami()
                guard let unit = me.unit else { throw CLIError.refused(say("您的密钥没有所属单位", "your key has no unit")) }
                let units = try await session.call(.units, as: [UnitSummary].self).map(\.unit)
                guard let cityOffice = units.first(where: { $0.kind == .cityOffice }) else { throw CLIError.io("no city office") }
                let manifest = try await session.publicKeys()
                let recipients = try [unit, cityOffice.id].map { id -> X25519PublicKey in
                    guard let key = try manifest.unitKey(id) else {
                        throw CLIError.refused(say("keys.json 中没有 \(id) 的内容密钥", "keys.json has no content key for \(id)"))
                    }
                    return key
                }
                let pictures = try InfoCommand.strippedPictures(attachments)
                var plaintext = try ItemContent(title: title, body: bodyText, facts: factValues,
                                                pictures: pictures.isEmpty ? nil : pictures.map { Hashing.sha256Hex($0) }).canonicalJSON()
                defer { SecureWipe.wipe(&plaintext) }
                let uid = ItemStatement.newUID()
                let envelope = try EnvelopeCrypto.sealMessage(recordID: uid, name: "content", value: plaintext, recipients: recipients)
                let names = unitOnly ? [] : [me.name] + (authors ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                let statement = ItemStatement(uid: uid, unit: unit, authors: names, unitOnly: unitOnly, kind: kind, subKind: subKind,
                                              timeliness: kind == "summary" ? .summary : timeliness,
                                              eventAt: eventText.isEmpty ? (reportTime ?? now) : try time(eventText, "--event-at"),
                                              knownAt: try knownAt.map { try time($0, "--known-at") } ?? reportTime ?? now,
                                              contentSHA256: Hashing.sha256Hex(plaintext), firstReport: firstReport)
                let signature = try session.signer.sign(statement.signedBytes)
                let item = try await session.call(.newItem, body: NewItemBody(statement: statement.text, signature: Data(signature), envelope: envelope,
                                                                              aspects: aspects, unitOnlyReason: unitOnly ? reason : nil, classified: false, call: call,
                                                                              fromReport: fromReport, pictures: pictures.isEmpty ? nil : pictures.count),
                                                  as: ItemSummary.self)
                for (index, picture) in pictures.enumerated() {
                    let sealed = try EnvelopeCrypto.sealMessage(recordID: ItemPictureBody.recordID(uid: uid, index: index), name: ItemPictureBody.fieldName,
                                                                value: picture, recipients: recipients)
                    _ = try await session.call(.addItemPicture, item.reference, body: ItemPictureBody(envelope: sealed), as: ItemSummary.self)
                }
                print(say("已撰写 \(item.reference)（草稿）：tipline-admin info submit \(item.reference) 报送", "written \(item.reference) (draft): `tipline-admin info submit \(item.reference)` sends it"))
            }
        }
    }

    struct Submit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "报送到市办（之后不能撤回）/ Send an item to the city office (it can no longer be withheld).")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The item reference, XX-2026-000001.") var reference: String

        func run() async throws {
            try await reportingErrors {
                let item = try await connection.session().call(.submitItem, reference, as: ItemSummary.self)
                let late = item.late == true
                print(say("已报送 \(item.reference)\(late ? "（迟报：应于 \(item.dueAt.map { ShownTime.text(iso: $0) } ?? "-") 前报送）" : "（按时）")",
                          "submitted \(item.reference)\(late ? " (late: it was due \(item.dueAt.map { ShownTime.text(iso: $0) } ?? "-"))" : " (on time)")"))
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "信息列表 / List items (clear fields only).")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "One unit (the city office: any).") var unit: String?
        @Option(help: "One kind.") var kind: String?
        @Flag(help: "Only late items.") var late = false
        @Option(help: "A period: 2026-11, 2026-Q2 or 2026 (by submission time, China time).") var period: String?
        @OptionGroup var page: PageOption
        @Flag(help: "Machine-readable output.") var json = false

        func run() async throws {
            try await reportingErrors {
                if let period, ReportingPeriod(period) == nil { throw CLIError.input(say("--period 应为 2026-11、2026-Q2 或 2026", "--period is 2026-11, 2026-Q2 or 2026")) }
                var query: [(name: String, value: String)] = [("limit", String(page.limit))]
                if let unit { query.append(("unit", unit)) }
                if let kind { query.append(("kind", kind)) }
                if late { query.append(("late", "1")) }
                if let period { query.append(("period", period)) }
                let session = try connection.session()
                let items = try await session.call(.items, query: query, as: [ItemSummary].self)
                if json { try printJSON(items); return }
                let unitName = try await NetworkText.unitNames(session: session)
                printTable([say("编号", "REFERENCE"), say("单位", "UNIT"), say("署名", "BYLINE"), say("类别", "KIND"), say("状态", "STATE"),
                            say("报送时间", "SUBMITTED"), say("时效", "ON TIME")], items.map {
                    [$0.reference, unitName($0.unit), $0.unitOnly ? say("（单位署名）", "(unit only)") : $0.authors.joined(separator: "、"),
                     [$0.kind, $0.subKind].compactMap { $0 }.joined(separator: "/"), $0.state.label(UILanguage.current),
                     $0.submittedAt.map { ShownTime.text(iso: $0) } ?? "-", $0.late.map { $0 ? say("迟报", "late") : say("按时", "on time") } ?? "-"]
                })
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "阅读一条信息（在本机解密并验证签名；阅读记入审计）/ Read an item: decrypted and its signature checked here; the read is audited.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The item reference.") var reference: String
        @Option(name: .customLong("pictures"), help: "Save the item's pictures into this directory.") var picturesDirectory: String?
        @Flag(help: "Machine-readable output.") var json = false

        func run() async throws {
            try await reportingErrors {
                let session = try connection.session()
                let me = try await session.whoami()
                guard let unit = me.unit else { throw CLIError.refused(say("您的密钥没有所属单位", "your key has no unit")) }
                // The key first: a wrong key file is refused before the (audited) read.
                let key = try await LocalCrypto.unitKey(unit, registry: false, session: session, explicit: connection.effective(connection.contentKey, .contentKey))
                let detail = try await session.call(.item, reference, as: ItemDetail.self)
                // The author's original (version 1), its signature and content hash checked (`openItem`).
                let content = try InfoCommand.openItem(detail, key: key, version: 1).content
                let envelope = detail.envelope
                // Every picture the author signed for (their SHA-256s are in the signed content), none missing, none added.
                let signedPictures = content.pictures ?? []
                guard detail.pictures.count == signedPictures.count || detail.item.state == .draft, detail.pictures.count <= signedPictures.count else {
                    throw CLIError.integrity(say("图片数量与作者签署的不符", "the pictures do not match what the author signed"))
                }
                var pictures: [[UInt8]] = []
                for (index, picture) in detail.pictures.enumerated() {
                    guard case .opened(let bytes) = LocalCrypto.openEnvelope(picture, field: ItemPictureBody.fieldName, with: key, requireCommitment: true),
                          picture.recordID == ItemPictureBody.recordID(uid: envelope.recordID, index: index),
                          Hashing.sha256Hex(bytes) == signedPictures[index] else {
                        throw CLIError.integrity(say("第 \(index + 1) 张图片无法打开或不是作者签署的", "picture \(index + 1) does not open or is not what the author signed"))
                    }
                    pictures.append(bytes)
                }
                if let picturesDirectory, !pictures.isEmpty {
                    let directory = URL(fileURLWithPath: picturesDirectory)
                    if !FileManager.default.fileExists(atPath: picturesDirectory) { try SecureFile.makeDirectory(directory, mode: 0o700) }
                    for (index, bytes) in pictures.enumerated() {
                        try SecureFile.create(directory.appendingPathComponent("\(reference)-\(index + 1).\(ImageFormat.detect(bytes)?.rawValue ?? "bin")"),
                                              bytes: bytes, mode: 0o600)
                    }
                }
                if json {
                    try printJSON(["reference": detail.item.reference, "title": content.title, "body": content.body, "signed_by": detail.signerName,
                                   "statement": detail.statement])
                    return
                }
                let item = detail.item
                print("\(item.reference)  \(item.state.label(UILanguage.current))  \([item.kind, item.subKind].compactMap { $0 }.joined(separator: "/"))")
                print(TerminalText.clean("【\(content.title)】"))
                print(TerminalText.clean(content.body))
                for (name, value) in content.facts.sorted(by: { $0.key < $1.key }) { print(TerminalText.clean("  \(name)：\(value)")) }
                let byline = item.unitOnly ? item.unit : "\(item.unit) \(item.authors.joined(separator: "、"))"
                print(say("署名：\(byline)（签名已验证：\(detail.signerName)）", "byline: \(byline) (signature verified: \(detail.signerName))"))
                print(say("事件：\(ShownTime.text(iso: item.eventAt))  获知：\(ShownTime.text(iso: item.knownAt))  报送：\(item.submittedAt.map { ShownTime.text(iso: $0) } ?? "-")",
                          "event \(ShownTime.text(iso: item.eventAt))  known \(ShownTime.text(iso: item.knownAt))  submitted \(item.submittedAt.map { ShownTime.text(iso: $0) } ?? "-")"))
                if let reason = detail.returnReason { print(say("退回理由：\(reason)", "returned: \(reason)")) }
                if !pictures.isEmpty {
                    print(say("图片 \(pictures.count) 张（签名已验证）\(picturesDirectory == nil ? "，--pictures DIR 保存" : "，已保存")",
                              "\(pictures.count) pictures (signed)\(picturesDirectory == nil ? "; --pictures DIR saves them" : ", saved")"))
                }
                print(ItemStatement.accountability)
            }
        }
    }

    struct Return: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "市办编辑：退回信息并说明理由 / City editors: return an item with a reason.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The item reference.") var reference: String
        @Option(help: "Why (no personal data).") var reason: String

        func run() async throws {
            try await reportingErrors {
                try ClearText.check([("--reason", reason)])
                let item = try await connection.session().call(.returnItem, reference, body: ReasonBody(reason: reason), as: ItemSummary.self)
                print(say("已退回 \(item.reference)", "returned \(item.reference)"))
            }
        }
    }

    struct Accept: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "市办编辑：接收信息 / City editors: accept an item.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The item reference.") var reference: String

        func run() async throws {
            try await reportingErrors {
                let item = try await connection.session().call(.acceptItem, reference, as: ItemSummary.self)
                print(say("已接收 \(item.reference)", "accepted \(item.reference)"))
            }
        }
    }

    struct ZeroReport: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "zero-report", abstract: "零报告：本期无信息可报 / File a zero report for a period (S-4.3).")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "The period: 2026-11, 2026-Q2 or 2026.") var period: String

        func run() async throws {
            try await reportingErrors {
                guard ReportingPeriod(period) != nil else { throw CLIError.input(say("--period 应为 2026-11、2026-Q2 或 2026", "--period is 2026-11, 2026-Q2 or 2026")) }
                _ = try await connection.session().call(.zeroReport, body: ZeroReportBody(period: period), as: [String: Bool].self)
                print(say("已报送 \(period) 零报告", "zero report filed for \(period)"))
            }
        }
    }

    struct Silent: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "本期既无信息也无零报告的节点 / Nodes that filed neither an item nor a zero report in a period.")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "The period: 2026-11, 2026-Q2 or 2026.") var period: String
        @Flag(help: "Machine-readable output.") var json = false

        func run() async throws {
            try await reportingErrors {
                let reply = try await connection.session().call(.silent, query: [("period", period)], as: SilentReply.self)
                if json { try printJSON(reply); return }
                print(say("\(reply.period) 未报送信息也未零报告的单位（\(reply.silent.count)）：", "\(reply.period): nodes with neither an item nor a zero report (\(reply.silent.count)):"))
                for unit in reply.silent { print("  \(unit)") }
                if !reply.zeroReports.isEmpty { print(say("零报告：\(reply.zeroReports.joined(separator: "、"))", "zero reports: \(reply.zeroReports.joined(separator: ", "))")) }
            }
        }
    }
}
