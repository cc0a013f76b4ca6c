public import Foundation
public import Sealing
import LedgerModel
import TiplineCore

/// `tipline-admin init`: creates a deployment directory with every key it needs.
public enum DeploymentCreator {
    /// What `create` made, for the CLI to print.
    public struct Summary: Sendable {
        /// Where the new deployment's files are.
        public let layout: DeploymentLayout
        /// The public keys written to `public/keys.json`.
        public let manifest: PublicKeyManifest
        /// The first administrator's key file, in `holders/`.
        public let adminKeyFile: URL
    }

    /// Creates a deployment at `root` from the policies in `policiesSource`.
    ///
    /// - Parameters:
    ///   - passphrase: encrypts the holders' private keys (centre keys, first administrator).
    ///   - holderPassphrase: when given, each holder file gets its own passphrase from it (called with
    ///     the file's name) instead of `passphrase` (issue 13, item 9: per-holder passphrases).
    ///   - serverPassphrase: encrypts the intake host's own keys (signing and TLS).
    ///   - keyProtection: the scrypt cost of every private key file written. `tipline-admin init`
    ///     never passes it, so deployments always get `Scrypt.Parameters.default`; only test
    ///     fixtures pass a lower cost, to avoid paying the production KDF per fixture.
    public static func create(at root: URL, policiesSource: URL, name: String, demo: Bool,
                              passphrase: [UInt8], serverPassphrase: [UInt8],
                              adminName: String = "admin",
                              holderPassphrase: ((String) throws -> [UInt8])? = nil,
                              keyProtection: Scrypt.Parameters = .default) throws -> Summary {
        func holder(_ file: URL) throws -> [UInt8] { try holderPassphrase?(file.lastPathComponent) ?? passphrase }
        let layout = DeploymentLayout(root: root)
        if FileManager.default.fileExists(atPath: layout.configFile.path) {
            throw DeploymentError.alreadyExists(root.path)
        }
        // Validate the policies before creating anything.
        let policies = try PolicySet.load(from: policiesSource)
        _ = try RewardPolicy.parse(file: "rewards.yaml", text: policies.rewardsText)
        _ = try RemunerationPolicy.parse(file: "remuneration.yaml", text: policies.remunerationText)

        try SecureFile.makeDirectory(layout.root, mode: 0o755)
        try SecureFile.makeDirectory(layout.publicDir, mode: 0o755)
        try SecureFile.makeDirectory(layout.publicKeysDir, mode: 0o755)
        try SecureFile.makeDirectory(layout.policiesDir, mode: 0o755)
        try SecureFile.makeDirectory(layout.serverDir, mode: 0o700)
        try SecureFile.makeDirectory(layout.holdersDir, mode: 0o700)
        try SecureFile.makeDirectory(layout.dataDir, mode: 0o700)

        for file in PolicySet.fileNames {
            let bytes = try SecureFile.read(policiesSource.appendingPathComponent(file))
            try SecureFile.create(layout.policiesDir.appendingPathComponent(file), bytes: bytes, mode: 0o644)
        }

        var centres: [PublicKeyManifest.CentreKeys] = []
        for centre in policies.centres.all {
            var keys: [KeyClass: PublicKeyManifest.Key] = [:]
            for keyClass in KeyClass.allCases {
                let key = X25519PrivateKey.generate()
                let file = layout.centreKey(centre.id.rawValue, keyClass.rawValue)
                try SecureFile.create(file, text: try key.encryptedPEM(passphrase: try holder(file), parameters: keyProtection), mode: 0o600)
                try SecureFile.create(layout.publicKeysDir.appendingPathComponent("\(centre.id.rawValue)-\(keyClass.rawValue).pub.pem"),
                                      text: key.publicKey.pemRepresentation, mode: 0o644)
                keys[keyClass] = .init(keyID: key.publicKey.keyID, publicKey: Hex.encode(key.publicKey.rawRepresentation))
            }
            centres.append(.init(centre: centre.id.rawValue, content: keys[.content]!, identity: keys[.identity]!))
        }

        // One content key per unit, one registry key per district office (issue 14, NETWORK.md "Keys").
        let units = try makeUnitKeys(policies: policies, layout: layout, skipping: [], passphrase: holder, keyProtection: keyProtection)

        let serverKey = Ed25519PrivateKey.generate()
        try SecureFile.create(layout.serverSigningKey, text: try serverKey.encryptedPEM(passphrase: serverPassphrase, parameters: keyProtection),
                              mode: 0o600)
        try SecureFile.create(layout.publicKeysDir.appendingPathComponent("server-signing.pub.pem"),
                              text: serverKey.publicKey.pemRepresentation, mode: 0o644)

        try SecureFile.create(layout.receiptSalt, bytes: SecureRandom.bytes(32), mode: 0o600)

        let tls = try TLSCertificateFactory.make(commonName: "Tipline \(name)")
        try SecureFile.create(layout.tlsCertificate, text: tls.chainPEM, mode: 0o644)
        try SecureFile.create(layout.tlsCA, text: tls.caPEM, mode: 0o644)
        try SecureFile.create(layout.tlsPrivateKey,
                              text: try EncryptedPKCS8.encryptPEM(der: tls.privateKeyDER, passphrase: serverPassphrase,
                                                                parameters: keyProtection), mode: 0o600)

        let admin = Ed25519PrivateKey.generate()
        let adminFile = layout.staffKey(adminName)
        try SecureFile.create(adminFile, text: try admin.encryptedPEM(passphrase: try holder(adminFile), parameters: keyProtection), mode: 0o600)
        try SecureFile.create(layout.publicKeysDir.appendingPathComponent("staff-\(adminName).pub.pem"),
                              text: admin.publicKey.pemRepresentation, mode: 0o644)

        let manifest = PublicKeyManifest(
            centres: centres, units: units,
            server: .init(keyID: serverKey.publicKey.keyID, publicKey: Hex.encode(serverKey.publicKey.rawRepresentation)),
            staff: [.init(name: adminName, role: "admin", centre: policies.centres.city.id.rawValue,
                          key: .init(keyID: admin.publicKey.keyID, publicKey: Hex.encode(admin.publicKey.rawRepresentation)))])
        try SecureFile.create(layout.keyManifest, bytes: try JSONFiles.encode(manifest), mode: 0o644)

        let config = DeploymentConfig(name: name, demo: demo, createdAt: CivilTime.iso8601UTC(Int64(Date().timeIntervalSince1970)))
        try SecureFile.create(layout.configFile, bytes: try JSONFiles.encode(config), mode: 0o644)
        return Summary(layout: layout, manifest: manifest, adminKeyFile: adminFile)
    }
}

