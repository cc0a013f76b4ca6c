import AsyncHTTPClient
import Foundation
import GRDB
import NIOCore
import NIOHTTP1
import Sealing
import Testing
import TiplineCore
import TiplineAdminAPI
import TiplineDeployment
import TiplineStore

/// Issue 11, item 7 (black box): an enrolment whose public key is a small-order point, with the proof
/// `01 00…00 ‖ 00…00`, used to be approved; then that fixed signature passed for ANY request.
@Suite("Small-order Ed25519 staff keys, end to end", .serialized)
struct SmallOrderKeyEndToEndTests {
    /// The eight small-order points and their non-canonical aliases (as in SealingTests).
    static let keys: [String] = [
        "0100000000000000000000000000000000000000000000000000000000000000",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0000000000000000000000000000000000000000000000000000000000000080",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
        "0100000000000000000000000000000000000000000000000000000000000080",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    ]
    static let fixedSignature: [UInt8] = [1] + [UInt8](repeating: 0, count: 63)

    /// Sends a request signed (or "signed") as `keyID` with `signature`, or properly with `key`.
    static func send(_ live: LiveServer, _ method: HTTPMethod, _ target: String, body: [UInt8] = [],
                     key: Ed25519PrivateKey? = nil, forgedKeyID: String? = nil) async throws -> (Int, String) {
        let timestamp = Int64(Date().timeIntervalSince1970)
        let nonce = Hex.encode(SecureRandom.bytes(16))
        let signature: AdminRequestSignature
        if let key {
            signature = try AdminRequestSignature.sign(method: method.rawValue, target: target, body: body, key: key,
                                                       timestamp: timestamp, nonce: nonce).signature
        } else {
            signature = AdminRequestSignature(keyID: forgedKeyID!, timestamp: timestamp, nonce: nonce, signature: fixedSignature)
        }
        var request = HTTPClientRequest(url: live.adminURL + target)
        request.method = method
        for (name, value) in signature.headers { request.headers.add(name: name, value: value) }
        if !body.isEmpty {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await live.client.execute(request, timeout: .seconds(60))
        let text = String(decoding: (try await response.body.collect(upTo: 1 << 20)).readableBytesView, as: UTF8.self)
        return (Int(response.status.code), text)
    }

    @Test("Each small-order or non-canonical key is refused at approval; a forged request under such a key answers 401")
    func refusedAndForgeryFails() async throws {
        let live = try LiveServer()
        try await live.run { live in
            let adminPEM = try String(contentsOf: live.holders.appendingPathComponent("staff-admin.key.pem"), encoding: .utf8)
            let admin = try Ed25519PrivateKey(encryptedPEM: adminPEM, passphrase: live.passphrase)
            for (index, hex) in Self.keys.enumerated() {
                let body = try JSONSerialization.data(withJSONObject: [
                    "name": "mallory\(index)", "role": "triage", "centre": "nanming", "public_key": hex,
                    "created_at": Int64(Date().timeIntervalSince1970), "proof": Data(Self.fixedSignature).base64EncodedString(),
                ], options: [.sortedKeys])
                let (status, text) = try await Self.send(live, .POST, "/admin/v1/staff", body: Array(body), key: admin)
                #expect(status == 409, "key \(hex) answered \(status): \(text)")
                // The forged request under that key id: unknown key.
                let keyID = String(Hashing.sha256Hex(Hex.decode(hex)!).prefix(32))
                #expect(try await Self.send(live, .GET, "/admin/v1/whoami", forgedKeyID: keyID).0 == 401)
            }
            let enrolled = try live.readDatabase { try Int.fetchOne($0, sql: "SELECT count(*) FROM staff WHERE name LIKE 'mallory%'") }
            #expect(enrolled == 0)

            // A key that reached the table before the fix (or by a database writer) is still refused by the verifier.
            let identity = Hex.decode(Self.keys[0])!
            let keyID = String(Hashing.sha256Hex(identity).prefix(32))
            let queue = try DatabaseQueue(path: live.deployment.layout.database.path)
            try await queue.write { db in
                try db.execute(sql: "INSERT INTO staff(key_id, name, role, centre, public_key, enrolled_at, enrolled_by) VALUES (?, 'mallory', 'admin', 'city', ?, 0, 'test')",
                               arguments: [keyID, Data(identity)])
            }
            for target in ["/admin/v1/whoami", "/admin/v1/staff", "/admin/v1/tips"] {
                let (status, _) = try await Self.send(live, .GET, target, forgedKeyID: keyID)
                #expect(status == 401, "\(target) answered \(status) to a forged request")
            }
        }
    }
}
