import Foundation
import Sealing
import Testing
import TiplineCore
@testable import TiplineDeployment
import TiplineTestSupport

/// The repository's policies (tests run inside a checkout).
let repoPolicies = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Policies")

/// A new deployment in a temporary directory, removed afterwards. Its keys have the test-only cheap
/// scrypt cost unless `productionKeyCost` asks for exactly what `tipline-admin init` writes.
final class TemporaryDeployment {
    let root: URL
    let passphrase = Array("correct horse battery staple".utf8)
    let summary: DeploymentCreator.Summary

    init(demo: Bool = false, productionKeyCost: Bool = false) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("tipline-deploy-\(UUID().uuidString)")
        if productionKeyCost {
            summary = try DeploymentCreator.create(at: root, policiesSource: repoPolicies, name: "test", demo: demo,
                                                   passphrase: passphrase, serverPassphrase: passphrase)
        } else {
            summary = try TestDeployment.create(at: root, policiesSource: repoPolicies, demo: demo,
                                                passphrase: passphrase, serverPassphrase: passphrase)
        }
    }

    deinit { try? FileManager.default.removeItem(at: root) }
}

@Suite("Deployments (tipline-admin init)")
struct DeploymentTests {
    @Test("init creates every key: 2 per centre, server, TLS, salt, first admin; the deployment opens")
    func create() throws {
        let fixture = try TemporaryDeployment()
        let deployment = try Deployment.open(at: fixture.root)
        #expect(deployment.manifest.centres.count == 11)
        #expect(deployment.manifest.staff.map(\.role) == ["admin"])
        #expect(!deployment.config.demo)
        let ids = deployment.manifest.centres.flatMap { [$0.content.keyID, $0.identity.keyID] } + [deployment.manifest.server.keyID]
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.count == 32 })
        #expect(deployment.privateKeysInPublicPart().isEmpty)
        #expect(deployment.policies.centres.districts.count == 10)
    }

    @Test("Private key files are 0600, in 0700 directories, and encrypted at the production scrypt cost")
    func privateFiles() throws {
        let fixture = try TemporaryDeployment(productionKeyCost: true)
        let layout = fixture.summary.layout
        for dir in [layout.serverDir, layout.holdersDir, layout.dataDir] {
            let mode = try FileManager.default.attributesOfItem(atPath: dir.path)[.posixPermissions] as! Int
            #expect(mode == 0o700, "\(dir.lastPathComponent)")
        }
        var count = 0
        for dir in [layout.serverDir, layout.holdersDir] {
            for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
                let path = dir.appendingPathComponent(name).path
                let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as! Int
                #expect(mode == 0o600, "\(name)")
                let text = String(decoding: FileManager.default.contents(atPath: path)!, as: UTF8.self)
                if name.hasSuffix(".pem") {
                    #expect(text.contains("BEGIN ENCRYPTED PRIVATE KEY"), "\(name)")
                    #expect(!text.contains("BEGIN " + "PRIVATE KEY") && !text.contains("BEGIN EC " + "PRIVATE KEY"), "\(name)")
                    // `init` (no cost given) writes scrypt N = 2^15, r = 8, p = 1 — never the tests' cheap cost.
                    #expect(Self.scryptCost(pem: text) == Self.productionCostDER, "\(name)")
                    count += 1
                }
            }
        }
        // centre keys + admin + server signing + TLS + one content key per network unit and one registry key
        // per district office (issue 14, NETWORK.md "Keys").
        let units = try Deployment.open(at: fixture.root).policies.units.units
        #expect(count == 11 * 2 + 1 + 2 + units.count + units.filter { $0.kind == .districtOffice }.count)
    }

    @Test("Holder keys open with the passphrase and match the public manifest; a wrong passphrase is a clear error")
    func passphrase() throws {
        let fixture = try TemporaryDeployment()
        let deployment = try Deployment.open(at: fixture.root)
        let pem = String(decoding: try SecureFile.read(deployment.layout.centreKey("nanming", "identity")), as: UTF8.self)
        let key = try X25519PrivateKey(encryptedPEM: pem, passphrase: fixture.passphrase)
        #expect(try deployment.manifest.centreKey("nanming", .identity) == key.publicKey)
        #expect(throws: SealingError.wrongPassphrase) {
            try X25519PrivateKey(encryptedPEM: pem, passphrase: Array("wrong".utf8))
        }
        #expect(throws: DeploymentError.wrongPassphrase("server/signing-key.pem")) {
            try ServerSecrets.load(deployment, passphrase: Array("wrong".utf8))
        }
        let secrets = try ServerSecrets.load(deployment, passphrase: fixture.passphrase)
        #expect(secrets.receiptSalt.count == 32)
        #expect(secrets.tlsPrivateKeyDER.count > 32)
        #expect(secrets.tlsCertificatePEM.contains("BEGIN CERTIFICATE"))
    }

    /// INTEGER 32768, INTEGER 8, INTEGER 1: the scrypt-params N, r, p of `Scrypt.Parameters.default`.
    static let productionCostDER: [UInt8] = [0x02, 0x03, 0x00, 0x80, 0x00, 0x02, 0x01, 0x08, 0x02, 0x01, 0x01]

    /// The bytes after the first 16-byte OCTET STRING of an encrypted PEM's DER: in PBES2-scrypt that
    /// is the salt, followed by the scrypt-params N, r, p (the OIDs before it hold no `04 10`).
    static func scryptCost(pem: String) -> [UInt8]? {
        let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        guard let data = Data(base64Encoded: body) else { return nil }
        let der = Array(data)
        guard let start = der.indices.dropLast(18).first(where: { der[$0] == 0x04 && der[$0 + 1] == 0x10 }) else { return nil }
        return Array(der[(start + 18)...].prefix(productionCostDER.count))
    }

    @Test("init refuses to overwrite a deployment")
    func noOverwrite() throws {
        let fixture = try TemporaryDeployment()
        #expect(throws: DeploymentError.alreadyExists(fixture.root.path)) {
            try DeploymentCreator.create(at: fixture.root, policiesSource: repoPolicies, name: "again", demo: false,
                                         passphrase: fixture.passphrase, serverPassphrase: fixture.passphrase)
        }
    }

    @Test("A private key dropped into public/ is found")
    func leakedKey() throws {
        let fixture = try TemporaryDeployment()
        let deployment = try Deployment.open(at: fixture.root)
        try SecureFile.create(deployment.layout.publicDir.appendingPathComponent("oops.pem"),
                              text: "-----BEGIN " + "PRIVATE KEY-----\nAAAA\n-----END " + "PRIVATE KEY-----\n", mode: 0o644)
        #expect(deployment.privateKeysInPublicPart() == ["public/oops.pem"])
    }
}
