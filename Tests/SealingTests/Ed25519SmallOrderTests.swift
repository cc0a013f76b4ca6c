import Foundation
import Testing
@testable import Sealing

/// The eight Ed25519 points of small order, as canonical encodings, and their non-canonical aliases
/// (issue 11, item 7). Under any of them one fixed signature verifies for many or all messages.
enum SmallOrderKeys {
    /// The eight canonical encodings: identity, order 2, two of order 4, four of order 8.
    static let canonical: [String] = [
        "0100000000000000000000000000000000000000000000000000000000000000",  // identity (order 1)
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  // y = p − 1 (order 2)
        "0000000000000000000000000000000000000000000000000000000000000000",  // y = 0, x ≥ 0 (order 4)
        "0000000000000000000000000000000000000000000000000000000000000080",  // y = 0, x < 0 (order 4)
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",  // order 8
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",  // order 8
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",  // order 8
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",  // order 8
    ]

    /// Non-canonical encodings of the same points: "negative zero" x, y = p (≡ 0), y = p + 1 (≡ 1).
    static let nonCanonical: [String] = [
        "0100000000000000000000000000000000000000000000000000000000000080",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    ]

    static var all: [[UInt8]] { (canonical + nonCanonical).map { [UInt8](hex: $0) } }

    /// The signature `01 00…00 ‖ 00…00` (R = identity, S = 0).
    static let fixedSignature: [UInt8] = [1] + [UInt8](repeating: 0, count: 63)

    /// A SubjectPublicKeyInfo PEM around a raw Ed25519 key.
    static func pem(_ raw: [UInt8]) -> String {
        let der = [UInt8](hex: "302a300506032b6570032100") + raw
        return "-----BEGIN PUBLIC KEY-----\n\(Data(der).base64EncodedString())\n-----END PUBLIC KEY-----\n"
    }
}

@Suite("Ed25519: small-order and non-canonical keys refused")
struct Ed25519SmallOrderTests {
    @Test("Each of the eight small-order points, and every non-canonical alias, is refused at import (raw and PEM)")
    func refusedAtImport() {
        #expect(SmallOrderKeys.all.count == 14)
        for raw in SmallOrderKeys.all {
            #expect(throws: SealingError.self, "\(raw.hex) accepted") { try Ed25519PublicKey(rawRepresentation: raw) }
            #expect(throws: SealingError.self, "\(raw.hex) accepted as PEM") { try Ed25519PublicKey(pem: SmallOrderKeys.pem(raw)) }
            #expect(!Ed25519PointCheck.isAcceptable(raw))
        }
    }

    @Test("Every y ≥ p (non-canonical), either sign, is refused")
    func nonCanonicalY() {
        for low in UInt8(0xed)...0xff {
            for top: UInt8 in [0x7f, 0xff] {
                let raw = [low] + [UInt8](repeating: 0xff, count: 30) + [top]
                #expect(Ed25519PointCheck.problem(raw) != nil, "\(raw.hex) accepted")
            }
        }
    }

    @Test("Ordinary keys still import, and round-trip through PEM")
    func ordinaryKeysAccepted() throws {
        for _ in 0..<64 {
            let key = Ed25519PrivateKey.generate().publicKey
            #expect(Ed25519PointCheck.isAcceptable(key.rawRepresentation))
            #expect(try Ed25519PublicKey(pem: key.pemRepresentation) == key)
        }
        // The RFC 8032 test keys.
        _ = try Ed25519PublicKey(rawRepresentation: [UInt8](hex: "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"))
    }
}
