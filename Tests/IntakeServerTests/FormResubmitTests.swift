import Foundation
import Testing
import TiplineCore

/// Issue 13 item 11, in process: the tip form reads dates as people write them, and a bad optional
/// field never loses what was typed — the form comes back with every field filled in (never the
/// files, which the page asks to attach again) and the message beside the bad field; nothing is stored.
@Suite("Tip form: dates as people write them; a refused form keeps what was typed", .serialized)
struct FormResubmitTests {
    static func urlencoded(_ fields: [(String, String)]) -> [UInt8] {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return Array(fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&").utf8)
    }

    @Test("A bad date re-shows the form with every typed value, the message beside the field, and stores nothing; people's forms of a date are accepted")
    func badOptionalFieldKeepsValues() async throws {
        let live = try LiveServer()
        try await live.inProcess { server in
            let typed: [(String, String)] = [
                ("category", "online"), ("district", "huaxi"), ("location", "花溪区某网吧 <二楼>"), ("occurred_at", "上周五晚上"),
                ("description", "有人在网吧\n出售淫秽光盘 & 书刊"), ("reporter_name", "王小明"), ("reporter_phone", "13900000000"),
                ("wants_reward", "1"),
            ]
            let reply = try await server.request("/report", method: .post, contentType: "application/x-www-form-urlencoded",
                                                 body: Self.urlencoded(typed))
            #expect(reply.status == 400)
            let html = reply.text
            // Every value comes back (HTML-escaped), selections and the checkbox too.
            #expect(html.contains("value=\"花溪区某网吧 &lt;二楼&gt;\""))
            #expect(html.contains("value=\"上周五晚上\""))
            #expect(html.contains("有人在网吧\n出售淫秽光盘 &amp; 书刊</textarea>"))
            #expect(html.contains("value=\"王小明\"") && html.contains("value=\"13900000000\""))
            #expect(html.contains("<option value=\"huaxi\" selected>") && html.contains("<option value=\"online\" selected>"))
            #expect(html.contains("name=\"wants_reward\" type=\"checkbox\" value=\"1\" checked"))
            // The message sits beside the field and the field is marked; the summary links to it.
            let field = try #require(html.range(of: "id=\"f-occurred_at\""))
            let message = try #require(html.range(of: "<p class=\"field-error\" id=\"e-occurred_at\">"))
            let nextLabel = try #require(html.range(of: "<label for=\"f-description\">"))
            #expect(field.lowerBound < message.lowerBound && message.lowerBound < nextLabel.lowerBound)
            #expect(html.contains("aria-invalid=\"true\"") && html.contains("href=\"#f-occurred_at\""))
            #expect(html.contains("2026年11月28日"))
            #expect(!html.contains("id=\"e-location\""), "a good field was marked")
            #expect(try live.tipCount() == 0)

            // With files: the same, and the page says to attach them again (browsers keep no files).
            let png = try [UInt8](Data(contentsOf: fixturesDirectory.appendingPathComponent("palette.png")))
            let (type, body) = try LiveServer.multipartBody(tip: nil, files: [png], fields: typed)
            let withFiles = try await server.request("/report", method: .post, contentType: type, body: body)
            #expect(withFiles.status == 400)
            #expect(withFiles.text.contains("id=\"reattach-evidence\"") && withFiles.text.contains("请重新选择"))
            #expect(withFiles.text.contains("value=\"上周五晚上\""))
            // A refused file (PDF) keeps the typed text too, and says why beside the general message.
            let pdf = Array("%PDF-1.7\n%%EOF\n".utf8)
            var good = typed
            good[3] = ("occurred_at", "2026/11/28 14:00")
            let (pdfType, pdfBody) = try LiveServer.multipartBody(tip: nil, files: [pdf], fields: good)
            let refusedFile = try await server.request("/report", method: .post, contentType: pdfType, body: pdfBody)
            #expect(refusedFile.status == 415)
            #expect(refusedFile.text.contains("value=\"2026/11/28 14:00\"") && refusedFile.text.contains("您填写的内容已保留"))
            #expect(refusedFile.text.contains("id=\"reattach-evidence\""))
            #expect(try live.tipCount() == 0)

            // The forms people write are accepted, by the form and by the API.
            for (index, written) in ["2026/11/28", "2026年11月28日", "2026-11-28 14:00", "2026-11-28T14:00", "11月28日"].enumerated() {
                good[3] = ("occurred_at", written)
                let accepted = try await server.request("/report", method: .post, contentType: "application/x-www-form-urlencoded",
                                                        body: Self.urlencoded(good))
                #expect(accepted.status == 201, "\(written)")
                #expect(try live.tipCount() == index + 1)
            }
            let api = try await server.postJSON("/api/v1/tips", ["category": "online", "district": "nanming", "description": "x",
                                                                 "occurred_at": "2026年11月28日 下午3点"])
            #expect(api.status == 201)
            let refused = try await server.postJSON("/api/v1/tips", ["category": "online", "district": "nanming", "description": "x",
                                                                     "occurred_at": "上周五"])
            #expect(refused.status == 400)
            #expect(!live.logs.all.contains("上周五") && !live.logs.all.contains("王小明") && !live.logs.all.contains("13900000000"))
        }
    }
}
