public import Sealing

/// What a tip row keeps of its receipt: enough to check a presented receipt, nothing to recover it
/// faster than by guessing (docs/ENVELOPE.md §13).
public struct ReceiptRecord: Sendable, Equatable {
    /// The per-tip marker: how the receipt was derived.
    public enum Scheme: Int, Sendable, Equatable {
        /// Before v5: scrypt with the deployment's salt; the verifier doubles as a global lookup key.
        case legacy = 1
        /// Since v5: located receipt, scrypt with this tip's own random salt.
        case located = 2
    }

    /// Legacy (deployment salt) or located (per-tip salt).
    public let scheme: Scheme
    /// `Receipt.locatorHash` (located receipts only).
    public let locatorHash: [UInt8]?
    /// The tip's own 16-byte scrypt salt (located receipts only; legacy tips used the deployment's).
    public let salt: [UInt8]?
    /// The scrypt parameters the receipt was derived with: read back from the row, so a later
    /// change of `security.yaml` never breaks an old receipt.
    public let parameters: Scrypt.Parameters
    /// The first 32 bytes of scrypt output: compared in constant time with what a presented receipt gives.
    public let verifier: [UInt8]

    /// A record from its parts.
    public init(scheme: Scheme, locatorHash: [UInt8]?, salt: [UInt8]?, parameters: Scrypt.Parameters, verifier: [UInt8]) {
        self.scheme = scheme
        self.locatorHash = locatorHash
        self.salt = salt
        self.parameters = parameters
        self.verifier = verifier
    }

    /// Bytes of a per-tip salt.
    public static let saltCount = 16

    /// Whether stored parameters may be run: RFC 7914's rules and the policy loader's ceilings
    /// (a doctored row must not make follow-up allocate gigabytes). No floor: old receipts made
    /// under cheaper parameters keep opening.
    public static func acceptsStored(_ parameters: Scrypt.Parameters) -> Bool {
        guard (try? parameters.validate()) != nil else { return false }
        return parameters.n <= SecurityPolicy.receiptKDFMaximumN && parameters.r <= 32 && parameters.p <= 16
    }
}

/// What a receipt unlocks: 64 bytes of scrypt output over `Receipt.kdfInput`. The first 32 are the
/// verifier stored with the tip (a stolen database gives only memory-hard guesses, one tip per
/// guess); the last 32 encrypt the tip's reporter private key, so replies and vouchers sealed to
/// the reporter open only with the receipt.
public struct ReceiptKeys: Sendable {
    /// What the tip row keeps (scheme, locator hash, salt, parameters, verifier).
    public let record: ReceiptRecord
    /// The last 32 bytes of scrypt output: seals the tip's reporter X25519 private key.
    public let sealingKey: SecretKey

    /// The verifier (for a legacy receipt: the global lookup key of the `receipt_lookup` column).
    public var lookupKey: [UInt8] { record.verifier }

    /// Keys for a newly issued located receipt: a fresh random per-tip salt, the current parameters.
    public static func issue(for receipt: Receipt, parameters: Scrypt.Parameters) throws(SealingError) -> ReceiptKeys {
        guard receipt.format == .located else { throw .invalidInput("new receipts are located receipts") }
        return try derive(receipt: receipt, salt: SecureRandom.bytes(ReceiptRecord.saltCount), parameters: parameters)
    }

    /// scrypt(`receipt.kdfInput`, `salt`, `parameters`) → 64 bytes: verifier ‖ sealing key. For a
    /// located receipt `salt` is the tip's own; for a legacy receipt, the deployment's.
    /// The KDF input and output are wiped before returning.
    public static func derive(receipt: Receipt, salt: [UInt8], parameters: Scrypt.Parameters) throws(SealingError) -> ReceiptKeys {
        var input = receipt.kdfInput
        defer { SecureWipe.wipe(&input) }
        let (verifier, sealingKey) = try CredentialKDF.derive(input: input, salt: salt, parameters: parameters)
        let record: ReceiptRecord
        switch receipt.format {
        case .located:
            record = ReceiptRecord(scheme: .located, locatorHash: receipt.locatorHash, salt: salt, parameters: parameters, verifier: verifier)
        case .legacy:
            record = ReceiptRecord(scheme: .legacy, locatorHash: nil, salt: nil, parameters: parameters, verifier: verifier)
        }
        return ReceiptKeys(record: record, sealingKey: sealingKey)
    }

    /// Whether `self` (derived from a presented receipt) matches `stored`: constant-time comparison
    /// of the verifiers.
    public func matches(_ stored: ReceiptRecord) -> Bool {
        ConstantTime.equals(record.verifier, stored.verifier)
    }

    /// AAD binding the sealed reporter key to its tip.
    public static func reporterKeyAAD(recordID: String) -> [UInt8] {
        Array("tipline:v1:\(recordID):reporter-key".utf8)
    }
}

/// The one derivation of a credential a person holds (a reporter's receipt, an informant's code):
/// scrypt → 64 bytes, the first 32 a verifier the server keeps, the last 32 a key sealing the
/// holder's own X25519 private key. Output and intermediate bytes are wiped.
public enum CredentialKDF {
    /// scrypt(`input`, `salt`, `parameters`) to 64 bytes, split into the verifier and the sealing key.
    public static func derive(input: [UInt8], salt: [UInt8], parameters: Scrypt.Parameters) throws(SealingError) -> (verifier: [UInt8], sealingKey: SecretKey) {
        var output = try Scrypt.derive(password: input, salt: salt, parameters: parameters, length: 64)
        defer { SecureWipe.wipe(&output) }
        var keyBytes = Array(output[32..<64])
        defer { SecureWipe.wipe(&keyBytes) }
        return (Array(output[0..<32]), try SecretKey(bytes: keyBytes))
    }
}
