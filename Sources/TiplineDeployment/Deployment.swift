public import Foundation
public import Sealing
public import LedgerModel
public import TiplineCore

/// An opened deployment: its public part (config, public keys, policies). Private keys are
/// loaded separately, by whoever holds them (`ServerSecrets`, `HolderKeys`).
public struct Deployment: Sendable {
    /// Where the deployment's files are.
    public let layout: DeploymentLayout
    /// `public/deployment.json`.
    public let config: DeploymentConfig
    /// `public/keys.json`.
    public let manifest: PublicKeyManifest
    /// The validated policy files of `public/policies/`.
    public let policies: PolicySet
    /// The reward rules of `rewards.yaml` (read with the other policies; a broken file refuses to open).
    public let rewardPolicy: RewardPolicy
    /// The remuneration and subsidy rules of `remuneration.yaml` (issue 17).
    public let remunerationPolicy: RemunerationPolicy

    /// Opens the public part of the deployment at `root` and validates its policies.
    public static func open(at root: URL) throws -> Deployment {
        let layout = DeploymentLayout(root: root)
        guard FileManager.default.fileExists(atPath: layout.configFile.path) else {
            throw DeploymentError.notADeployment(root.path)
        }
        let config = try JSONFiles.decode(DeploymentConfig.self, from: layout.configFile)
        guard config.formatVersion == 1 else { throw DeploymentError.malformed("deployment.json: unsupported format_version") }
        let manifest = try JSONFiles.decode(PublicKeyManifest.self, from: layout.keyManifest)
        let policies = try PolicySet.load(from: layout.policiesDir)
        let rewardPolicy = try RewardPolicy.parse(file: "rewards.yaml", text: policies.rewardsText)
        let remunerationPolicy = try RemunerationPolicy.parse(file: "remuneration.yaml", text: policies.remunerationText)
        for centre in policies.centres.all where !manifest.centres.contains(where: { $0.centre == centre.id.rawValue }) {
            throw DeploymentError.malformed("keys.json: no keys for centre \(centre.id)")
        }
        return Deployment(layout: layout, config: config, manifest: manifest, policies: policies, rewardPolicy: rewardPolicy,
                          remunerationPolicy: remunerationPolicy)
    }

    /// The content (or identity) public keys of the given centres, with the key id → centre map.
    public func recipientKeys(_ centres: [CentreID], _ keyClass: KeyClass) throws -> [(centre: CentreID, key: X25519PublicKey)] {
        try centres.map { centre in
            guard let key = try manifest.centreKey(centre, keyClass) else {
                throw DeploymentError.malformed("keys.json: no \(keyClass.rawValue) key for centre \(centre)")
            }
            return (centre, key)
        }
    }

    /// Files under `public/` that look like private keys: the server refuses to start with any.
    public func privateKeysInPublicPart() -> [String] {
        guard let enumerator = FileManager.default.enumerator(at: layout.publicDir, includingPropertiesForKeys: nil) else { return [] }
        var found: [String] = []
        for case let url as URL in enumerator {
            // Regular files only: reading a directory makes Foundation throw inside, for nothing.
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                  let data = FileManager.default.contents(atPath: url.path), data.count < 4_000_000 else { continue }
            if data.range(of: Data("PRIVATE KEY-----".utf8)) != nil {
                found.append(url.path.replacingOccurrences(of: layout.root.path + "/", with: ""))
            }
        }
        return found.sorted()
    }

    /// Holder key files the current process can read (a real intake host must have none).
    public func readableHolderKeys() -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: layout.holdersDir.path) else { return [] }
        return names.filter { $0.hasSuffix(".pem") && SecureFile.isReadable(layout.holdersDir.appendingPathComponent($0)) }.sorted()
    }
}

/// What the intake host itself holds: its signing key, its TLS key and the receipt salt.
public struct ServerSecrets: Sendable {
    /// The server's Ed25519 key: signs audit entries, checkpoints and proofs of report.
    public let signingKey: Ed25519PrivateKey
    /// The TLS certificate chain (PEM).
    public let tlsCertificatePEM: String
    /// PKCS#8 DER, decrypted in memory only.
    public let tlsPrivateKeyDER: [UInt8]
    /// The deployment's 32-byte salt of legacy (scheme 1) receipts.
    public let receiptSalt: [UInt8]

    /// Reads the server's keys and salt with `passphrase`; throws `wrongPassphrase` or `unsafe` when a key does not fit.
    public static func load(_ deployment: Deployment, passphrase: [UInt8]) throws -> ServerSecrets {
        let layout = deployment.layout
        let signingPEM = String(decoding: try SecureFile.read(layout.serverSigningKey), as: UTF8.self)
        let signingKey: Ed25519PrivateKey
        do {
            signingKey = try Ed25519PrivateKey(encryptedPEM: signingPEM, passphrase: passphrase)
        } catch SealingError.wrongPassphrase {
            throw DeploymentError.wrongPassphrase("server/signing-key.pem")
        }
        guard signingKey.publicKey.keyID == deployment.manifest.server.keyID else {
            throw DeploymentError.unsafe("server/signing-key.pem does not match the server key in public/keys.json")
        }
        let tlsKeyPEM = String(decoding: try SecureFile.read(layout.tlsPrivateKey), as: UTF8.self)
        let tlsDER: [UInt8]
        do {
            tlsDER = try EncryptedPKCS8.decryptDER(pem: tlsKeyPEM, passphrase: passphrase)
        } catch SealingError.wrongPassphrase {
            throw DeploymentError.wrongPassphrase("server/tls-key.pem")
        }
        let salt = try SecureFile.read(layout.receiptSalt)
        guard salt.count == 32 else { throw DeploymentError.malformed("server/receipt-salt") }
        return ServerSecrets(
            signingKey: signingKey,
            tlsCertificatePEM: String(decoding: try SecureFile.read(layout.tlsCertificate), as: UTF8.self),
            tlsPrivateKeyDER: tlsDER, receiptSalt: salt)
    }
}
