import AdminClient
import ArgumentParser
import Foundation
import Sealing
import TiplineAdminAPI
import TiplineCore

extension TipsCommand {
    /// `tipline-admin tips record` (issue 15): a tip taken by phone, letter, visit or e-mail. The form
    /// is checked here with the public form's rules, the reporter's identity is sealed here to the
    /// identity keys of the centres the policies route it to (pinned keys.json), and the server checks,
    /// routes, seals the content and issues the receipt exactly as for a web tip. The receipt is printed
    /// once, to be read back to the reporter for the online follow-up; it is kept nowhere.
    struct Record: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "代录电话、来信、来访、电子邮件举报；身份在本机加密，回执只显示一次 / Record a tip taken by phone, letter, visit or e-mail; the identity is sealed here, the receipt shown once.",
            discussion: """
                受理员、主管使用。内容按网上举报表单的规则检查；举报人身份在本机加密给按策略分派的中心，服务器看不到明文。\
                回执只显示这一次：请读给举报人，让其在网上查询进展；不要记录。
                Triage and supervisors. The content is checked with the web form's rules; the reporter's identity \
                (--identity-file: a JSON object with name, phone, email, id_number, address, contact; else asked on \
                the terminal; --anonymous: none) is sealed on this machine to the centres the policies route the tip \
                to (needs the deployment's policies, --deployment, and pinned keys). The receipt is shown ONCE: read \
                it back to the reporter so they can follow up online; do not write it down.
                """)
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "phone (电话), letter (来信), visit (来访) or email (电子邮件).") var channel: String
        @Option(help: "The category id (categories.yaml).") var category: String
        @Option(help: "The district id, or 'unknown'.") var district: String
        @Option(help: "What the reporter said (or --description-file).") var description: String?
        @Option(name: .customLong("description-file"), help: "Read the description from this UTF-8 file (delete it afterwards).")
        var descriptionFile: String?
        @Option(help: "Where it happens (optional).") var place: String?
        @Option(help: "When it happened (optional): 2026-11-28, 2026-11-28 14:00 (China time), 11月28日 …") var time: String?
        @Option(name: .customLong("identity-file"), help: "Read the reporter's identity from this JSON file (delete it afterwards).")
        var identityFile: String?
        @Flag(help: "The reporter gives no identity.") var anonymous = false
        @Flag(name: .customLong("wants-reward"), help: "The reporter asks for a reward.") var wantsReward = false
        @Flag(help: "Machine-readable output (the receipt included: keep it off logs).") var json = false

        func run() async throws {
            try await reportingErrors {
                guard let channel = TipChannel(typed: channel), channel != .web else {
                    throw CLIError.input(say("--channel 应为 phone（电话）、letter（来信）、visit（来访）或 email（电子邮件）",
                                             "--channel must be phone, letter, visit or email"))
                }
                let text = try descriptionText()
                let reporter = try readIdentity()
                let form = TipSubmission(category: category, district: district, location: place, occurredAt: time,
                                         description: text, reporter: nil, wantsReward: wantsReward)
                let policies = try Self.policies(connection)
                // The public form's rules, here first (the server checks again): the content and the identity.
                var checked = form
                checked.reporter = reporter
                let tip: ValidatedTip
                do {
                    tip = try checked.validate(policies: policies)
                } catch let failure as ValidationFailure {
                    let lines = failure.errors.map { "  \($0.field): \($0.message)" }.joined(separator: "\n")
                    throw CLIError.input(say("举报内容不符合要求，未发送：\n\(lines)", "the tip is not valid; nothing was sent:\n\(lines)"))
                }
                let session = try connection.session()
                let identity = try await Self.sealedIdentity(of: tip, policies: policies, session: session)
                let reply = try await session.call(.recordTip, body: RecordTipBody(channel: channel, tip: .init(form: form), identity: identity),
                                                   as: RecordTipReply.self)
                if json {
                    try printJSON(reply)
                    return
                }
                let show = Presenter(policies: policies, staff: [])
                print(say("已代录\(channel.label(.zh))举报 \(reply.reference)，分派至 \(show.centre(reply.centre))，处理时限 \(show.time(reply.dueAt))",
                          "recorded \(channel.rawValue) tip \(reply.reference), routed to \(show.centre(reply.centre)), due \(show.time(reply.dueAt))"))
                print(say("回执号（只显示这一次，请读给举报人，用于网上查询进展；不要记录）：\(reply.receipt)",
                          "receipt (shown ONCE: read it back to the reporter for the online follow-up; do not write it down): \(reply.receipt)"))
            }
        }

        /// The tip's identity fields (none for an anonymous reporter) sealed here to the identity keys
        /// of the centres the policies route it to (pinned keys.json), bound to a fresh record id.
        static func sealedIdentity(of tip: ValidatedTip, policies: PolicySet, session: AdminSession) async throws -> Envelope {
            let manifest = try await session.publicKeys()
            var recipients: [X25519PublicKey] = []
            for centre in policies.intakeRouting(category: tip.category, district: tip.district).centres {
                guard let key = try manifest.centreKey(centre, .identity) else {
                    throw CLIError.input(say("公钥清单中没有中心 \(centre.rawValue) 的身份公钥", "keys.json has no identity key for \(centre.rawValue)"))
                }
                recipients.append(key)
            }
            var fields = tip.identityFields
            defer { for index in fields.indices { SecureWipe.wipe(&fields[index].value) } }
            return try EnvelopeCrypto.sealIdentity(recordID: Hex.encode(SecureRandom.bytes(16)), fields: fields, recipients: recipients)
        }

        /// The deployment's policies (`--deployment`), needed to route a tip here as the server will.
        static func policies(_ connection: ConnectionOptions) throws -> PolicySet {
            do {
                return try connection.place.open().policies
            } catch {
                throw CLIError.input(say("需要部署的策略文件来确定分派中心：请用 --deployment 指定部署目录（或其副本）",
                                         "the deployment's policies are needed to route the tip: pass --deployment DIR (or a copy)"))
            }
        }

        private func descriptionText() throws -> String? {
            guard let descriptionFile else { return description }
            guard description == nil else {
                throw CLIError.input(say("--description 与 --description-file 只能用一个", "give --description or --description-file, not both"))
            }
            guard let data = FileManager.default.contents(atPath: descriptionFile) else {
                throw CLIError.input(say("无法读取 \(descriptionFile)", "cannot read \(descriptionFile)"))
            }
            return String(decoding: data, as: UTF8.self)
        }

        /// The reporter's identity from `--identity-file` or the terminal; nil with `--anonymous` or nothing given.
        private func readIdentity() throws -> ReporterSubmission? {
            if anonymous {
                guard identityFile == nil else { throw CLIError.input(say("--anonymous 与 --identity-file 只能用一个", "give --anonymous or --identity-file, not both")) }
                return nil
            }
            var values: [String: String] = [:]
            if let identityFile {
                guard let data = FileManager.default.contents(atPath: identityFile),
                      let object = try? JSONSerialization.jsonObject(with: data) as? [String: String] else {
                    throw CLIError.input(say("\(identityFile) 不是 JSON 对象（字符串值）", "\(identityFile) is not a JSON object of strings"))
                }
                if let unknown = object.keys.first(where: { !ReporterSubmission.fieldNames.contains($0) }) {
                    throw CLIError.input(say("未知的身份字段 \(unknown)", "unknown identity field \(unknown)"))
                }
                values = object
            } else {
                let prompts = ["name": "姓名", "phone": "电话", "email": "电子邮件", "id_number": "身份证号", "address": "地址", "contact": "其他联系方式"]
                for name in ReporterSubmission.fieldNames {
                    FileHandle.standardError.write(Data(say("\(prompts[name] ?? name)（可空）：", "\(name) (optional): ").utf8))
                    guard let line = readLine() else { break }
                    values[name] = line
                }
            }
            values = values.filter { !$0.value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
            return values.isEmpty ? nil : ReporterSubmission(values: values)
        }
    }
}
