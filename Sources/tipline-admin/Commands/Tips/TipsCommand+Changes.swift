import AdminClient
import ArgumentParser
import Foundation
import TiplineAdminAPI
import TiplineCore

extension TipsCommand {
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "变更举报的核查状态（S-5.1）/ Move a tip's verification status (S-5.1).",
            discussion: "已接收 received → 已受理 triaged | 不予受理 rejected; triaged → 核查中 verifying; verifying → 查证属实 verified | 未查实 unfounded; verified | unfounded | rejected → 已办结 closed. Reasons are kept in clear in the audit log: never write personal data in them.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The tip reference.") var reference: TipReference
        @Argument(help: "The new status (wire name or Chinese label).") var status: TipStatus
        @Option(help: "Why (required for rejected and unfounded).") var reason: String?
        @Option(help: "The enforcement unit (required for verifying).") var unit: String?
        @Option(help: "The verified outcome: administrative or criminal (required for verified).") var outcome: TiplineCore.VerifiedOutcome.Kind?
        @Option(help: "Fines and confiscations, in yuan.") var fines: String?
        @Option(help: "Illegal turnover established, in yuan.") var turnover: String?
        @Flag(help: "The lead concerned production equipment.") var equipment = false
        @Flag(help: "Online content harming minors.") var minors = false

        func run() async throws {
            try await reportingErrors {
                try ClearText.check([("--reason", reason), ("--unit", unit)])
                var change = StatusChange(to: status, reason: reason, enforcementUnit: unit)
                if let outcome {
                    change.outcome = TiplineCore.VerifiedOutcome(kind: outcome, finesFen: try Yuan.fen(fines, "--fines"),
                                                     turnoverFen: try Yuan.fen(turnover, "--turnover"),
                                                     equipmentLead: equipment, harmsMinorsOnline: minors)
                }
                let result = try await connection.session().call(.changeStatus, reference.rawValue, body: change, as: StatusReply.self)
                print(say("\(reference)：\(result.status.label(.zh))", "\(reference): \(result.status.rawValue)"))
            }
        }
    }

    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "把举报分派给同事（按名字）/ Assign a tip to a colleague, by name.")
        @OptionGroup var connection: ConnectionOptions
        @Argument var reference: TipReference
        @Option(help: "The colleague's name (e.g. li.wei) or key id.") var to: String
        func run() async throws {
            try await reportingErrors {
                let session = try connection.session()
                let show = try await Presenter.load(session, deployment: connection.deploymentRoot)
                guard let keyID = show.keyID(named: to) else {
                    throw CLIError.notFound(say("没有名为 \(to) 的在职工作人员", "no active staff member named \(to)"))
                }
                _ = try await session.call(.assign, reference.rawValue, body: AssignBody(to: keyID), as: Acknowledged.self)
                print(say("\(reference)：已分派给 \(show.person(keyID))", "\(reference): assigned to \(show.person(keyID))"))
            }
        }
    }

    struct Urgency: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "调整紧急程度（重大 1 小时、重要 1 天、一般 1 周）/ Raise or lower a tip's urgency (major 1 h, important 1 day, routine 1 week).")
        @OptionGroup var connection: ConnectionOptions
        @Argument var reference: TipReference
        @Argument var urgency: TiplineCore.Urgency
        @Option(help: "Why.") var reason: String
        func run() async throws {
            try await reportingErrors {
                try ClearText.check([("--reason", reason)])
                _ = try await connection.session().call(.changeUrgency, reference.rawValue,
                                                        body: UrgencyBody(urgency: urgency, reason: reason), as: Acknowledged.self)
                print(say("\(reference)：紧急程度 \(urgency.label(.zh))", "\(reference): urgency \(urgency.rawValue)"))
            }
        }
    }

    struct Duplicate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "标记为先前举报的重复（以首报为准）/ Mark a tip as a duplicate of an earlier one (the first reporter counts).")
        @OptionGroup var connection: ConnectionOptions
        @Argument var reference: TipReference
        @Option(help: "The earlier tip.") var of: TipReference
        @Option(help: "Why it is a duplicate (required; kept in clear in the audit log: no personal data).") var reason: String
        func run() async throws {
            try await reportingErrors {
                try ClearText.check([("--reason", reason)])
                _ = try await connection.session().call(.markDuplicate, reference.rawValue, body: DuplicateBody(of: of.rawValue, reason: reason),
                                                        as: Acknowledged.self)
                print(say("\(reference)：重复举报，原举报 \(of)", "\(reference): duplicate of \(of)"))
            }
        }
    }
}
