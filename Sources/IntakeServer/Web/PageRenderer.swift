import Foundation
import Hummingbird
import Mustache
import NIOCore
import TiplineCore
import Accounting
import LedgerModel

/// Renders the public pages from the compiled-in templates.
struct PageRenderer: Sendable {
    let library: MustacheLibrary
    let policies: PolicySet

    init(policies: PolicySet) throws {
        var library = MustacheLibrary()
        try library.register(Templates.layout, named: "layout")
        try library.register(Templates.form, named: "form")
        try library.register(Templates.receipt, named: "receipt")
        try library.register(Templates.followup, named: "followup")
        self.library = library
        self.policies = policies
    }

    static func language(of request: Request) -> Language {
        request.uri.queryParameters.get("lang") == "en" ? .en : .zh
    }

    /// Context every page shares. `switchPath` is where the language link goes (a GET page: the
    /// results of a POST cannot be re-fetched); nil hides the link (the receipt page must not be left by accident).
    private func base(_ language: Language, switchPath: String?) -> [String: Any] {
        var t = WebStrings.table(language)
        if let switchPath { t["switch_href"] = switchPath + (language == .zh ? "?lang=en" : "?lang=zh") }
        return ["t": t, "zh": language == .zh, "langQuery": language == .en ? "?lang=en" : "", "showSwitch": switchPath != nil]
    }

    /// A field error in the page's language (the API's English message is the fallback).
    static func localized(_ error: FieldError, _ t: [String: String]) -> String {
        let key = error.field == "occurred_at" && error.code == "invalid" ? "err_invalid_occurred_at" : "err_\(error.code)"
        guard let text = t[key] else { return error.message }
        return text.replacingOccurrences(of: "{limit}", with: error.limit.map(String.init) ?? "")
    }

    func html(_ status: HTTPResponse.Status, template: String, _ context: [String: Any]) -> Response {
        let text = library.render(context, withTemplate: template) ?? ""
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// The tip form, with previous values and field errors when re-shown.
    func form(_ language: Language, status: HTTPResponse.Status = .ok, values: [String: String] = [:],
              errors: [FieldError] = [], generalError: String? = nil, filesDropped: Bool = false) -> Response {
        let t = WebStrings.table(language)
        var context = base(language, switchPath: "/")
        context["reattach"] = filesDropped
        context["categories"] = policies.categories.categories.map { category -> [String: Any] in
            ["id": category.id.rawValue, "label": category.label(language), "selected": values["category"] == category.id.rawValue]
        }
        var districts: [[String: Any]] = policies.centres.districts.map { centre in
            ["id": centre.id.rawValue, "label": centre.districtName(language), "selected": values["district"] == centre.id.rawValue]
        }
        districts.append(["id": TipDistrict.unknownToken, "label": t["district_unknown"] ?? "", "selected": values["district"] == TipDistrict.unknownToken])
        context["districts"] = districts
        context["identityFields"] = ReporterSubmission.fieldNames.map { name -> [String: Any] in
            ["name": name, "label": t[name] ?? name, "value": values["reporter_\(name)"] ?? ""]
        }
        var shown = values
        shown["wants_reward"] = values["wants_reward"] == "1" ? "1" : nil
        context["values"] = shown.mapValues { $0 as Any }
        context["hasErrors"] = !errors.isEmpty
        context["errors"] = errors.map { error -> [String: Any] in
            let anchor = error.field.replacingOccurrences(of: "reporter.", with: "")
            let labelKey = error.field.hasPrefix("reporter.") ? String(error.field.dropFirst("reporter.".count)) : error.field
            return ["anchor": anchor, "label": t[labelKey] ?? error.field, "message": Self.localized(error, t)]
        }
        if let generalError { context["generalError"] = generalError }
        return html(status, template: "form", context)
    }

    func receipt(_ language: Language, result: SubmissionResult) -> Response {
        var context = base(language, switchPath: nil)
        context["reference"] = result.stored.reference.rawValue
        context["receipt"] = result.receipt.grouped
        context["receivedAt"] = CivilTime.chinaDisplay(result.stored.receivedAt)
        context["proof"] = Data(result.stored.proof).base64EncodedString()
        return html(.created, template: "receipt", context)
    }

    func followup(_ language: Language, status: HTTPResponse.Status = .ok, result: FollowupResult? = nil,
                  receipt: Receipt? = nil, notice: String? = nil, error: String? = nil) -> Response {
        let t = WebStrings.table(language)
        var context = base(language, switchPath: "/followup")
        if let notice { context["notice"] = notice }
        if let error { context["error"] = error }
        if let result, let receipt {
            context["found"] = true
            context["receipt"] = receipt.grouped
            context["reference"] = result.reference.rawValue
            context["status"] = result.status.publicStatus.label(language)
            if let reward = result.reward {
                var text = t["reward_\(reward.state)"] ?? reward.state
                if let amount = reward.amountFen { text += " · " + Fen(amount).description }
                context["reward"] = text
                if let code = reward.voucherCode {
                    context["voucherCode"] = code
                    context["voucherExpires"] = reward.expiresAt.map(CivilTime.chinaDisplay) ?? ""
                }
            }
            context["messages"] = result.messages.map { message -> [String: Any] in
                ["author": message.author, "from": message.author == "reporter" ? t["from_reporter"]! : t["from_centre"]!,
                 "at": CivilTime.chinaDisplay(message.createdAt), "text": message.text]
            }
        }
        return html(status, template: "followup", context)
    }
}
