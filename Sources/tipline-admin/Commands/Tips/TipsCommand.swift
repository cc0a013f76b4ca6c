import AdminClient
import ArgumentParser
import Foundation
import LedgerModel
import NIOHTTP1
import Sealing
import TiplineAdminAPI
import TiplineCore
import TiplineDeployment

/// `tipline-admin tips …`: triage work over the signed admin API.
struct TipsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tips", abstract: "处理举报：队列、查看、状态、答复、转办、解封 / Work on tips: queue, show, status, reply, route, unseal.",
        subcommands: [Queue.self, Overdue.self, Show.self, Status.self, Assign.self, Urgency.self, Duplicate.self,
                      Note.self, Reply.self, Route.self, Pending.self, WrapIdentity.self, Unseal.self, Record.self])
    // One file per job: TipsCommand+Lists (queue, overdue), +Show, +Changes (status, assign, urgency,
    // duplicate), +Thread (note, reply), +Routing (route, pending, wrap-identity), +Unseal, +Record (tips
    // taken by phone, letter, visit or e-mail).
}

/// Yuan amounts typed by staff, converted to exact fen.
enum Yuan {
    static func fen(_ text: String?, _ option: String) throws -> Int64? {
        guard let text else { return nil }
        guard let value = Fen(parsingYuan: text) else {
            throw CLIError.input(say("\(option)：应为以元计的金额，如 3000 或 3000.50", "\(option): expected an amount in yuan, e.g. 3000 or 3000.50"))
        }
        return value.rawValue
    }
}

/// The queue as a table, or as JSON with China-time ISO 8601 times (issue 13, items 3 and 6).
enum TipTable {
    /// One tip as `--json` shows it: the server's summary with times as ISO 8601 with offset, names beside ids.
    struct Row: Encodable {
        let reference: String
        let status: TipStatus
        let statusLabel: String
        let urgency: Urgency
        let centre: String
        let category: String
        let categoryLabel: String
        let district: String
        let receivedAt: String
        let dueAt: String?
        let assignedTo: String?
        let assignee: String?
        let hasIdentity: Bool
        let evidenceCount: Int
        let wantsReward: Bool
        let duplicateOf: String?
        let channel: TipChannel
        let channelLabel: String

        enum CodingKeys: String, CodingKey {
            case reference, status, urgency, centre, category, district, assignee, channel
            case channelLabel = "channel_label"
            case statusLabel = "status_label", categoryLabel = "category_label"
            case receivedAt = "received_at", dueAt = "due_at", assignedTo = "assigned_to"
            case hasIdentity = "has_identity", evidenceCount = "evidence_count", wantsReward = "wants_reward", duplicateOf = "duplicate_of"
        }

        init(_ tip: TipSummary, _ show: Presenter) {
            reference = tip.reference
            status = tip.status
            statusLabel = show.status(tip.status)
            urgency = tip.urgency
            centre = tip.centre
            category = tip.category
            categoryLabel = show.category(tip.category)
            district = tip.district
            receivedAt = ShownTime.json(tip.receivedAt)
            dueAt = tip.dueAt.map(ShownTime.json)
            assignedTo = tip.assignedTo
            assignee = tip.assignedTo.map(show.person)
            hasIdentity = tip.hasIdentity
            evidenceCount = tip.evidenceCount
            wantsReward = tip.wantsReward
            duplicateOf = tip.duplicateOf
            channel = tip.channel
            channelLabel = tip.channel.label(UILanguage.current)
        }
    }

    static func print(_ tips: [TipSummary], json: Bool, show: Presenter) throws {
        if json { try printJSON(tips.map { Row($0, show) }); return }
        let header = [say("编号", "REFERENCE"), say("状态", "STATUS"), say("紧急程度", "URGENCY"), say("中心", "CENTRE"),
                      say("类别", "CATEGORY"), say("渠道", "CHANNEL"), say("接收时间", "RECEIVED"), say("时限", "DUE"), say("剩余", "TIME LEFT"),
                      say("承办人", "ASSIGNEE"), say("身份", "ID"), say("证据", "EV"), say("奖励", "REWARD"), say("重复", "DUP")]
        printTable(header, tips.map { tip in
            return [tip.reference, show.status(tip.status), show.urgency(tip.urgency), show.centre(tip.centre), show.category(tip.category),
                    tip.channel.label(UILanguage.current), show.time(tip.receivedAt), show.time(tip.dueAt), tip.status.isDecided ? "-" : (tip.dueAt.map { ShownTime.left(until: $0) } ?? "-"),
                    tip.assignedTo.map { show.person($0) } ?? "-",
                    tip.hasIdentity ? say("密封", "sealed") : say("匿名", "anon"), String(tip.evidenceCount),
                    tip.wantsReward ? say("申请", "yes") : "-", tip.duplicateOf.map { say("重复 \($0)", "dup of \($0)") } ?? "-"]
        })
    }
}
