import AdminClient
import ArgumentParser
import Foundation
import LedgerModel
import Sealing
import TiplineAdminAPI
import TiplineCore
import TiplineDeployment

extension TipsCommand {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "查看举报（用本中心内容密钥在本机解密；身份保持密封）/ Show a tip, decrypted locally. The identity stays sealed.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The tip reference, e.g. GY-2026-000001 (or 2026-1).") var reference: TipReference
        @Option(help: "Write the decrypted evidence files into this directory.") var saveEvidence: String?
        @Flag(help: "Machine-readable output.") var json = false
        @Flag(help: "Show key ids beside names.") var verbose = false

        func run() async throws {
            try await reportingErrors {
                let session = try connection.session()
                let me = try await session.whoami()
                // The key is checked against the pinned public keys before anything is asked of the server.
                let key = try session.centreKey(.content, centre: me.centre, explicit: connection.contentKey)
                let detail = try await session.call(.tip, reference.rawValue, as: TipDetail.self)
                let show = try await Presenter.load(session, deployment: connection.deploymentRoot, verbose: verbose)
                var fields: [String: String] = [:]
                var thread: [ShownTip.Message] = []
                var fileCount = detail.evidence.count + (detail.addedEvidence?.count ?? 0)
                var unopened = 0
                var badFiles = 0
                if !detail.contentShredded {
                    let dataKey = try LocalCrypto.contentKey(detail, with: key)
                    for (name, value) in try LocalCrypto.openFields(detail.fields, uid: detail.uid, key: dataKey) {
                        fields[name] = String(decoding: value, as: UTF8.self)
                    }
                    // Files from intake, then those the reporter added later (each sealed on its own).
                    var files = try LocalCrypto.openFields(detail.evidence, uid: detail.uid, key: dataKey).map(\.1)
                    for item in detail.addedEvidence ?? [] {
                        switch LocalCrypto.openEnvelope(item, field: "evidence", with: key) {
                        case .opened(let bytes): files.append(bytes)
                        case .notForUs: unopened += 1
                        case .bad: badFiles += 1
                        }
                    }
                    fileCount = files.count
                    if let dir = saveEvidence {
                        // Names from the reference and an index; 0700 directory, new 0600 files only.
                        let directory = try EvidenceDirectory(path: dir)
                        for (index, bytes) in files.enumerated() {
                            try directory.write(bytes, reference: reference.rawValue, index: index + 1, ext: ImageFormat.detect(bytes)?.rawValue ?? "bin")
                        }
                    }
                    for item in detail.messages {
                        let author = item.author == "reporter" ? say("举报人", "reporter") : show.person(item.authorKeyID ?? item.author)
                        thread.append(.init(kind: item.author == "reporter" ? "reporter" : "reply", author: author, at: item.createdAt,
                                            text: LocalCrypto.threadLine(item, with: key, author: author)))
                    }
                    for item in detail.notes {
                        let author = show.person(item.authorKeyID)
                        thread.append(.init(kind: "note", author: author, at: item.createdAt, text: LocalCrypto.threadLine(item, with: key, author: author)))
                    }
                    thread.sort { $0.at < $1.at }
                }
                let identity = detail.identityShredded ? say("已销毁（保存期满）", "destroyed (retention)") :
                    detail.identityFieldNames.isEmpty ? say("匿名", "anonymous") : say("密封：", "sealed: ") + detail.identityFieldNames.joined(separator: ", ")
                let steps = detail.routeSteps ?? detail.routes.map { RouteStep(centre: $0, at: detail.summary.receivedAt, by: "server", rule: "") }
                if json {
                    try printJSON(ShownTip(summary: TipTable.Row(detail.summary, show), fields: fields, thread: thread, identity: identity,
                                           routes: steps.map { .init($0, show) }, evidence: fileCount,
                                           enforcementUnit: detail.enforcementUnit, outcome: detail.outcome))
                    return
                }
                // Everything below comes from the data: no terminal controls reach the screen.
                func t(_ text: String) -> String { TerminalText.clean(text) }
                let s = detail.summary
                print(t("\(s.reference)  \(show.status(s.status))  \(show.urgency(s.urgency))  \(say("中心", "centre")) \(show.centre(s.centre))  \(say("接收于", "received")) \(show.time(s.receivedAt))"))
                print(t("\(say("类别", "category")): \(show.category(s.category))   \(say("区县", "district")): \(show.district(s.district))   \(say("来源渠道", "channel")): \(s.channel.label(UILanguage.current))"))
                if let due = s.dueAt, !s.status.isDecided {
                    print(say("下一步时限", "next action due") + ": \(show.time(due))（\(ShownTime.left(until: due))）")
                }
                print(t(say("承办人", "assignee") + ": " + (s.assignedTo.map { show.person($0) } ?? say("未分派", "unassigned"))))
                print(t(say("转办经过", "routing") + ": " + steps.map { RouteLine.text($0, show) }.joined(separator: " → ")))
                if let unit = detail.enforcementUnit { print(t(say("执法单位", "enforcement unit") + ": \(unit)")) }
                if let outcome = detail.outcome { print(t(say("查处结果", "outcome") + ": " + OutcomeLine.text(outcome))) }
                print(say("奖励", "reward") + ": " + (s.wantsReward ? say("举报人申请奖励", "the reporter asks for a reward") : say("未申请", "not requested")))
                if let duplicate = s.duplicateOf { print(t(say("重复举报，原举报", "duplicate of") + ": \(duplicate)")) }
                print(t(say("身份", "identity") + ": \(identity)"))
                if detail.contentShredded { print(say("内容：已销毁（保存期满）", "content: destroyed (retention)")) }
                let titles = ["occurred_at": say("发生时间", "occurred_at"), "location": say("地点", "location"), "description": say("情况描述", "description")]
                for name in ["occurred_at", "location", "description"] where fields[name] != nil {
                    print("\n[\(titles[name]!)]\n\(TerminalText.clean(fields[name]!, multiline: true))")
                }
                let added = detail.addedEvidence?.count ?? 0
                print("\n" + say("证据文件", "evidence files") + ": \(fileCount)" + (added > 0 ? say("（其中举报人后来补充 \(added) 个）", " (\(added) added later by the reporter)") : "")
                      + (saveEvidence != nil ? say("（已保存）", " (saved)") : ""))
                if unopened > 0 { print(say("⚠ \(unopened) 个补充文件未加密给本中心", "⚠ \(unopened) added files are not sealed to your centre")) }
                if badFiles > 0 { print(say("⚠ \(badFiles) 个补充文件无法打开（包装或密钥承诺不符）", "⚠ \(badFiles) added files do not open (bad wrap or key commitment)")) }
                if !thread.isEmpty {
                    print("\n[" + say("往来", "thread") + "]")
                    for message in thread {
                        let kind = message.kind == "note" ? say("内部备注", "note") : ""
                        print("\(show.time(message.at)) \(t(message.author))\(kind.isEmpty ? "" : " [\(kind)]"): \(TerminalText.clean(message.text, multiline: true))")
                    }
                }
            }
        }
    }

    /// `tips show --json`.
    struct ShownTip: Encodable {
        struct Message: Encodable {
            let kind: String
            let author: String
            let at: Int64
            let text: String
            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(kind, forKey: .kind)
                try c.encode(author, forKey: .author)
                try c.encode(ShownTime.json(at), forKey: .at)
                try c.encode(text, forKey: .text)
            }
            enum CodingKeys: String, CodingKey { case kind, author, at, text }
        }
        struct Route: Encodable {
            let centre: String
            let at: String
            let by: String
            let rule: String
            init(_ step: RouteStep, _ show: Presenter) {
                centre = step.centre
                at = ShownTime.json(step.at)
                by = show.person(step.by)
                rule = step.rule
            }
        }
        let summary: TipTable.Row
        let fields: [String: String]
        let thread: [Message]
        let identity: String
        let routes: [Route]
        let evidence: Int
        let enforcementUnit: String?
        let outcome: TiplineCore.VerifiedOutcome?
        enum CodingKeys: String, CodingKey {
            case summary, fields, identity, routes, evidence, outcome
            case thread = "messages"
            case enforcementUnit = "enforcement_unit"
        }
    }
}

