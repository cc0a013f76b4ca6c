import AdminClient
import ArgumentParser
import Foundation
import Sealing
import TiplineAdminAPI
import TiplineCore

/// `tipline-admin network informant …`: informants by pseudonym (S-2.2, S-3.1, S-4.4). The true
/// identity is typed on this machine and sealed here to the district's registry key and the city's
/// identity key before anything is sent; opening it is audited before the server releases it.
struct InformantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "informant", abstract: "信息员（化名登记，身份密封）/ Informants: pseudonyms, sealed identities, reviews.",
        subcommands: [Add.self, List.self, Reviews.self, Show.self, Suspend.self, Retire.self, Reinstate.self, Review.self, ReissueCode.self,
                      RequestUnseal.self, ApproveUnseal.self, Unseal.self])

    /// The identity fields, in the order they are asked.
    static let identityFields: [(key: String, zh: String, required: Bool)] = [
        ("name", "姓名", true), ("phone", "电话", false), ("id_number", "身份证号", false), ("address", "地址", false),
        ("workplace", "工作单位", false), ("bank_account", "银行账号（可选）", false),
    ]

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "信息员管理：登记信息员；身份在本机加密 / Handlers: register an informant; the identity is sealed on this machine.",
            discussion: "The identity is asked on the terminal (or read from --identity-file, a JSON object with name, phone, id_number, address, workplace, bank_account), sealed here, and never sent in clear. The informant's 16-digit code is shown ONCE: hand it over in person.")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "The district (default: your district office's).") var district: String?
        @Option(help: "Covered area codes (12 digits), comma-separated.") var areas: String
        @Option(name: .customLong("source-role"), help: "public-order-auxiliary (综治协管员), community-librarian (社区图书室管理员), rural-library-keeper (农家书屋管理员), grid-worker (网格管理员) or other.")
        var sourceRole: String
        @Option(name: .customLong("review-due"), help: "First review, YYYY-MM-DD.") var reviewDue: String
        @Option(name: .customLong("identity-file"), help: "Read the identity from this JSON file instead of the terminal (delete it afterwards).")
        var identityFile: String?
        @Flag(help: "Machine-readable output (the code included: keep it off logs).") var json = false

        func run() async throws {
            try await reportingErrors {
                guard let role = InformantSourceRole(typed: sourceRole) else { throw CLIError.input(say("--source-role 无法识别", "unknown --source-role")) }
                guard CivilDate.isValid(reviewDue) else { throw CLIError.input(say("--review-due 应为日期 YYYY-MM-DD", "--review-due is a date YYYY-MM-DD")) }
                let codes = areas.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                let identity = try readIdentity()
                let session = try connection.session()
                let target = try await InformantCommand.district(session: session, given: district)
                let recipients = try await identityRecipients(session: session, district: target.district, office: target.office)
                let (code, record, uid) = try InformantCodeRecord.issue()
                var plaintext = Array(try JSONSerialization.data(withJSONObject: identity, options: [.sortedKeys]))
                defer { SecureWipe.wipe(&plaintext) }
                let envelope = try EnvelopeCrypto.sealMessage(recordID: uid, name: "identity", value: plaintext, recipients: recipients)
                let view = try await session.call(.registerInformant, body: InformantRegistration(
                    uid: uid, district: target.district, areas: codes, sourceRole: role, reviewDue: reviewDue, identity: envelope, code: record),
                                                  as: InformantView.self)
                if json {
                    try printJSON(["pseudonym": view.pseudonym, "code": code.digits, "district": view.district])
                    return
                }
                let place = Presenter(policies: try? connection.place.open().policies, staff: []).centre(view.district)
                print(say("已登记信息员 \(view.pseudonym)（\(place)）", "registered informant \(view.pseudonym) (\(place))"))
                print(say("信息员代码（只显示这一次，当面交给信息员，不要记录）：\(code.grouped)",
                          "informant code (shown ONCE: hand it over in person, do not write it down anywhere else): \(code.grouped)"))
            }
        }

        private func readIdentity() throws -> [String: String] {
            var identity: [String: String] = [:]
            if let identityFile {
                guard let data = FileManager.default.contents(atPath: identityFile),
                      let object = try? JSONSerialization.jsonObject(with: data) as? [String: String] else {
                    throw CLIError.input(say("\(identityFile) 不是 JSON 对象（字符串值）", "\(identityFile) is not a JSON object of strings"))
                }
                let allowed = Set(InformantCommand.identityFields.map(\.key))
                if let unknown = object.keys.first(where: { !allowed.contains($0) }) {
                    throw CLIError.input(say("未知的身份字段 \(unknown)", "unknown identity field \(unknown)"))
                }
                identity = object.filter { !$0.value.trimmingCharacters(in: .whitespaces).isEmpty }
            } else {
                for field in InformantCommand.identityFields {
                    FileHandle.standardError.write(Data(say("\(field.zh)：", "\(field.key): ").utf8))
                    if let line = readLine(), !line.trimmingCharacters(in: .whitespaces).isEmpty { identity[field.key] = line }
                }
            }
            guard identity["name"] != nil else { throw CLIError.input(say("姓名必填", "a name is required")) }
            if let long = identity.first(where: { $0.value.count > 200 }) {
                throw CLIError.input(say("\(long.key) 超过 200 字", "\(long.key) is longer than 200 characters"))
            }
            return identity
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "本区县信息员（化名）/ Your district's informants, by pseudonym.")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "active, suspended or retired.") var status: InformantStatus?
        @Flag(help: "Only those whose review is overdue.") var overdue = false
        @OptionGroup var page: PageOption
        @Flag(help: "Machine-readable output.") var json = false

        func run() async throws {
            try await reportingErrors {
                var query: [(name: String, value: String)] = [("limit", String(page.limit))]
                if let status { query.append(("status", status.rawValue)) }
                if overdue { query.append(("overdue", "1")) }
                let list = try await connection.session().call(.informants, query: query, as: [InformantView].self)
                try InformantCommand.show(list, json: json)
            }
        }
    }

    struct Reviews: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "定期审查到期情况 / Informants whose periodic review is due (--overdue: past due).")
        @OptionGroup var connection: ConnectionOptions
        @Flag(help: "Only those past their due date.") var overdue = false
        @Flag(help: "Machine-readable output.") var json = false

        func run() async throws {
            try await reportingErrors {
                var query: [(name: String, value: String)] = [("limit", String(AdminPage.maxSize))]
                if overdue { query.append(("overdue", "1")) }
                let list = try await connection.session().call(.informants, query: query, as: [InformantView].self)
                    .filter { $0.status != .retired }.sorted { $0.reviewDue < $1.reviewDue }
                try InformantCommand.show(list, json: json)
            }
        }
    }

    static func show(_ list: [InformantView], json: Bool) throws {
        if json { try printJSON(list); return }
        printTable([say("化名", "PSEUDONYM"), say("状态", "STATUS"), say("来源", "SOURCE"), say("覆盖区域", "AREAS"), say("审查到期", "REVIEW DUE"),
                    say("登记时间", "REGISTERED")], list.map {
            [$0.pseudonym, $0.status.label(UILanguage.current), $0.sourceRole.label(UILanguage.current), $0.areas.joined(separator: " "), $0.reviewDue,
             ShownTime.text(iso: $0.registeredAt)]
        })
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "信息员详情（不含身份）/ One informant, without the identity: reviews and who opened it.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The pseudonym, e.g. NM-0007.") var pseudonym: String
        @Flag(help: "Machine-readable output.") var json = false

        func run() async throws {
            try await reportingErrors {
                let detail = try await connection.session().call(.informant, pseudonym, as: InformantDetail.self)
                if json { try printJSON(detail); return }
                let i = detail.informant
                let place = Presenter(policies: try? connection.place.open().policies, staff: []).centre(i.district)
                print("\(i.pseudonym)  \(i.status.label(UILanguage.current))  \(i.sourceRole.label(UILanguage.current))  \(place)")
                print(say("覆盖区域：\(i.areas.joined(separator: " "))", "areas: \(i.areas.joined(separator: " "))"))
                print(say("登记：\(ShownTime.text(iso: i.registeredAt))  审查到期：\(i.reviewDue)  代码签发：\(ShownTime.text(iso: i.codeIssuedAt))",
                          "registered \(ShownTime.text(iso: i.registeredAt))  review due \(i.reviewDue)  code issued \(ShownTime.text(iso: i.codeIssuedAt))"))
                print(say("\n定期审查", "\nreviews"))
                printTable([say("时间", "AT"), say("审查人", "BY"), say("结论", "OUTCOME"), say("下次到期", "NEXT DUE")],
                           detail.reviews.map { [ShownTime.text(iso: $0.reviewedAt), $0.reviewedBy, $0.outcome, $0.nextDue] })
                print(say("\n身份打开记录", "\nidentity openings"))
                printTable([say("时间", "AT"), say("打开人", "BY"), say("理由", "REASON"), say("批准人", "APPROVED BY")],
                           detail.openings.map { [ShownTime.text(iso: $0.at), $0.by, $0.reason, $0.approvedBy ?? "-"] })
            }
        }
    }

    struct Suspend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "暂停信息员 / Suspend an informant.")
        @OptionGroup var change: StatusChangeOptions
        func run() async throws { try await change.run(to: .suspended) }
    }

    struct Retire: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "信息员退出（不可恢复）/ Retire an informant (final).")
        @OptionGroup var change: StatusChangeOptions
        func run() async throws { try await change.run(to: .retired) }
    }

    struct Reinstate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "恢复暂停的信息员 / Reinstate a suspended informant.")
        @OptionGroup var change: StatusChangeOptions
        func run() async throws { try await change.run(to: .active) }
    }

    struct StatusChangeOptions: ParsableArguments {
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The pseudonym.") var pseudonym: String
        @Option(help: "Why (no personal data).") var reason: String

        func run(to status: InformantStatus) async throws {
            try await reportingErrors {
                try ClearText.check([("--reason", reason)])
                let view = try await connection.session().call(.changeInformant, pseudonym, body: InformantStatusBody(to: status, reason: reason),
                                                               as: InformantView.self)
                print(say("\(view.pseudonym)：\(view.status.label(.zh))", "\(view.pseudonym): \(view.status.rawValue)"))
            }
        }
    }

    struct Review: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "记录定期审查及下次到期日 / Record a periodic review and the next due date.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The pseudonym.") var pseudonym: String
        @Option(help: "What the review found (no personal data).") var outcome: String
        @Option(name: .customLong("next-due"), help: "Next review, YYYY-MM-DD.") var nextDue: String

        func run() async throws {
            try await reportingErrors {
                try ClearText.check([("--outcome", outcome)])
                let view = try await connection.session().call(.reviewInformant, pseudonym, body: InformantReviewBody(outcome: outcome, nextDue: nextDue),
                                                               as: InformantView.self)
                print(say("\(view.pseudonym)：已记录审查，下次到期 \(view.reviewDue)", "\(view.pseudonym): review recorded, next due \(view.reviewDue)"))
            }
        }
    }

    struct ReissueCode: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reissue-code",
                                                        abstract: "重发信息员代码（旧代码立即失效）/ Issue a new informant code; the old one stops working.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The pseudonym.") var pseudonym: String
        @Option(help: "Why (no personal data).") var reason: String

        func run() async throws {
            try await reportingErrors {
                try ClearText.check([("--reason", reason)])
                let session = try connection.session()
                let uid = try await session.call(.informant, pseudonym, as: InformantDetail.self).informant.uid
                let (code, record) = try InformantCodeRecord.issue(uid: uid)
                let view = try await session.call(.reissueInformantCode, pseudonym, body: InformantCodeBody(code: record, reason: reason), as: InformantView.self)
                print(say("\(view.pseudonym)：新代码（只显示这一次，当面交给信息员）：\(code.grouped)",
                          "\(view.pseudonym): new code (shown ONCE, hand it over in person): \(code.grouped)"))
            }
        }
    }

    struct RequestUnseal: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "request-unseal",
            abstract: "市级身份保管人：申请打开信息员身份（须另一位批准）/ City identity holders: ask to open an identity (a second holder must approve).")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The pseudonym.") var pseudonym: String
        @Option(help: "Why (recorded in the audit log; no personal data).") var reason: String

        func run() async throws {
            try await reportingErrors {
                try ClearText.check([("--reason", reason)])
                let reply = try await connection.session().call(.requestInformantUnseal, pseudonym, body: ReasonBody(reason: reason), as: UnsealRequestReply.self)
                print(say("已申请（编号 \(reply.request)）：请另一位市级身份保管人运行 `tipline-admin network informant approve-unseal \(reply.pseudonym) --request \(reply.request) --reason …`",
                          "requested (\(reply.request)): another city identity holder runs `tipline-admin network informant approve-unseal \(reply.pseudonym) --request \(reply.request) --reason …`"))
            }
        }
    }

    struct ApproveUnseal: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "approve-unseal", abstract: "另一位市级身份保管人：批准申请 / A second city identity holder: approve a request.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The pseudonym.") var pseudonym: String
        @Option(help: "The request id (ur-…).") var request: String
        @Option(help: "Why you approve (recorded).") var reason: String

        func run() async throws {
            try await reportingErrors {
                try ClearText.check([("--reason", reason)])
                _ = try await connection.session().call(.approveInformantUnseal, pseudonym, body: UnsealApprovalBody(request: request, reason: reason),
                                                        as: Acknowledged.self)
                print(say("已批准 \(request)", "approved \(request)"))
            }
        }
    }

    struct Unseal: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "打开信息员身份（本区县信息员管理，或经批准的市级身份保管人）/ Open an informant's identity: the district's handler, or an approved city identity holder.",
            discussion: "The server writes the audit entry before it releases the sealed identity; it is decrypted here, with the district's registry key (handlers: --identity-key holders/unit-<office>-registry.key.pem) or the city's identity key, and kept nowhere.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The pseudonym.") var pseudonym: String
        @Option(help: "Why the identity is needed (recorded in the audit log).") var reason: String
        @Flag(help: "Machine-readable output.") var json = false

        func run() async throws {
            try await reportingErrors {
                try ClearText.check([("--reason", reason)])
                let session = try connection.session()
                let me = try await session.whoami()
                let key: CentreKey
                if me.role == .handler {
                    guard let unit = me.unit else { throw CLIError.refused(say("您的密钥没有所属单位", "your key has no unit")) }
                    key = try await LocalCrypto.unitKey(unit, registry: true, session: session, explicit: connection.effective(connection.identityKey, .identityKey))
                } else {
                    key = try session.centreKey(.identity, centre: me.centre, explicit: connection.identityKey)
                }
                let released = try await session.call(.unsealInformant, pseudonym, body: ReasonBody(reason: reason), as: InformantIdentityRelease.self)
                guard case .opened(let plaintext) = LocalCrypto.openEnvelope(released.identity, field: "identity", with: key, requireCommitment: true),
                      let identity = try? JSONSerialization.jsonObject(with: Data(plaintext)) as? [String: String] else {
                    throw CLIError.integrity(say("身份数据无法用您的密钥打开或与登记时的密钥承诺不符：请勿使用，请报告并运行 tipline-audit verify",
                                                 "the identity does not open with your key or does not match its key commitment: do not use it; report it and run tipline-audit verify"))
                }
                if json { try printJSON(identity.merging(["pseudonym": released.pseudonym]) { a, _ in a }); return }
                print(say("\(released.pseudonym)：信息员身份（已记入审计日志）", "\(released.pseudonym): identity (the opening is in the audit log)"))
                for field in InformantCommand.identityFields where identity[field.key] != nil {
                    print("  \(say(field.zh, field.key)): \(TerminalText.clean(identity[field.key]!))")
                }
            }
        }
    }
}