extension DeploymentCreator {
    /// Makes the content key of every unit not in `skipping` and the registry key of each such district
    /// office: encrypted private halves in `holders/`, public halves in `public/keys/`.
    static func makeUnitKeys(policies: PolicySet, layout: DeploymentLayout, skipping: Set<String>, passphrase: (URL) throws -> [UInt8],
                             keyProtection: Scrypt.Parameters) throws -> [PublicKeyManifest.UnitKeys] {
        var units: [PublicKeyManifest.UnitKeys] = []
        for unit in policies.units.units where !skipping.contains(unit.id) {
            func make(_ purpose: String) throws -> PublicKeyManifest.Key {
                let key = X25519PrivateKey.generate()
                let file = layout.unitKey(unit.id, purpose)
                try SecureFile.create(file, text: try key.encryptedPEM(passphrase: try passphrase(file), parameters: keyProtection), mode: 0o600)
                try SecureFile.create(layout.publicKeysDir.appendingPathComponent("unit-\(unit.id)-\(purpose).pub.pem"),
                                      text: key.publicKey.pemRepresentation, mode: 0o644)
                return .init(keyID: key.publicKey.keyID, publicKey: Hex.encode(key.publicKey.rawRepresentation))
            }
            units.append(.init(unit: unit.id, content: try make("content"), registry: unit.kind == .districtOffice ? try make("registry") : nil))
        }
        return units
    }

    /// Upgrades a deployment made before the reporting network (`tipline-admin keys add-units`): copies
    /// the network's policy files it lacks from `policiesSource`, makes the keys of every unit
    /// `keys.json` does not list yet, and writes the new `keys.json` (its fingerprint changes: staff
    /// who pinned it pin the new one). Existing keys are never replaced.
    public static func addUnitKeys(at root: URL, policiesSource: URL, passphrase: [UInt8],
                                   keyProtection: Scrypt.Parameters = .default) throws -> (added: [String], manifest: PublicKeyManifest) {
        let layout = DeploymentLayout(root: root)
        for name in PolicySet.networkFileNames.sorted() {
            let target = layout.policiesDir.appendingPathComponent(name)
            if !FileManager.default.fileExists(atPath: target.path) {
                try SecureFile.create(target, bytes: try SecureFile.read(policiesSource.appendingPathComponent(name)), mode: 0o644)
            }
        }
        let policies = try PolicySet.load(from: layout.policiesDir)
        var manifest = try PublicKeyManifest.load(from: layout.keyManifest)
        let existing = Set((manifest.units ?? []).map(\.unit))
        let added = try makeUnitKeys(policies: policies, layout: layout, skipping: existing, passphrase: { _ in passphrase },
                                     keyProtection: keyProtection)
        guard !added.isEmpty else { return ([], manifest) }
        manifest.units = (manifest.units ?? []) + added
        let bytes = try JSONFiles.encode(manifest)
        let temporary = layout.keyManifest.appendingPathExtension("new")
        try? FileManager.default.removeItem(at: temporary)
        try SecureFile.create(temporary, bytes: bytes, mode: 0o644)
        guard rename(temporary.path, layout.keyManifest.path) == 0 else { throw DeploymentError.io("cannot replace \(layout.keyManifest.path)") }
        return (added.map(\.unit), manifest)
    }
}

/// Pretty, stable JSON for the deployment's files.
enum JSONFiles {
    static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value)) + [0x0A]
    }

    static func decode<T: Decodable>(_ type: T.Type, from url: URL) throws(DeploymentError) -> T {
        let bytes = try SecureFile.read(url)
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch {
            throw DeploymentError.malformed(url.lastPathComponent)
        }
    }
}
