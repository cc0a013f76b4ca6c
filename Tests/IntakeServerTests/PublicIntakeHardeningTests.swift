import AsyncHTTPClient
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOHTTP1
import Sealing
import Testing
import TiplineCore
import TiplineAdminAPI

/// The public intake's "Also" items of issue 11: duplicate JSON keys, cross-site form posts,
/// what the reporter is told, and the process's dumpable flag — over the real server.
@Suite("Public intake hardening", .serialized)
struct PublicIntakeHardeningTests {
    @Test("Form posts: cross-site Origin, Sec-Fetch-Site or Referer → 403 and nothing stored; same origin, Origin null, or no header at all → accepted")
    func crossSitePosts() async throws {
        let live = try LiveServer()
        try await live.run { live in
            let own = live.publicURL
            func post(_ path: String, _ body: String, _ headers: [(String, String)]) async throws -> Int {
                var request = HTTPClientRequest(url: live.publicURL + path)
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
                for (name, value) in headers { request.headers.add(name: name, value: value) }
                request.body = .bytes(ByteBuffer(string: body))
                let response = try await live.client.execute(request, timeout: .seconds(30))
                _ = try await response.body.collect(upTo: 1 << 20)
                return Int(response.status.code)
            }
            let tip = "category=online&district=nanming&description=cross-site+test"
            let refused: [[(String, String)]] = [
                [("Origin", "https://evil.example")],
                [("Origin", "https://evil.example"), ("Sec-Fetch-Site", "cross-site")],
                [("Origin", "null"), ("Sec-Fetch-Site", "cross-site")],
                [("Sec-Fetch-Site", "same-site")],
                [("Referer", "https://evil.example/page")],
                [("Origin", own.replacingOccurrences(of: "127.0.0.1", with: "127.0.0.2"))],
                [("Origin", own), ("Sec-Fetch-Site", "cross-site")],
            ]
            for headers in refused {
                let report = try await post("/report", tip, headers)
                let followup = try await post("/followup", "receipt=1234567890123456", headers)
                #expect(report == 403 && followup == 403, "\(headers)")
            }
            #expect(try live.tipCount() == 0)

            let accepted: [[(String, String)]] = [
                [],                                                  // a no-JS browser that sends nothing
                [("Origin", own)],
                [("Origin", own), ("Sec-Fetch-Site", "same-origin"), ("Referer", own + "/?lang=en")],
                [("Origin", "null"), ("Sec-Fetch-Site", "same-origin")],  // our own Referrer-Policy: no-referrer
                [("Origin", "null")],
                [("Referer", own + "/")],
            ]
            for headers in accepted {
                let report = try await post("/report", tip, headers)
                let followup = try await post("/followup", "receipt=1234567890123456", headers)
                #expect(report == 201 && followup == 404, "\(headers)")
            }
            #expect(try live.tipCount() == accepted.count)
        }
    }

    @Test("The reporter is told exactly who can open what, in Chinese and English, on the form, the receipt page and in openapi.yaml")
    func truthfulText() async throws {
        let live = try LiveServer()
        let untrue = ["全程加密", "只有受理本举报的举报中心负责人才能查看", "encrypted end to end",
                      "Only the identity holder of the centre handling your tip can open"]
        let zhTruth = ["受理本举报的举报中心的负责人", "贵阳市举报中心的负责人", "该中心的负责人也能打开", "登记理由"]
        let enTruth = ["identity holder (负责人) of the centre handling your tip", "identity holder of the Guiyang city centre",
                       "that centre's identity holder can open them too", "recorded reason"]
        try await live.run { live in
            let zhForm = try await live.request("/").text
            let enForm = try await live.request("/?lang=en").text
            let zhReceipt = try await live.request("/report", method: .POST, contentType: "application/x-www-form-urlencoded",
                                                   body: Array("category=online&district=nanming&description=x".utf8)).text
            let enReceipt = try await live.request("/report?lang=en", method: .POST, contentType: "application/x-www-form-urlencoded",
                                                   body: Array("category=online&district=nanming&description=x".utf8)).text
            for page in [zhForm, enForm, zhReceipt, enReceipt] {
                for phrase in untrue { #expect(!page.contains(phrase), "\(phrase)") }
            }
            for page in [zhForm, zhReceipt] { for phrase in zhTruth { #expect(page.contains(phrase), "zh: \(phrase)") } }
            for page in [enForm, enReceipt] {
                for phrase in enTruth { #expect(page.contains(phrase.replacingOccurrences(of: "'", with: "&#39;")) || page.contains(phrase), "en: \(phrase)") }
            }
            #expect(zhReceipt.contains("持有回执码的人") && enReceipt.contains("Whoever holds the receipt"))
            #expect(zhForm.range(of: "受理本举报")!.lowerBound < zhForm.range(of: "贵阳市举报中心的负责人")!.lowerBound)
        }
        let openapi = try String(contentsOf: repoPolicies.deletingLastPathComponent().appendingPathComponent("openapi.yaml"), encoding: .utf8)
        for phrase in untrue { #expect(!openapi.contains(phrase)) }
        #expect(openapi.contains("受理举报的举报中心的") && openapi.contains("identity holder (负责人) of the centre"))
        #expect(openapi.range(of: "谁能打开什么")!.lowerBound < openapi.range(of: "(en) The `reporter` fields")!.lowerBound)
    }

    @Test("The server makes its process non-dumpable at start-up (PR_GET_DUMPABLE = 0, RLIMIT_CORE = 0)")
    func notDumpable() async throws {
        let live = try LiveServer()
        try await live.run { live in
            let health = try await live.request("/healthz").status
            #expect(health == 200)
            // (/proc/<pid>/status has no dumpable field: the kernel's own answer is PR_GET_DUMPABLE.)
            var limit = rlimit()
            let got = getrlimit(Int32(RLIMIT_CORE.rawValue), &limit)
            let core = limit.rlim_cur
            #expect(got == 0 && core == 0)
            #expect(ProcessHardening.isDumpable == false)
        }
    }
}
