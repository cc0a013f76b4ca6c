import Foundation
import Hummingbird
import Mustache
import NIOCore
import TiplineCore
import TiplineStore
import Accounting
import LedgerModel

/// Renders the public pages from the compiled-in templates.
struct PageRenderer: Sendable {
    let library: MustacheLibrary
    let policies: PolicySet
    /// The key id of the server's Ed25519 key, whose public half `/server-key.pem` publishes.
    let serverKeyID: String

    init(policies: PolicySet, serverKeyID: String = "") throws {
        var library = MustacheLibrary()
        try library.register(Templates.layout, named: "layout")
        try library.register(Templates.form, named: "form")
        try library.register(Templates.receipt, named: "receipt")
        try library.register(Templates.followup, named: "followup")
        try library.register(Templates.informant, named: "informant")
        self.library = library
        self.policies = policies
        self.serverKeyID = serverKeyID
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

    /// Why there is no reward, when there is none: the centre's reason when the supervisor gave one
    /// (`ledger decline --reason`), else what a decline means, or that the outcome earns none; never
    /// names staff.
    static func rewardNote(_ reward: RewardState, _ result: FollowupResult, _ t: [String: String]) -> String? {
        let outcome = result.resolution?.publicStatus ?? result.publicStatus
        if reward.state == "declined" {
            guard let reason = reward.declineReason else { return t["reward_declined_note"] }
            return (t["reward_declined_reason"] ?? "") + reason
        }
        if reward.state == "requested", outcome == .unfounded || outcome == .rejected { return t["reward_not_eligible"] }
        return nil
    }

    /// The form field an error names: `reporter.phone` → `phone`, `evidence[2]` → `evidence`.
    static func anchor(_ field: String) -> String {
        var name = field.hasPrefix("reporter.") ? String(field.dropFirst("reporter.".count)) : field
        if let bracket = name.firstIndex(of: "[") { name = String(name[..<bracket]) }
        return name
    }

    /// A field's label without its hint in brackets (`发生时间（可选…）` → `发生时间`).
    static func label(_ anchor: String, _ t: [String: String]) -> String {
        guard let text = t[anchor] else { return anchor }
        return String(text.prefix { $0 != "（" && $0 != "(" }).trimmingCharacters(in: .whitespaces)
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
        // Each error beside its field (issue 13 item 11), and every typed value kept (never files).
        var fieldErrors: [String: String] = [:]
        for error in errors {
            let anchor = Self.anchor(error.field)
            fieldErrors[anchor] = fieldErrors[anchor].map { $0 + "；" + Self.localized(error, t) } ?? Self.localized(error, t)
        }
        context["fieldErrors"] = fieldErrors
        context["identityFields"] = ReporterSubmission.fieldNames.map { name -> [String: Any] in
            var field: [String: Any] = ["name": name, "label": t[name] ?? name, "value": values["reporter_\(name)"] ?? ""]
            if let error = fieldErrors[name] { field["error"] = error }
            return field
        }
        var shown = values
        shown["wants_reward"] = values["wants_reward"] == "1" ? "1" : nil
        context["values"] = shown.mapValues { $0 as Any }
        context["hasErrors"] = !errors.isEmpty
        context["errors"] = errors.map { error -> [String: Any] in
            let anchor = Self.anchor(error.field)
            return ["anchor": anchor, "label": Self.label(anchor, t), "message": Self.localized(error, t)]
        }
        if let generalError {
            context["generalError"] = generalError
            context["keptValues"] = values.values.contains { !$0.isEmpty }
        }
        return html(status, template: "form", context)
    }

    func receipt(_ language: Language, result: SubmissionResult) -> Response {
        var context = base(language, switchPath: nil)
        context["reference"] = result.stored.reference.rawValue
        context["receipt"] = result.receipt.grouped
        context["receivedAt"] = CivilTime.chinaDisplay(result.stored.receivedAt)
        // The proof of report and what it covers (issue 13 item 12): the signed statement itself, so
        // anyone can check it with the published server key (README "Checking a proof of report").
        context["proof"] = Data(result.stored.proof).base64EncodedString()
        let t = WebStrings.table(language)
        context["receivedAtChina"] = CivilTime.iso8601China(result.stored.receivedAt)
        context["receivedAtUTC"] = (t["proof_time_utc"] ?? "{utc}").replacingOccurrences(of: "{utc}", with: CivilTime.iso8601UTC(result.stored.receivedAt))
        context["submissionHash"] = Hex.encode(result.stored.submissionHash)
        context["statement"] = String(decoding: ProofOfReport.message(reference: result.stored.reference, receivedAt: result.stored.receivedAt,
                                                                      submissionHash: result.stored.submissionHash), as: UTF8.self)
        context["serverKeyID"] = serverKeyID
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
            // What happened, in words (issue 13 item 10): the status with its explanation, the outcome of a
            // closed tip, and the centre handling it with its public address (centres.yaml).
            let status = result.publicStatus
            context["status"] = status.label(language)
            context["statusExplanation"] = status.explanation(language)
            if let resolution = result.resolution?.publicStatus, resolution != .concluded {
                context["resolution"] = resolution.label(language)
                context["resolutionExplanation"] = resolution.explanation(language)
            }
            if let centre = result.centre {
                context["centreName"] = centre.name(language)
                if let address = centre.address(language) { context["centreAddress"] = address }
            }
            context["filesText"] = (t["files_count"] ?? "{count}").replacingOccurrences(of: "{count}", with: String(result.files))
            context["canAddFiles"] = result.filesAllowed > 0
            context["addFilesHint"] = (t["add_files_hint"] ?? "").replacingOccurrences(of: "{left}", with: String(result.filesAllowed))
            if let reward = result.reward {
                var text = t["reward_\(reward.state)"] ?? reward.state
                if let amount = reward.amountFen { text += " · " + Fen(amount).description }
                context["reward"] = text
                if let note = Self.rewardNote(reward, result, t) { context["rewardNote"] = note }
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

    /// The informant's page (issue 15): the code form, or — with an opened code — the report form,
    /// the informant's reports with what became of them and the handler's replies.
    func informant(_ language: Language, status: HTTPResponse.Status = .ok, session: InformantDesk.Session? = nil, code: InformantCode? = nil,
                   reports: [InformantDesk.PageReport] = [], vouchers: [InformantDesk.PageVoucher] = [],
                   notice: String? = nil, error: String? = nil,
                   values: [String: String] = [:], filesDropped: Bool = false) -> Response {
        let t = WebStrings.table(language)
        var context = base(language, switchPath: "/informant")
        if let notice { context["notice"] = notice }
        if let error { context["error"] = error }
        if let session, let code {
            context["found"] = true
            context["code"] = code.grouped
            context["pseudonym"] = session.code.pseudonym
            context["district"] = policies.centres.centre(CentreID(session.code.district))?.districtName(language) ?? session.code.district
            context["kinds"] = InformantReportKind.allCases.map { kind -> [String: Any] in
                ["id": kind.rawValue, "label": kind.label(language), "selected": values["kind"] == kind.rawValue]
            }
            // Names: imported communities and villages from the database, townships from areas.csv.
            context["areas"] = session.code.areas.map { area -> [String: Any] in
                let name = area.name ?? policies.areas.first { $0.code == area.code }?.nameZh
                return ["code": area.code, "label": name.map { "\($0)（\(area.code)）" } ?? area.code, "selected": values["area"] == area.code]
            }
            context["values"] = ["occurred_at": values["occurred_at"] ?? "", "text": values["text"] ?? ""]
            context["reattach"] = filesDropped
            context["reports"] = reports.map { report -> [String: Any] in
                let state = report.becameTip ? t["inf_state_tip"] : report.becameItem ? t["inf_state_item"] : t["inf_state_received"]
                return ["reference": report.reference, "kind": report.kind.label(language), "at": CivilTime.chinaDisplay(report.receivedAt),
                        "photos": report.photos, "state": state ?? "",
                        "replies": report.replies.map { ["at": CivilTime.chinaDisplay($0.at), "text": $0.text] }]
            }
            // Remuneration (issue 17): the code is shown only here, to whoever holds the informant's code.
            context["has_vouchers"] = !vouchers.isEmpty
            context["vouchers"] = vouchers.map { voucher -> [String: Any] in
                ["report": voucher.report, "amount": Fen(voucher.amountFen).description,
                 "code": VoucherCode(parsing: voucher.code)?.grouped ?? voucher.code, "until": CivilTime.chinaDisplay(voucher.expiresAt)]
            }
        }
        return html(status, template: "informant", context)
    }
}
