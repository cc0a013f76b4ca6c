/// Refuses Ed25519 public keys that let one fixed signature verify for any message.
///
/// For a key A of small order (one of the eight points of order 1, 2, 4 or 8), `[k]A` takes at most
/// eight values whatever `k = H(R‖A‖M)` is, so the verification equation `[S]B = R + [k]A` holds
/// with `S = 0` and a small-order R for every message (or one in eight): the identity key
/// `01 00…00` with the signature `01 00…00 ‖ 00…00` verifies any message. No one knows a private
/// key for such a point, so no honest key is one.
/// OpenSSL 3.0 and swift-crypto accept such keys, so the project refuses them where a key enters
/// (`Ed25519PublicKey`), and the auditor's independent verifier asks this same check.
///
/// Non-canonical encodings (y ≥ p = 2^255 − 19) are refused too: one point must have one key id.
/// The check is libsodium's `has_small_order` blocklist on y (the sign bit cleared), which also
/// covers each small-order point's non-canonical encodings (y = p, p + 1, and the "negative zero"
/// x sign bits of y = ±1).
public enum Ed25519PointCheck {
    /// The y coordinates (little-endian, sign bit clear) of the small-order points and of their
    /// non-canonical aliases.
    static let blockedY: [[UInt8]] = [
        // y = 0: the two points of order 4 (x = ±√−1)
        [UInt8](repeating: 0, count: 32),
        // y = 1: the identity (order 1)
        [0x01] + [UInt8](repeating: 0, count: 31),
        // y of two points of order 8
        [0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4, 0x89, 0xf2, 0xef, 0x98, 0xf0,
         0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6, 0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05],
        // y of the other two points of order 8
        [0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10, 0x67, 0x0f,
         0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a],
        // y = p − 1: the point of order 2
        [0xec] + [UInt8](repeating: 0xff, count: 30) + [0x7f],
    ]

    /// Why a raw 32-byte Ed25519 public key is refused, or nil if it is acceptable.
    public static func problem(_ raw: [UInt8]) -> String? {
        guard raw.count == 32 else { return "an Ed25519 public key is 32 bytes" }
        var y = raw
        y[31] &= 0x7f
        // y ≥ p: bytes 1…30 all 0xff, byte 31 0x7f, byte 0 ≥ 0xed.
        if y[31] == 0x7f, y[1...30].allSatisfy({ $0 == 0xff }), y[0] >= 0xed {
            return "non-canonical Ed25519 public key encoding"
        }
        if blockedY.contains(y) { return "small-order Ed25519 public key" }
        return nil
    }

    /// Whether `raw` is a 32-byte, canonical Ed25519 public key not of small order.
    public static func isAcceptable(_ raw: [UInt8]) -> Bool { problem(raw) == nil }
}
