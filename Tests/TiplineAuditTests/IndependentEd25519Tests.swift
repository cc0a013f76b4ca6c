import Foundation
import Sealing
import Testing
import TiplineCore
@testable import TiplineAudit

/// The auditor's Ed25519 check (swift-crypto) against the Wycheproof vectors the OpenSSL wrapper is
/// tested with (Tests/SealingTests/Vectors), and against that wrapper case by case.
@Suite("Audit: independent Ed25519 verification")
struct IndependentEd25519Tests {
    struct File: Decodable {
        struct Group: Decodable {
            struct Key: Decodable { let pk: String }
            struct Case: Decodable {
                let tcId: Int
                let msg: String
                let sig: String
                let result: String
            }
            let publicKey: Key
            let tests: [Case]
        }
        let testGroups: [Group]
    }

    static func bytes(_ hex: String) -> [UInt8] { Hex.decode(hex) ?? [] }

    @Test("Wycheproof Ed25519: every valid signature accepted, every invalid one refused, as OpenSSL decides")
    func wycheproof() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../SealingTests/Vectors/wycheproof-ed25519_test.json").standardized
        let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: url))
        var valid = 0
        var invalid = 0
        for group in file.testGroups {
            let raw = Self.bytes(group.publicKey.pk)
            let openSSL = try Ed25519PublicKey(rawRepresentation: raw)
            for test in group.tests {
                let message = test.msg.isEmpty ? [] : Self.bytes(test.msg)
                let signature = Self.bytes(test.sig)
                let verified = IndependentEd25519.isValidSignature(signature, for: message, publicKey: raw)
                #expect(verified == (test.result == "valid"), "tcId \(test.tcId): \(test.result) but verified=\(verified)")
                #expect(verified == openSSL.isValidSignature(signature, for: message), "tcId \(test.tcId): the two implementations disagree")
                if test.result == "valid" { valid += 1 } else { invalid += 1 }
            }
        }
        #expect(valid == 88 && invalid == 62)
    }

    @Test("A signature by the server's OpenSSL key verifies; a flipped bit, a wrong key or a short signature does not")
    func crossCheck() throws {
        let key = Ed25519PrivateKey.generate()
        let message = Array("tipline-audit-sig-v1:".utf8) + Array(repeating: 7, count: 32)
        let signature = try key.signature(for: message)
        let raw = key.publicKey.rawRepresentation
        #expect(IndependentEd25519.isValidSignature(signature, for: message, publicKey: raw))
        var flipped = signature
        flipped[10] ^= 1
        #expect(!IndependentEd25519.isValidSignature(flipped, for: message, publicKey: raw))
        #expect(!IndependentEd25519.isValidSignature(signature, for: message, publicKey: Ed25519PrivateKey.generate().publicKey.rawRepresentation))
        #expect(!IndependentEd25519.isValidSignature(Array(signature.prefix(63)), for: message, publicKey: raw))
        #expect(!IndependentEd25519.isValidSignature(signature, for: message, publicKey: Array(raw.prefix(31))))
    }

    @Test("Small-order and non-canonical keys are refused: the fixed signature 01 00…00 ‖ 00…00 verifies nothing")
    func smallOrderKeysRefused() {
        let keys = [
            "0100000000000000000000000000000000000000000000000000000000000000",
            "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "0000000000000000000000000000000000000000000000000000000000000000",
            "0000000000000000000000000000000000000000000000000000000000000080",
            "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
            "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
            "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
            "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
            "0100000000000000000000000000000000000000000000000000000000000080",
            "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        ]
        let fixed: [UInt8] = [1] + [UInt8](repeating: 0, count: 63)
        for hex in keys {
            for message in ["tipline-audit-sig-v1:", "any other message", ""] {
                #expect(!IndependentEd25519.isValidSignature(fixed, for: Array(message.utf8), publicKey: Self.bytes(hex)), "\(hex) / \(message)")
            }
        }
    }
}
