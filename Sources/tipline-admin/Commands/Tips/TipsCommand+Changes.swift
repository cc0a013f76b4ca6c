import AdminClient
import ArgumentParser
import Foundation
import LedgerModel
import NIOHTTP1
import Sealing
import TiplineAdminAPI
import TiplineCore
import TiplineDeployment

extension TipsCommand {
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move a tip's verification status (S-5.1).",
            discussion: "received → triaged | rejected; triaged → verifying; verifying → verified | unfounded; verified | unfounded | rejected → closed. Reasons are kept in clear in the audit log: never write personal data in them.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The tip reference.") var reference: String
        @Argument(help: "The new status.") var status: TipStatus
        @Option(help: "Why (required for rejected and unfounded).") var reason: String?
        @Option(help: "The enforcement unit (required for verifying).") var unit: String?
        @Option(help: "The verified outcome: administrative or criminal (required for verified).") var outcome: TiplineCore.VerifiedOutcome.Kind?
        @Option(help: "Fines and confiscations, in yuan.") var fines: String?
        @Option(help: "Illegal turnover established, in yuan.") var turnover: String?
        @Flag(help: "The lead concerned production equipment.") var equipment = false
        @Flag(help: "Online content harming minors.") var minors = false

        func run() async throws {
            try await reportingErrors {
                var change = StatusChange(to: status, reason: reason, enforcementUnit: unit)
                if let outcome {
                    change.outcome = TiplineCore.VerifiedOutcome(kind: outcome, finesFen: try Yuan.fen(fines, "--fines"),
                                                     turnoverFen: try Yuan.fen(turnover, "--turnover"),
                                                     equipmentLead: equipment, harmsMinorsOnline: minors)
                }
                let result = try await connection.session().call(.changeStatus, reference, body: change, as: StatusReply.self)
                print("\(reference): \(result.status.rawValue)")
            }
        }
    }

    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Assign a tip to a staff member (key id).")
        @OptionGroup var connection: ConnectionOptions
        @Argument var reference: String
        @Option(help: "The assignee's key id.") var to: String
        func run() async throws {
            try await reportingErrors {
                _ = try await connection.session().call(.assign, reference, body: AssignBody(to: to), as: Acknowledged.self)
                print("\(reference): assigned to \(to)")
            }
        }
    }

    struct Urgency: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Raise or lower a tip's urgency (major 1 h, important 1 day, routine 1 week).")
        @OptionGroup var connection: ConnectionOptions
        @Argument var reference: String
        @Argument var urgency: TiplineCore.Urgency
        @Option(help: "Why.") var reason: String
        func run() async throws {
            try await reportingErrors {
                _ = try await connection.session().call(.changeUrgency, reference,
                                                        body: UrgencyBody(urgency: urgency, reason: reason), as: Acknowledged.self)
                print("\(reference): urgency \(urgency.rawValue)")
            }
        }
    }

    struct Duplicate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark a tip as a duplicate of an earlier one (the first reporter counts).")
        @OptionGroup var connection: ConnectionOptions
        @Argument var reference: String
        @Option(help: "The earlier tip.") var of: String
        @Option(help: "Why it is a duplicate (required; kept in clear in the audit log: no personal data).") var reason: String
        func run() async throws {
            try await reportingErrors {
                _ = try await connection.session().call(.markDuplicate, reference, body: DuplicateBody(of: of, reason: reason), as: Acknowledged.self)
                print("\(reference): duplicate of \(of)")
            }
        }
    }
}
