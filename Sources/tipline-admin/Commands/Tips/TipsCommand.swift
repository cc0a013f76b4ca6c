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
        commandName: "tips", abstract: "Work on tips: queue, show, status, reply, route, unseal.",
        subcommands: [Queue.self, Overdue.self, Show.self, Status.self, Assign.self, Urgency.self, Duplicate.self,
                      Note.self, Reply.self, Route.self, Pending.self, WrapIdentity.self, Unseal.self])
    // One file per job: TipsCommand+Lists (queue, overdue), +Show, +Changes (status, assign, urgency,
    // duplicate), +Thread (note, reply), +Routing (route, pending, wrap-identity), +Unseal.
}

/// Yuan amounts typed by staff, converted to exact fen.
enum Yuan {
    static func fen(_ text: String?, _ option: String) throws -> Int64? {
        guard let text else { return nil }
        guard let value = Fen(parsingYuan: text) else { throw CLIError.input("\(option): expected an amount in yuan, e.g. 3000 or 3000.50") }
        return value.rawValue
    }
}

/// The queue as a table.
enum TipTable {
    static func print(_ tips: [TipSummary], json: Bool, lang: Language, deployment: URL) throws {
        if json { try printJSON(tips); return }
        let policies = try? Deployment.open(at: deployment).policies
        printTable(["REFERENCE", "STATUS", "URGENCY", "CENTRE", "CATEGORY", "RECEIVED", "DUE", "ID", "EV"], tips.map { tip in
            let category = policies?.categories.category(CategoryID(tip.category))?.label(lang) ?? tip.category
            return [tip.reference, tip.status.rawValue, tip.urgency.rawValue, tip.centre, String(category.prefix(16)),
                    ISO8601.string(fromSeconds: tip.receivedAt), tip.dueAt.map { ISO8601.string(fromSeconds: $0) } ?? "-",
                    tip.hasIdentity ? "sealed" : "anon", String(tip.evidenceCount)]
        })
    }
}
