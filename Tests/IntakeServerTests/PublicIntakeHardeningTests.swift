import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Sealing
import Testing
import TiplineCore

/// The public intake's "Also" items of issue 11: duplicate JSON keys, cross-site form posts,
/// what the reporter is told, and the process's dumpable flag — over the real server.
@Suite("Public intake hardening", .serialized)
struct PublicIntakeHardeningTests {
    @Test("A JSON key given twice is refused with 400 on the public API (tips, multipart tip part, follow-up, messages) and the admin API; nothing is stored")
    func duplicateKeys() async throws {
        let live = try LiveServer()
        try await live.run { live in
            func raw(_ path: String, _ json: String) async throws -> LiveServer.Reply {
                try await live.request(path, method: .POST, contentType: "application/json", body: Array(json.utf8))
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
            let part = try await live.request("/api/v1/tips", method: .POST, contentType: "multipart/form-data; boundary=\(boundary)",
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
                var request = HTTPClientRequest(url: live.adminURL + target)
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/json")
                for (name, value) in signature.headers { request.headers.add(name: name, value: value) }
                request.body = .bytes(ByteBuffer(bytes: body))
                return Int(try await live.client.execute(request, timeout: .seconds(30)).status.code)
            }
            let nobody = String(repeating: "0", count: 32)
            #expect(try await signed("/admin/v1/staff/\(nobody)/revoke", #"{"reason":"left"}"#) == 404)
            #expect(try await signed("/admin/v1/staff/\(nobody)/revoke", #"{"reason":"left","reason":"other"}"#) == 400)
        }
    }
}
