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
            abstract: "身份保管人：说明理由后打开举报人身份 / Identity holders: open a reporter's identity, with a recorded reason.",
            discussion: "The server writes the audit entry before it releases the identity ciphertext; this command decrypts it locally and keeps no copy.")
        @OptionGroup var connection: ConnectionOptions
        @Argument var reference: TipReference
        @Option(help: "Why the identity is needed (recorded in the audit log).") var reason: String
        @Flag(help: "Machine-readable output.") var json = false

        func run() async throws {
            try await reportingErrors {
                try ClearText.check([("--reason", reason)])
                let session = try connection.session()
                let me = try await session.whoami()
                let identityKey = try session.centreKey(.identity, centre: me.centre, explicit: connection.identityKey)
                let released = try await session.call(.unseal, reference.rawValue, body: ReasonBody(reason: reason), as: UnsealedIdentity.self)
                guard released.wraps.contains(where: { $0.recipientKeyID == identityKey.publicKey.keyID }) else {
                    throw CLIError.refused(say("身份未加密给本中心的身份密钥", "the identity is not sealed to your centre's identity key"))
                }
                let dataKey = try LocalCrypto.openDataKey(released.wraps, keyClass: .identity, uid: released.uid, with: identityKey,
                                                          commitment: released.identityKeyCommitment.map { Array($0) })
                var identity: [String: String] = [:]
                for (name, value) in try LocalCrypto.openFields(released.fields, uid: released.uid, key: dataKey) {
                    identity[String(name.dropFirst("reporter.".count))] = String(decoding: value, as: UTF8.self)
                }
                if json {
                    try printJSON(["reference": reference.rawValue, "audit_seq": String(released.auditSeq)].merging(identity) { a, _ in a })
                    return
                }
                print(say("\(reference)：举报人身份（审计记录 #\(released.auditSeq)）", "\(reference): identity (audit entry #\(released.auditSeq))"))
                let titles = ["name": "姓名", "phone": "电话", "email": "电子邮件", "id_number": "身份证号", "address": "地址", "contact": "联系方式"]
                for name in ReporterSubmission.fieldNames where identity[name] != nil {
                    print("  \(say(titles[name] ?? name, name)): \(TerminalText.clean(identity[name]!))")
                }
            }
        }
    }
}
