import AdminClient
import ArgumentParser
import Foundation
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

    struct Queue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tips your centre can see, most urgent first.")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "Only tips of this centre.") var centre: String?
        @Option(help: "Only tips in this status.") var status: TipStatus?
        @Flag(help: "Only tips past their due time.") var overdue = false
        @OptionGroup var page: PageOption
        @Flag(help: "Machine-readable output.") var json = false
        @Option(help: "Label language: zh or en.") var lang: Language = .zh

        func run() async throws {
            try await reportingErrors {
                let session = try connection.session()
                var query = [(name: "limit", value: "\(page.limit)")]
                if let centre { query.append(("centre", centre)) }
                if let status { query.append(("status", status.rawValue)) }
                if overdue { query.append(("overdue", "1")) }
                let tips = try await session.call(.queue, query: query, as: [TipSummary].self)
                try TipTable.print(tips, json: json, lang: lang, deployment: connection.deploymentRoot)
            }
        }
    }

    struct Overdue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List tips past their S-4.1 due time, most overdue first.",
            discussion: "`stats` gives how many are overdue per centre; `--limit` (at most 10000) shows more of them.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var page: PageOption
        @Flag(help: "Machine-readable output.") var json = false
        @Option(help: "Label language: zh or en.") var lang: Language = .zh

        func run() async throws {
            try await reportingErrors {
                let tips = try await connection.session().call(.overdue, query: [("limit", "\(page.limit)")], as: [TipSummary].self)
                try TipTable.print(tips, json: json, lang: lang, deployment: connection.deploymentRoot)
                if !json, tips.count == page.limit {
                    FileHandle.standardError.write(Data("(the \(page.limit) most overdue shown; `stats` counts them all, `--limit` shows more)\n".utf8))
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a tip, decrypted locally with your centre's content key. The identity stays sealed.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The tip reference, e.g. GY-2026-000001.") var reference: String
        @Option(help: "Write the decrypted evidence files into this directory.") var saveEvidence: String?
        @Flag(help: "Machine-readable output.") var json = false

        func validate() throws {
            if saveEvidence != nil, (try? EvidenceDirectory.fileName(reference: reference, index: 1, ext: "bin")) == nil {
                throw ValidationError("the reference must be letters, digits and '-' (e.g. GY-2026-000001)")
            }
        }

        func run() async throws {
            try await reportingErrors {
                let session = try connection.session()
                let me = try await session.whoami()
                let detail = try await session.call(.tip, reference, as: TipDetail.self)
                let key = try session.centreKey(.content, centre: me.centre, explicit: connection.contentKey)
                var fields: [String: String] = [:]
                var messages: [[String: String]] = []
                if !detail.contentShredded {
                    let dataKey = try LocalCrypto.contentKey(detail, with: key)
                    for (name, value) in try LocalCrypto.openFields(detail.fields, uid: detail.uid, key: dataKey) {
                        fields[name] = String(decoding: value, as: UTF8.self)
                    }
                    if let dir = saveEvidence {
                        // Names from the reference typed here and an index; 0700 directory, new 0600 files only.
                        let directory = try EvidenceDirectory(path: dir)
                        for (index, (_, bytes)) in try LocalCrypto.openFields(detail.evidence, uid: detail.uid, key: dataKey).enumerated() {
                            try directory.write(bytes, reference: reference, index: index + 1, ext: ImageFormat.detect(bytes)?.rawValue ?? "bin")
                        }
                    }
                    for item in detail.messages {
                        messages.append(["author": item.author, "at": ISO8601.string(fromSeconds: item.createdAt),
                                         "text": LocalCrypto.threadLine(item, with: key)])
                    }
                    for item in detail.notes {
                        messages.append(["author": "note", "at": ISO8601.string(fromSeconds: item.createdAt),
                                         "text": LocalCrypto.threadLine(item, with: key)])
                    }
                }
                let identity = detail.identityShredded ? "destroyed (retention)" :
                    detail.identityFieldNames.isEmpty ? "anonymous" : "sealed: " + detail.identityFieldNames.joined(separator: ", ")
                if json {
                    try printJSON(ShownTip(summary: detail.summary, fields: fields, messages: messages, identity: identity,
                                           routes: detail.routes, evidence: detail.evidence.count,
                                           enforcementUnit: detail.enforcementUnit, outcome: detail.outcome))
                    return
                }
                // Everything below comes from the data: no terminal controls reach the screen.
                func t(_ text: String) -> String { TerminalText.clean(text) }
                let s = detail.summary
                print(t("\(s.reference)  \(s.status)  \(s.urgency)  centre \(s.centre)  received \(ISO8601.string(fromSeconds: s.receivedAt))"))
                print(t("category: \(s.category)   district: \(s.district)   routes: \(detail.routes.joined(separator: " → "))"))
                if let due = s.dueAt { print("next action due: \(ISO8601.string(fromSeconds: due))") }
                if let unit = detail.enforcementUnit { print(t("enforcement unit: \(unit)")) }
                if let duplicate = s.duplicateOf { print(t("duplicate of: \(duplicate)")) }
                print(t("identity: \(identity)"))
                if detail.contentShredded { print("content: destroyed (retention)") }
                for name in ["occurred_at", "location", "description"] where fields[name] != nil {
                    print("\n[\(name)]\n\(TerminalText.clean(fields[name]!, multiline: true))")
                }
                print("\nevidence files: \(detail.evidence.count)\(saveEvidence != nil ? " (saved)" : "")")
                if !messages.isEmpty {
                    print("\n[thread]")
                    for message in messages {
                        print("\(t(message["at"]!)) \(t(message["author"]!)): \(TerminalText.clean(message["text"]!, multiline: true))")
                    }
                }
            }
        }
    }

    struct ShownTip: Encodable {
        let summary: TipSummary
        let fields: [String: String]
        let messages: [[String: String]]
        let identity: String
        let routes: [String]
        let evidence: Int
        let enforcementUnit: String?
        let outcome: TiplineCore.VerifiedOutcome?
    }

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

    struct Note: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an internal note, sealed to the tip's centres.")
        @OptionGroup var connection: ConnectionOptions
        @Argument var reference: String
        @Option(help: "The note.") var message: String
        func run() async throws {
            try await reportingErrors {
                let session = try connection.session()
                let detail = try await session.call(.tip, reference, as: TipDetail.self)
                let recipients = try await session.centreContentKeys(detail.contentCentres)
                let envelope = try LocalCrypto.sealMessage(message, to: recipients)
                _ = try await session.call(.addNote, reference, body: EnvelopeBody(envelope: envelope), as: Acknowledged.self)
                print("\(reference): note added")
            }
        }
    }

    struct Reply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reply to the reporter, sealed to the reporter key and the tip's centres.")
        @OptionGroup var connection: ConnectionOptions
        @Argument var reference: String
        @Option(help: "The reply.") var message: String
        func run() async throws {
            try await reportingErrors {
                let session = try connection.session()
                let detail = try await session.call(.tip, reference, as: TipDetail.self)
                let reporter = try X25519PublicKey(rawRepresentation: Array(detail.reporterPublicKey))
                let recipients = [reporter] + (try await session.centreContentKeys(detail.contentCentres))
                let envelope = try LocalCrypto.sealMessage(message, to: recipients)
                _ = try await session.call(.reply, reference, body: EnvelopeBody(envelope: envelope), as: Acknowledged.self)
                print("\(reference): reply sent")
            }
        }
    }

    struct Route: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-route a tip to another centre.",
            discussion: "Unwraps the content key with your centre's content key and wraps it for the new centre. If you also hold your centre's identity key (--identity-key), the identity key is re-wrapped too; otherwise an identity holder finishes it with `tips wrap-identity` (see `tips pending`).")
        @OptionGroup var connection: ConnectionOptions
        @Argument var reference: String
        @Option(help: "The new centre id.") var to: String
        @Option(help: "Why.") var reason: String

        func run() async throws {
            try await reportingErrors {
                let session = try connection.session()
                let me = try await session.whoami()
                let detail = try await session.call(.tip, reference, as: TipDetail.self)
                let newKeys = try await session.centreKeys(to)
                let contentKey = try session.centreKey(.content, centre: me.centre, explicit: connection.contentKey)
                // Wraps are append-only: a key of the new centre that already has a wrap (the city, or a
                // centre the tip was routed to before) keeps it, and none is sent for it. The content key is
                // opened (and checked against its commitment) either way: only someone who can read the tip re-routes it.
                let contentWrap = try LocalCrypto.rewrap(detail.wraps, keyClass: .content, uid: detail.uid, with: contentKey, for: newKeys.content,
                                                         commitment: detail.contentKeyCommitment.map { Array($0) })
                let hasContent = detail.wraps.contains { $0.keyClass == KeyClass.content.rawValue && $0.recipientKeyID == newKeys.content.keyID }
                let hasIdentity = detail.identityWrapCentres?.contains(to) ?? false
                var identityWrap: RecipientWrap?
                if connection.identityKey != nil, !hasIdentity, !detail.identityShredded {
                    let identityKey = try session.centreKey(.identity, centre: me.centre, explicit: connection.identityKey)
                    identityWrap = try LocalCrypto.rewrap(detail.identityWraps, keyClass: .identity, uid: detail.uid,
                                                          with: identityKey, for: newKeys.identity,
                                                          commitment: detail.identityKeyCommitment.map { Array($0) })
                }
                let body = RouteBody(to: to, reason: reason, contentWrap: hasContent ? nil : Data(contentWrap.serialized()),
                                        identityWrap: identityWrap.map { Data($0.serialized()) })
                let result = try await session.call(.route, reference, body: body, as: RouteReply.self)
                print("\(reference): routed to \(to)" + (result.identityWrapPending ? " (identity wrap pending: an identity holder must run `tips wrap-identity`)" : ""))
            }
        }
    }

    struct Pending: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List identity wraps left pending by re-routings.")
        @OptionGroup var connection: ConnectionOptions
        @Flag(help: "Machine-readable output.") var json = false
        func run() async throws {
            try await reportingErrors {
                let pending = try await connection.session().call(.pendingWraps, as: [PendingWrap].self)
                if json { try printJSON(pending); return }
                printTable(["REFERENCE", "FOR CENTRE", "REQUESTED", "BY"], pending.map {
                    [$0.reference, $0.centre, ISO8601.string(fromSeconds: $0.requestedAt), $0.requestedBy]
                })
            }
        }
    }

    struct WrapIdentity: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Identity holders: add a pending identity wrap for the centre a tip was re-routed to.")
        @OptionGroup var connection: ConnectionOptions
        @Argument var reference: String
        @Option(help: "The centre the tip was routed to.") var centre: String
        func run() async throws {
            try await reportingErrors {
                let session = try connection.session()
                let me = try await session.whoami()
                guard let pending = try await session.call(.pendingWraps, as: [PendingWrap].self)
                    .first(where: { $0.reference == reference && $0.centre == centre }) else {
                    throw CLIError.notFound("no identity wrap is pending for \(reference) and \(centre)")
                }
                let identityKey = try session.centreKey(.identity, centre: me.centre, explicit: connection.identityKey)
                let wrap = try LocalCrypto.rewrap(pending.wraps, keyClass: .identity, uid: pending.uid, with: identityKey,
                                                  for: try await session.centreKeys(centre).identity,
                                                  commitment: pending.identityKeyCommitment.map { Array($0) })
                _ = try await session.call(.addIdentityWrap, reference,
                                           body: IdentityWrapBody(centre: centre, wrap: Data(wrap.serialized())), as: Acknowledged.self)
                print("\(reference): identity wrapped for \(centre)")
            }
        }
    }

    struct Unseal: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Identity holders: open a reporter's identity, with a recorded reason.",
            discussion: "The server writes the audit entry before it releases the identity ciphertext; this command decrypts it locally and keeps no copy.")
        @OptionGroup var connection: ConnectionOptions
        @Argument var reference: String
        @Option(help: "Why the identity is needed (recorded in the audit log).") var reason: String
        @Flag(help: "Machine-readable output.") var json = false

        func run() async throws {
            try await reportingErrors {
                let session = try connection.session()
                let me = try await session.whoami()
                let identityKey = try session.centreKey(.identity, centre: me.centre, explicit: connection.identityKey)
                let released = try await session.call(.unseal, reference, body: ReasonBody(reason: reason), as: UnsealedIdentity.self)
                guard released.wraps.contains(where: { $0.recipientKeyID == identityKey.publicKey.keyID }) else {
                    throw CLIError.refused("the identity is not sealed to your centre's identity key")
                }
                let dataKey = try LocalCrypto.openDataKey(released.wraps, keyClass: .identity, uid: released.uid, with: identityKey,
                                                          commitment: released.identityKeyCommitment.map { Array($0) })
                var identity: [String: String] = [:]
                for (name, value) in try LocalCrypto.openFields(released.fields, uid: released.uid, key: dataKey) {
                    identity[String(name.dropFirst("reporter.".count))] = String(decoding: value, as: UTF8.self)
                }
                if json {
                    try printJSON(["reference": reference, "audit_seq": String(released.auditSeq)].merging(identity) { a, _ in a })
                    return
                }
                print("\(reference): identity (audit entry #\(released.auditSeq))")
                for name in ReporterSubmission.fieldNames where identity[name] != nil { print("  \(name): \(TerminalText.clean(identity[name]!))") }
            }
        }
    }
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
            return [tip.reference, tip.status, tip.urgency, tip.centre, String(category.prefix(16)),
                    ISO8601.string(fromSeconds: tip.receivedAt), tip.dueAt.map { ISO8601.string(fromSeconds: $0) } ?? "-",
                    tip.hasIdentity ? "sealed" : "anon", String(tip.evidenceCount)]
        })
    }
}

import LedgerModel
