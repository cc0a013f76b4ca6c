import ArgumentParser
import AsyncHTTPClient
import Foundation
import GRDB
import NIOCore
import NIOHTTP1
import NIOSSL
import Sealing
import TiplineAdminAPI
import TiplineCore
import TiplineDeployment

/// `tipline-bench blackbox`: the ▶ attacks of issue 11, replayed from outside against a running
/// server (the release binary, in `scripts/blackbox.sh`). Each attack uses only what an attacker of
/// that kind holds: the public listener, or an enrolled district officer's own key; the deployment
/// directory is read only to enrol that officer (as an administrator would) and to compare the
/// city's wraps before and after. Prints one PASS/FAIL line per attack; exit 1 if any failed.
struct BlackboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blackbox", abstract: "Replay issue 11's black-box attacks against a running server; PASS/FAIL per attack.")
    @OptionGroup var deployment: DeploymentOption
    @Option(help: "The public listener, https://127.0.0.1:PORT.") var url: String
    @Option(name: .customLong("admin-url"), help: "The admin listener, https://127.0.0.1:PORT.") var adminURL: String
    @Option(help: "The passphrase of holders/staff-admin.key.pem (a demo deployment's by default).") var passphrase = "tipline-demo"

    func run() async throws {
        let layout = DeploymentLayout(root: deployment.url)
        let client = try TiplineClient(url: url, ca: layout.tlsCA.path, connections: 4)
        let attacks = Attacks(client: client, admin: adminURL, layout: layout, passphrase: Array(passphrase.utf8))
        var failures = 0
        for (name, attack) in [
            ("25 invalid bodies, then a valid tip → 201", attacks.invalidBodiesThenTip),
            ("duplicate JSON keys → 400", attacks.duplicateKeys),
            ("unsigned /metrics on the admin listener → 401", attacks.unsignedMetrics),
            ("small-order staff keys refused at approval; a forged request answers 401", attacks.smallOrderKeys),
            ("route to the city with garbage wraps → 409; the city's wraps byte-identical", attacks.garbageRoute),
        ] as [(String, () async throws -> String?)] {
            let problem: String?
            do { problem = try await attack() } catch { problem = "error: \(error)" }
            print(problem == nil ? "PASS  \(name)" : "FAIL  \(name): \(problem!)")
            if problem != nil { failures += 1 }
        }
        await client.shutdown()
        if failures > 0 { throw ExitCode(1) }
    }
}

/// The attacks; each returns nil when the server held, or what went wrong.
private struct Attacks {
    let client: TiplineClient
    let admin: String
    let layout: DeploymentLayout
    let passphrase: [UInt8]

    static var tip: [String: Any] { ["category": "other", "district": "unknown", "description": "blackbox tip"] }

    func invalidBodiesThenTip() async throws -> String? {
        for _ in 0..<25 {
            let (status, _) = try await client.postJSON("/api/v1/tips", [:])
            if status != 400 { return "an empty body answered \(status)" }
        }
        let (status, _) = try await client.postJSON("/api/v1/tips", Self.tip)
        return status == 201 ? nil : "the valid tip answered \(status)"
    }

    func duplicateKeys() async throws -> String? {
        let body = #"{"category":"other","category":"online","district":"unknown","description":"blackbox duplicate"}"#
        let (status, _) = try await raw(client.base + "/api/v1/tips", method: .POST, body: Array(body.utf8))
        return status == 400 ? nil : "answered \(status)"
    }

    func unsignedMetrics() async throws -> String? {
        let (status, text) = try await raw(admin + AdminListenerPath.metrics, method: .GET, body: [])
        if text.contains("tipline_") { return "metrics served unsigned (\(status))" }
        return status == 401 ? nil : "answered \(status)"
    }

