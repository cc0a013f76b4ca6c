public import Sealing

/// What a receipt unlocks, derived with scrypt over the receipt and the deployment's salt.
///
/// 64 bytes of scrypt output: the first 32 are the lookup key stored with the tip (a stolen
/// database gives only memory-hard guesses at receipts), the last 32 encrypt the tip's
/// reporter private key, so replies sealed to the reporter open only with the receipt.
public struct ReceiptKeys: Sendable {
    public let lookupKey: [UInt8]
    public let sealingKey: SecretKey

    public static func derive(receipt: Receipt, salt: [UInt8], parameters: Scrypt.Parameters) throws(SealingError) -> ReceiptKeys {
        var output = try Scrypt.derive(password: receipt.kdfInput, salt: salt, parameters: parameters, length: 64)
        defer { for i in output.indices { output[i] = 0 } }
        return ReceiptKeys(lookupKey: Array(output[0..<32]), sealingKey: try SecretKey(bytes: Array(output[32..<64])))
    }

    /// AAD binding the sealed reporter key to its tip.
    public static func reporterKeyAAD(recordID: String) -> [UInt8] {
        Array("tipline:v1:\(recordID):reporter-key".utf8)
    }
}
