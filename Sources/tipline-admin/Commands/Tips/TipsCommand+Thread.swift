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
    struct Note: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "添加内部备注（加密给本线索各中心）/ Add an internal note, sealed to the tip's centres.")
        @OptionGroup var connection: ConnectionOptions
        @Argument var reference: TipReference
        @Option(help: "The note.") var message: String
        func run() async throws {
            try await reportingErrors {
                let session = try connection.session()
                let detail = try await session.call(.tip, reference.rawValue, as: TipDetail.self)
                let recipients = try await session.centreContentKeys(detail.contentCentres)
                let envelope = try LocalCrypto.sealMessage(message, to: recipients)
                _ = try await session.call(.addNote, reference.rawValue, body: EnvelopeBody(envelope: envelope), as: Acknowledged.self)
                print(say("\(reference)：已添加内部备注", "\(reference): note added"))
            }
        }
    }

    struct Reply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "答复举报人（加密给举报人与各中心）/ Reply to the reporter, sealed to the reporter key and the tip's centres.")
        @OptionGroup var connection: ConnectionOptions
        @Argument var reference: TipReference
        @Option(help: "The reply.") var message: String
        func run() async throws {
            try await reportingErrors {
                let session = try connection.session()
                let detail = try await session.call(.tip, reference.rawValue, as: TipDetail.self)
                let reporter = try X25519PublicKey(rawRepresentation: Array(detail.reporterPublicKey))
                let recipients = [reporter] + (try await session.centreContentKeys(detail.contentCentres))
                let envelope = try LocalCrypto.sealMessage(message, to: recipients)
                _ = try await session.call(.reply, reference.rawValue, body: EnvelopeBody(envelope: envelope), as: Acknowledged.self)
                print(say("\(reference)：已答复举报人", "\(reference): reply sent"))
            }
        }
    }
}
