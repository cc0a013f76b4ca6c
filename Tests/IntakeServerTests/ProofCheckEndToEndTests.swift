import Foundation
import Testing
import TiplineCore

/// Issue 13 item 12: the receipt page's proof of report shows what it covers, and the procedure the
/// README documents ("Checking a proof of report") verifies it with the published server key — this
/// test runs the README's own lines (curl, printf, base64, openssl pkeyutl) against the real server.
@Suite("Proof of report: the documented check verifies", .serialized)
struct ProofCheckEndToEndTests {
    static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("README.md")

    /// The text of the element with `id` on a page, with HTML entities undone (what a person copies).
    static func element(_ id: String, in html: String) -> String? {
        guard let start = html.range(of: "id=\"\(id)\">") else { return nil }
        let rest = html[start.upperBound...]
        guard let end = rest.range(of: "</") else { return nil }
        return unescape(String(rest[..<end.lowerBound]))
    }

    static func unescape(_ text: String) -> String {
        var out = text
        for (entity, plain) in [("&#x2F;", "/"), ("&#x3D;", "="), ("&#x60;", "`"), ("&#39;", "'"), ("&#x27;", "'"), ("&quot;", "\""),
                                ("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&")] {
            out = out.replacingOccurrences(of: entity, with: plain)
        }
        return out
    }

    /// UTC seconds of `2026-11-30T19:42:05Z`.
    static func seconds(_ utc: String) -> Int64? {
        guard let m = utc.wholeMatch(of: /(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z/) else { return nil }
        return CivilTime.daysFromCivil(year: Int64(m.1)!, month: Int64(m.2)!, day: Int64(m.3)!) * 86_400
            + Int64(m.4)! * 3_600 + Int64(m.5)! * 60 + Int64(m.6)!
    }

    /// The README's fenced block after the `proof-check` marker.
    static func documentedSteps() throws -> [String] {
        let text = try String(contentsOf: readme, encoding: .utf8)
        let marker = try #require(text.range(of: "<!-- proof-check"))
        let fence = try #require(text.range(of: "```sh\n", range: marker.upperBound..<text.endIndex))
        let close = try #require(text.range(of: "```", range: fence.upperBound..<text.endIndex))
        return text[fence.upperBound..<close.lowerBound].split(separator: "\n").map(String.init)
    }

    /// Runs `lines` with bash in `directory`; returns the exit status and the combined output.
    static func run(_ lines: [String], in directory: URL) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", lines.joined(separator: "\n")]
        process.currentDirectoryURL = directory
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    @Test("The receipt page shows reference, China time with offset, submission hash and the signed statement; the README's steps verify it, a changed statement fails")
    func documentedCheckVerifies() async throws {
        let live = try LiveServer()
        let steps = try Self.documentedSteps()
        #expect(steps.contains { $0.hasPrefix("openssl pkeyutl -verify") })
        try await live.run { live in
            let form = "category=online&district=nanming&description=proof+check"
            let page = try await live.request("/report", method: .POST, contentType: "application/x-www-form-urlencoded",
                                              body: Array(form.utf8))
            #expect(page.status == 201)
            let html = page.text
            let statement = try #require(Self.element("proof-statement", in: html))
            let signature = try #require(Self.element("proof-signature", in: html))
            let hash = try #require(Self.element("proof-hash", in: html))
            let time = try #require(Self.element("proof-time", in: html))
            let reference = try #require(html.firstMatch(of: /GY-\d{4}-\d{6}/).map { String($0.0) })
            // What the statement covers is shown beside it, and it is exactly what was signed.
            #expect(statement.hasPrefix("tipline:v1:proof:\(reference):"))
            #expect(statement.hasSuffix(":\(hash)") && hash.count == 64)
            #expect(time.contains("+08:00"))
            let utc = try #require(statement.firstMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z/).map { String($0.0) })
            #expect(try #require(Self.element("proof-time-utc", in: html)).contains(utc), "\(time) / \(utc)")
            #expect(CivilTime.iso8601China(try #require(Self.seconds(utc))) == time)
            #expect(!html.contains("receipt_secret"))

            // The documented lines, with this tip's values pasted in as a person would.
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("proof-check-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            func pasted(_ statement: String) -> [String] {
                steps.map { line in
                    if line.hasPrefix("STATEMENT=") { return "STATEMENT='\(statement)'" }
                    if line.hasPrefix("PROOF=") { return "PROOF='\(signature)'" }
                    return line.replacingOccurrences(of: "https://127.0.0.1:8443", with: live.publicURL)
                        .replacingOccurrences(of: "demo/public/tls-ca.pem", with: live.deployment.layout.tlsCA.path)
                }
            }
            let good = try Self.run(pasted(statement), in: directory)
            #expect(good.status == 0, "\(good.output)")
            #expect(good.output.contains("Signature Verified Successfully"))
            // The published key is the deployment's server key.
            let published = try String(contentsOf: directory.appendingPathComponent("server-key.pem"), encoding: .utf8)
            let onDisk = try String(contentsOf: live.deployment.layout.publicKeysDir.appendingPathComponent("server-signing.pub.pem"), encoding: .utf8)
            #expect(published.trimmingCharacters(in: .whitespacesAndNewlines) == onDisk.trimmingCharacters(in: .whitespacesAndNewlines))

            // One character of the statement changed: the same steps fail.
            let tampered = String(statement.dropLast()) + (statement.last == "0" ? "1" : "0")
            let bad = try Self.run(pasted(tampered), in: directory)
            #expect(bad.status != 0)
            #expect(bad.output.contains("Signature Verification Failure"))

            // The page's own "how to check" block carries the same commands with the values filled in.
            #expect(html.contains("openssl pkeyutl -verify -pubin -inkey server-key.pem -rawin -in statement.txt -sigfile proof.sig"))
            // The JSON API gives the same statement for its tips.
            let api = try await live.postJSON("/api/v1/tips", ["category": "online", "district": "nanming", "description": "api proof"])
            let json = try api.json()
            let apiStatement = try #require(json["proof_statement"] as? String)
            #expect(apiStatement == "tipline:v1:proof:\(json["reference"]!):\(json["received_at"]!):\(json["submission_hash"]!)")
            #expect((json["received_at_china"] as? String)?.hasSuffix("+08:00") == true)
            let apiCheck = try Self.run(pasted(apiStatement).map { $0.hasPrefix("PROOF=") ? "PROOF='\(json["proof"]!)'" : $0 }, in: directory)
            #expect(apiCheck.status == 0, "\(apiCheck.output)")
        }
    }
}
