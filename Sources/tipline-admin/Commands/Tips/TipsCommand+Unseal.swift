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