/// One routing step in words: `南明区中心（规则 district-default，受理服务器，2026-11-30 18:51 UTC+8）`.
enum RouteLine {
    static func text(_ step: RouteStep, _ show: Presenter) -> String {
        let rule = step.rule == "manual" ? say("人工转办", "re-routed") : step.rule.isEmpty ? "" : say("规则 \(step.rule)", "rule \(step.rule)")
        let parts = [rule, show.person(step.by), show.time(step.at)].filter { !$0.isEmpty && $0 != "-" }
        return show.centre(step.centre) + (UILanguage.current == .zh ? "（\(parts.joined(separator: "，"))）" : " (\(parts.joined(separator: ", ")))")
    }
}

/// A verified outcome in words.
enum OutcomeLine {
    static func text(_ outcome: TiplineCore.VerifiedOutcome) -> String {
        var parts = [outcome.kind == .criminal ? say("刑事立案", "criminal case") : say("行政处罚", "administrative penalty")]
        if let fines = outcome.finesFen { parts.append(say("罚没 \(Fen(fines))", "fines \(Fen(fines))")) }
        if let turnover = outcome.turnoverFen { parts.append(say("非法经营额 \(Fen(turnover))", "turnover \(Fen(turnover))")) }
        if outcome.equipmentLead { parts.append(say("涉及生产设备", "production equipment")) }
        if outcome.harmsMinorsOnline { parts.append(say("网上危害未成年人", "online harm to minors")) }
        return parts.joined(separator: UILanguage.current == .zh ? "，" : ", ")
    }
}