    func smallOrderKeys() async throws -> String? {
        let admin = try adminKey()
        let fixed = [UInt8(1)] + [UInt8](repeating: 0, count: 63)
        for (index, hex) in ["0100000000000000000000000000000000000000000000000000000000000000",
                             "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
                             "0000000000000000000000000000000000000000000000000000000000000000",
                             "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"].enumerated() {
            let enrolment = try JSONSerialization.data(withJSONObject: [
                "name": "mallory\(index)-\(Int.random(in: 0..<1_000_000))", "role": "admin", "centre": "city", "public_key": hex,
                "created_at": Int64(Date().timeIntervalSince1970), "proof": Data(fixed).base64EncodedString(),
            ], options: [.sortedKeys])
            let (status, _) = try await signed(.POST, AdminRoute.enrolStaff.target(), body: Array(enrolment), key: admin)
            if (200..<300).contains(status) { return "key \(hex) was enrolled (\(status))" }
            let keyID = String(Hashing.sha256Hex(Hex.decode(hex)!).prefix(32))
            let timestamp = Int64(Date().timeIntervalSince1970)
            let forged = AdminRequestSignature(keyID: keyID, timestamp: timestamp, nonce: Hex.encode(SecureRandom.bytes(16)), signature: fixed)
            let (forgedStatus, _) = try await raw(self.admin + AdminRoute.whoami.target(), method: .GET, body: [], headers: forged.headers)
            if forgedStatus != 401 { return "a forged request under \(hex) answered \(forgedStatus)" }
        }
        return nil
    }

    func garbageRoute() async throws -> String? {
        // A district triage officer, enrolled the ordinary way (one administrator approves a triage role).
        let officer = Ed25519PrivateKey.generate()
        var enrolment = try JSONDecoder().decode(EnrolmentRequest.self, from: JSONSerialization.data(withJSONObject: [
            "name": "blackbox-nm-\(Int.random(in: 0..<1_000_000))", "role": "triage", "centre": "nanming",
            "public_key": Hex.encode(officer.publicKey.rawRepresentation), "created_at": Int64(Date().timeIntervalSince1970), "proof": "",
        ]))
        enrolment.proof = Data(try officer.signature(for: enrolment.signedBytes)).base64EncodedString()
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let (enrolled, text) = try await signed(.POST, AdminRoute.enrolStaff.target(), body: Array(try encoder.encode(enrolment)), key: try adminKey())
        guard (200..<300).contains(enrolled) else { return "could not enrol the district officer (\(enrolled) \(text))" }

        // A nanming tip: sealed at intake to nanming and to the city.
        var tip = Self.tip
        tip["district"] = "nanming"
        tip["reporter"] = ["name": "黑盒测试"]
        let (created, body) = try await client.postJSON("/api/v1/tips", tip)
        guard created == 201, let reference = body["reference"] as? String else { return "the tip answered \(created)" }
        let before = try cityWraps(reference)
        guard !before.isEmpty else { return "the tip has no city wraps to attack" }

        let garbage = { Data([1] + SecureRandom.bytes(80)) }
        let route = try encoder.encode(RouteBody(to: "city", reason: "上报市级", contentWrap: garbage(), identityWrap: garbage()))
        let (status, _) = try await signed(.POST, AdminRoute.route.target(reference), body: Array(route), key: officer)
        let after = try cityWraps(reference)
        if after != before { return "the city's wraps changed (the attack answered \(status))" }
        return status == 409 ? nil : "answered \(status) (wraps unchanged)"
    }

    // MARK: - Helpers

    func adminKey() throws -> Ed25519PrivateKey {
        let pem = try String(contentsOf: layout.root.appendingPathComponent("holders/staff-admin.key.pem"), encoding: .utf8)
        return try Ed25519PrivateKey(encryptedPEM: pem, passphrase: passphrase)
    }

    /// The city's wraps of a tip, read from the server's database (the attacker cannot; the judge can).
    func cityWraps(_ reference: String) throws -> [String: Data] {
        let queue = try DatabaseQueue(path: layout.database.path, configuration: { var c = Configuration(); c.readonly = true; return c }())
        return try queue.read { db in
            var out: [String: Data] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT key_class, sealed FROM tip_wrap WHERE centre = 'city' AND tip_id = (SELECT id FROM tip WHERE reference = ?)
                """, arguments: [reference]) {
                out[row["key_class"]] = row["sealed"]
            }
            return out
        }
    }

    func signed(_ method: HTTPMethod, _ target: String, body: [UInt8], key: Ed25519PrivateKey) async throws -> (Int, String) {
        let (signature, _) = try AdminRequestSignature.sign(method: method.rawValue, target: target, body: body, key: key,
                                                            timestamp: Int64(Date().timeIntervalSince1970),
                                                            nonce: Hex.encode(SecureRandom.bytes(16)))
        return try await raw(admin + target, method: method, body: body, headers: signature.headers)
    }

    func raw(_ url: String, method: HTTPMethod, body: [UInt8], headers: [(String, String)] = []) async throws -> (Int, String) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if !body.isEmpty {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await client.http.execute(request, timeout: .seconds(60))
        let collected = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), String(decoding: collected.readableBytesView, as: UTF8.self))
    }
}