extension InformantCommand {
    /// The district to register in: `given`, else the caller's own district office's.
    static func district(session: AdminSession, given: String?) async throws -> (district: String, office: String) {
        let me = try await session.whoami()
        let units = try await session.call(.units, as: [UnitSummary].self).map(\.unit)
        let office = given.flatMap { d in units.first { $0.kind == .districtOffice && $0.centre?.rawValue == d } }
            ?? units.first { $0.id == me.unit && $0.kind == .districtOffice }
        guard let office, let centre = office.centre else {
            throw CLIError.input(say("请用 --district 指定区县", "name the district with --district"))
        }
        return (centre.rawValue, office.id)
    }
}

extension InformantCommand.Add {
    /// The two keys the identity is sealed to, from the pinned keys.json: the district office's registry
    /// key and the city's identity key.
    fileprivate func identityRecipients(session: AdminSession, district: String, office: String) async throws -> [X25519PublicKey] {
        let manifest = try await session.publicKeys()
        guard let registry = try manifest.unitKey(office, registry: true) else {
            throw CLIError.refused(say("keys.json 中没有 \(office) 的登记密钥", "keys.json has no registry key for \(office)"))
        }
        // The city centre by the deployment's policies when they are at hand; keys.json lists it first (init's order).
        let city = (try? connection.place.open().policies.centres.city.id) ?? manifest.centres.first.map { CentreID($0.centre) }
        guard let city, let identity = try manifest.centreKey(city, .identity) else {
            throw CLIError.refused(say("keys.json 中没有市中心的身份密钥", "keys.json has no city identity key"))
        }
        return [registry, identity]
    }
}
