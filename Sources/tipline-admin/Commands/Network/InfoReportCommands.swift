import AdminClient
import ArgumentParser
import Foundation
import Sealing
import TiplineAdminAPI
import TiplineCore
import TiplineDeployment

/// `tipline-admin info reports | report | reply | to-tip` (issue 15, S-4.4): what informants filed
/// through `/informant`. Reports open here with the unit's content key (district office or city
/// office), each read audited; replies are sealed here to the informant's key and the district
/// office; a report becomes a tip (channel 信息员, no identity) or an item (`info new --from-report`).
extension InfoCommand {
    /// A report fetched (an audited read) and opened with the caller's unit content key.
    struct OpenedReport {
        let detail: InformantReportDetail
        let content: InformantReportContent
        let key: CentreKey
    }

    static func openReport(_ reference: String, connection: ConnectionOptions, session: AdminSession) async throws -> OpenedReport {
        let me = try await session.whoami()
        guard let unit = me.unit else { throw CLIError.refused(say("您的密钥没有所属单位", "your key has no unit")) }
        // The key first: a wrong key file is refused before the (audited) read.
        let key = try await LocalCrypto.unitKey(unit, registry: false, session: session, explicit: connection.effective(connection.contentKey, .contentKey))
        let detail = try await session.call(.informantReport, reference, as: InformantReportDetail.self)
        let opened = LocalCrypto.openEnvelope(detail.envelope, field: InformantReportContent.fieldName, with: key, requireCommitment: true)
        if case .notForUs = opened {
            throw CLIError.refused(say("本报告未加密给您单位的内容密钥", "the report is not sealed to your unit's content key"))
        }
        guard case .opened(var plaintext) = opened, let content = try? JSONDecoder().decode(InformantReportContent.self, from: Data(plaintext)),
              content.kind == detail.report.kind else {
            throw CLIError.integrity(say("报告无法打开或与密钥承诺不符：请报告并运行 tipline-audit verify", "the report does not open or does not match its key commitment: report it"))
        }
        SecureWipe.wipe(&plaintext)
        return OpenedReport(detail: detail, content: content, key: key)
    }

