import Sealing

/// Idempotency keys of ledger commands (docs/LEDGER.md "Idempotency"): the same key with the same
/// request returns the first answer and posts nothing. The ledger keeps only a key's hash (rule 7).
public enum IdempotencyKey {
    /// A fresh random key: 26 Crockford base32 characters (130 bits), what the CLI and the server's
    /// own commands (voucher expiry) use when the caller gives none.
    public static func generate() -> String {
        let bytes = SecureRandom.bytes(26)
        return String(bytes.map { VoucherCode.alphabet[Int($0 & 0x1F)] })
    }
}
