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
                print(t("\(s.reference)  \(s.status.rawValue)  \(s.urgency.rawValue)  centre \(s.centre)  received \(ISO8601.string(fromSeconds: s.receivedAt))"))
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
}