    struct Reports: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "信息员报告列表（代号，不含身份）/ Informant reports (by pseudonym; no identity).")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var page: PageOption
        @Flag(help: "Machine-readable output.") var json = false

        func run() async throws {
            try await reportingErrors {
                let reports = try await connection.session().call(.informantReports, query: [("limit", String(page.limit))], as: [InformantReportSummary].self)
                if json { try printJSON(reports); return }
                printTable([say("编号", "REPORT"), say("信息员", "INFORMANT"), say("类别", "KIND"), say("收到", "RECEIVED"), say("照片", "PHOTOS"),
                            say("回复", "REPLIES"), say("去向", "BECAME")], reports.map {
                    [$0.reference, $0.pseudonym, $0.kind.label(UILanguage.current), ShownTime.text(iso: $0.receivedAt), String($0.photos), String($0.replies),
                     [$0.item, $0.tip].compactMap { $0 }.joined(separator: " ")]
                })
            }
        }
    }

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "阅读一份信息员报告（在本机解密；阅读记入审计）/ Read an informant report: decrypted here; the read is audited.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The report reference, IR-2026-000001.") var reference: String
        @Option(name: .customLong("photos"), help: "Save the report's photos into this directory.") var photosDirectory: String?
        @Flag(help: "Machine-readable output.") var json = false

        func run() async throws {
            try await reportingErrors {
                let session = try connection.session()
                let opened = try await InfoCommand.openReport(reference, connection: connection, session: session)
                let report = opened.detail.report
                var replies: [(at: String, by: String, text: String)] = []
                for reply in opened.detail.replies {
                    if case .opened(let text) = LocalCrypto.openEnvelope(reply.envelope, field: InformantReportContent.replyFieldName, with: opened.key) {
                        replies.append((reply.at, reply.by, String(decoding: text, as: UTF8.self)))
                    }
                }
                if let photosDirectory {
                    let directory = URL(fileURLWithPath: photosDirectory)
                    if !FileManager.default.fileExists(atPath: photosDirectory) { try SecureFile.makeDirectory(directory, mode: 0o700) }
                    for (index, photo) in opened.detail.photos.enumerated() {
                        guard case .opened(let bytes) = LocalCrypto.openEnvelope(photo, field: InformantReportContent.photoFieldName, with: opened.key,
                                                                                requireCommitment: true) else {
                            throw CLIError.integrity(say("第 \(index + 1) 张照片无法打开", "photo \(index + 1) does not open"))
                        }
                        let name = "\(reference)-\(index + 1).\(ImageFormat.detect(bytes)?.rawValue ?? "bin")"
                        try SecureFile.create(directory.appendingPathComponent(name), bytes: bytes, mode: 0o600)
                    }
                }
                if json {
                    try printJSON(["reference": report.reference, "pseudonym": report.pseudonym, "kind": report.kind.rawValue, "area": opened.content.area,
                                   "occurred_at": opened.content.occurredAt ?? "", "text": opened.content.text])
                    return
                }
                print("\(report.reference)  \(report.pseudonym)  \(report.kind.label(UILanguage.current))  \(ShownTime.text(iso: report.receivedAt))")
                print(say("地区：\(opened.content.area)  发生时间：\(opened.content.occurredAt ?? "-")", "area: \(opened.content.area)  when: \(opened.content.occurredAt ?? "-")"))
                print(TerminalText.clean(opened.content.text, multiline: true))
                if report.photos > 0 { print(say("照片 \(report.photos) 张\(photosDirectory == nil ? "（--photos DIR 保存）" : "已保存")", "\(report.photos) photos\(photosDirectory == nil ? " (--photos DIR saves them)" : " saved")")) }
                for reply in replies { print(TerminalText.clean(say("  回复 \(ShownTime.text(iso: reply.at)) \(reply.by)：\(reply.text)", "  reply \(ShownTime.text(iso: reply.at)) \(reply.by): \(reply.text)"), multiline: true)) }
                if let item = report.item { print(say("已编为信息 \(item)", "filed as item \(item)")) }
                if let tip = report.tip { print(say("已转为举报 \(tip)", "turned into tip \(tip)")) }
            }
        }
    }

    struct Reply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "信息员管理人：回复信息员（在本机加密给信息员和区县办）/ Handlers: reply to an informant (sealed here to the informant and the district office).")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The report reference.") var reference: String
        @Option(help: "The reply (no other informant's or reporter's details).") var text: String

        func run() async throws {
            try await reportingErrors {
                let clean = text.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !clean.isEmpty, clean.count <= InformantReportContent.maxTextScalars else {
                    throw CLIError.input(say("回复为 1–\(InformantReportContent.maxTextScalars) 字", "a reply of 1–\(InformantReportContent.maxTextScalars) characters"))
                }
                let session = try connection.session()
                let opened = try await InfoCommand.openReport(reference, connection: connection, session: session)
                guard let raw = Hex.decode(opened.detail.informantPublicKey), let informantKey = try? X25519PublicKey(rawRepresentation: raw) else {
                    throw CLIError.integrity(say("信息员公钥无效", "the informant's public key is malformed"))
                }
                let envelope = try EnvelopeCrypto.sealMessage(recordID: opened.detail.envelope.recordID, name: InformantReportContent.replyFieldName,
                                                              value: Array(clean.utf8), recipients: [informantKey, opened.key.publicKey])
                let report = try await session.call(.replyReport, reference, body: InformantReplyBody(envelope: envelope), as: InformantReportSummary.self)
                print(say("已回复 \(report.reference)（信息员凭代码在 /informant 查看）", "replied to \(report.reference) (the informant reads it at /informant with their code)"))
            }
        }
    }

    struct ToTip: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "to-tip",
            abstract: "信息员管理人：将报告转为举报线索（来源渠道“信息员”，无身份）/ Handlers: turn a report into a tip (channel informant, no identity).",
            discussion: "The report is opened here; its text becomes the tip's description, sent to the server, which routes, seals and receipts it as intake does. The informant's pseudonym stays linked through the report; no identity is sealed. The receipt is printed once.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The report reference.") var reference: String
        @Option(help: "The category id (categories.yaml).") var category: String
        @Option(help: "The district id (default: the report's district), or 'unknown'.") var district: String?
        @Option(help: "Where it happens (default: the report's area code).") var place: String?
        @Flag(help: "Machine-readable output (the receipt included: keep it off logs).") var json = false

        func run() async throws {
            try await reportingErrors {
                let policies = try TipsCommand.Record.policies(connection)
                let session = try connection.session()
                let opened = try await InfoCommand.openReport(reference, connection: connection, session: session)
                let form = TipSubmission(category: category, district: district ?? opened.detail.report.district, location: place ?? opened.content.area,
                                         occurredAt: opened.content.occurredAt, description: opened.content.text, reporter: nil, wantsReward: false)
                let tip: ValidatedTip
                do {
                    tip = try form.validate(policies: policies)
                } catch let failure as ValidationFailure {
                    let lines = failure.errors.map { "  \($0.field): \($0.message)" }.joined(separator: "\n")
                    throw CLIError.input(say("不能转为举报，未发送：\n\(lines)", "the report cannot become a tip; nothing was sent:\n\(lines)"))
                }
                let identity = try await TipsCommand.Record.sealedIdentity(of: tip, policies: policies, session: session)
                let reply = try await session.call(.reportToTip, reference, body: RecordTipBody(channel: .informant, tip: .init(form: form), identity: identity),
                                                   as: RecordTipReply.self)
                if json { try printJSON(reply); return }
                let show = Presenter(policies: policies, staff: [])
                print(say("已将 \(reference) 转为举报 \(reply.reference)，分派至 \(show.centre(reply.centre))，处理时限 \(show.time(reply.dueAt))",
                          "\(reference) became tip \(reply.reference), routed to \(show.centre(reply.centre)), due \(show.time(reply.dueAt))"))
            }
        }
    }
}
