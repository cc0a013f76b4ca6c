import Foundation
import Sealing
import Testing
import TiplineAdminAPI
import TiplineCore

/// Status codes, headers, page limits and body errors of the public and admin routes, called in
/// process (`LiveServer.inProcess`: the server's own components and routers, HummingbirdTesting's
/// `.router` mode) instead of over HTTPS — issue 12 #6. The same assertions as when they ran live.
@Suite("Routes in process: status codes and body errors", .serialized)
struct InProcessRouteTests {
    @Test("Bad inputs get the documented 4xx and store nothing")
    func badInputs() async throws {
        let live = try LiveServer()
        try await live.inProcess { server in
            let valid: [String: Any] = ["category": "online", "district": "nanming", "description": "ok"]
            func expectRefused(_ status: Int, _ reply: LiveServer.Reply, _ label: String) throws {
                #expect(reply.status == status, "\(label): got \(reply.status)")
                #expect(try live.tipCount() == 0, "\(label) stored a tip")
            }
            var unknown = valid; unknown["colour"] = "red"
            try expectRefused(400, try await server.postJSON("/api/v1/tips", unknown), "unknown field")
            var missing = valid; missing["description"] = nil
            try expectRefused(400, try await server.postJSON("/api/v1/tips", missing), "missing description")
            var long = valid; long["description"] = String(repeating: "a", count: 20_001)
            try expectRefused(400, try await server.postJSON("/api/v1/tips", long), "20,001 characters")
            var category = valid; category["category"] = "gambling"
            try expectRefused(400, try await server.postJSON("/api/v1/tips", category), "bad category")
            var district = valid; district["district"] = "beijing"
            try expectRefused(400, try await server.postJSON("/api/v1/tips", district), "bad district")
            var control = valid; control["description"] = "bell\u{0007}"
            try expectRefused(400, try await server.postJSON("/api/v1/tips", control), "control characters")
            let badUTF8 = Array(#"{"category":"online","district":"nanming","description":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
            try expectRefused(400, try await server.request("/api/v1/tips", method: .post, contentType: "application/json", body: badUTF8), "bad UTF-8")
            try expectRefused(415, try await server.request("/api/v1/tips", method: .post, contentType: "text/plain", body: Array("hi".utf8)), "text/plain")
            let huge = [UInt8](repeating: 0x61, count: 100 << 20)
            try expectRefused(413, try await server.request("/api/v1/tips", method: .post, contentType: "application/json", body: huge), "100 MiB JSON")
            let pdf = Array("%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n".utf8)
            try expectRefused(415, try await server.postMultipart("/api/v1/tips", tip: valid, files: [pdf]), "PDF evidence")
            let png = try [UInt8](Data(contentsOf: fixturesDirectory.appendingPathComponent("palette.png")))
            try expectRefused(413, try await server.postMultipart("/api/v1/tips", tip: valid, files: Array(repeating: png, count: 6)), "6 files")
            let reply = try await server.postJSON("/api/v1/tips", unknown)
            let fields = try #require(try reply.json()["error"] as? [String: Any])["fields"] as? [[String: Any]]
            #expect(fields?.first?["field"] as? String == "colour")
            #expect(try live.readDatabase { try Int.fetchOne($0, sql: "SELECT count(*) FROM audit_entry WHERE action = 'tip.received'") } == 0)
        }
    }

    @Test("A JSON key given twice is refused with 400 on the public API (tips, multipart tip part, follow-up, messages) and the admin API; nothing is stored")
    func duplicateKeys() async throws {
        let live = try LiveServer()
        try await live.inProcess { server in
            func raw(_ path: String, _ json: String) async throws -> LiveServer.Reply {
                try await server.request(path, method: .post, contentType: "application/json", body: Array(json.utf8))
            }
            let duplicate = try await raw("/api/v1/tips", #"{"category":"illegal-av","district":"nanming","description":"x","category":"online"}"#)
            #expect(duplicate.status == 400)
            let fields = try #require(try duplicate.json()["error"] as? [String: Any])["fields"] as? [[String: Any]]
            #expect(fields?.first?["field"] as? String == "category" && fields?.first?["code"] as? String == "duplicate_field")
            let nested = try await raw("/api/v1/tips", #"{"category":"online","district":"nanming","description":"x","reporter":{"name":"a","name":"b"}}"#)
            #expect(nested.status == 400)
            let escaped = try await raw("/api/v1/tips", #"{"category":"online","district":"nanming","description":"x","\u0064escription":"y"}"#)
            #expect(escaped.status == 400)
            // The same body without the repeat is accepted: only the repeat is refused.
            #expect(try await raw("/api/v1/tips", #"{"category":"illegal-av","district":"nanming","description":"x"}"#).status == 201)
            #expect(try live.tipCount() == 1)

            // The multipart form of the API: its `tip` part is JSON too.
            let boundary = "dup-\(UUID().uuidString)"
            let multipart = "--\(boundary)\r\nContent-Disposition: form-data; name=\"tip\"\r\nContent-Type: application/json\r\n\r\n"
                + #"{"category":"online","district":"nanming","description":"x","district":"huaxi"}"# + "\r\n--\(boundary)--\r\n"
            let part = try await server.request("/api/v1/tips", method: .post, contentType: "multipart/form-data; boundary=\(boundary)",
                                              body: Array(multipart.utf8))
            #expect(part.status == 400)
            #expect(try await raw("/api/v1/followup", #"{"receipt":"1234 5678 9012 3456 7890","receipt":"0000 0000 0000 0000 0000"}"#).status == 400)
            #expect(try await raw("/api/v1/followup/messages", #"{"receipt":"1234 5678 9012 3456 7890","text":"a","text":"b"}"#).status == 400)
            #expect(try live.tipCount() == 1)

            // The admin API: a correctly signed request whose body repeats a key.
            let pem = try String(contentsOf: live.holders.appendingPathComponent("staff-admin.key.pem"), encoding: .utf8)
            let admin = try Ed25519PrivateKey(encryptedPEM: pem, passphrase: live.passphrase)
            func signed(_ target: String, _ json: String) async throws -> Int {
                let body = Array(json.utf8)
                let (signature, _) = try AdminRequestSignature.sign(method: "POST", target: target, body: body, key: admin,
                                                                    timestamp: Int64(Date().timeIntervalSince1970))
                return try await server.request(target, method: .post, contentType: "application/json", body: body,
                                                headers: signature.headers.map { ($0.0, $0.1) }, admin: true).status
            }
            let nobody = String(repeating: "0", count: 32)
            #expect(try await signed("/admin/v1/staff/\(nobody)/revoke", #"{"reason":"left"}"#) == 404)
            #expect(try await signed("/admin/v1/staff/\(nobody)/revoke", #"{"reason":"left","reason":"other"}"#) == 400)
        }
    }

    @Test("25 invalid bodies, then a valid tip → 201 (limit 20 an hour); the 21st valid tip → 429")
    func invalidBodiesCostNothing() async throws {
        let live = try LiveServer(submissionsPerHour: 20)
        try await live.inProcess { server in
            for _ in 0..<25 {
                let reply = try await server.postJSON("/api/v1/tips", [String: Any]())
                #expect(reply.status == 400)
            }
            let form = try await server.request("/report", method: .post, contentType: "application/x-www-form-urlencoded",
                                              body: Array("category=&district=".utf8))
            #expect(form.status == 400)
            for _ in 0..<20 { #expect(try await server.postJSON("/api/v1/tips", RateLimitEdgeTests.tip).status == 201) }
            let over = try await server.postJSON("/api/v1/tips", RateLimitEdgeTests.tip)
            #expect(over.status == 429)
            #expect(over.headers.first(name: "Retry-After") != nil)
        }
    }
}
