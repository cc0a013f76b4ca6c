import AdminClient
import Foundation
import Sealing
import TiplineAdminAPI
import TiplineCore

/// What the `books` commands share: the policy, sealing and opening records, the tip-lead rows.
enum BooksText {
    /// The ledgers' definitions as the server loaded them (`Policies/ledgers.yaml`).
    static func policy(_ session: AdminSession) async throws -> BooksPolicy {
        try await session.call(.books, as: BooksPolicy.self)
    }

    static func ledger(_ book: String, in policy: BooksPolicy) throws -> Book {
        let typed = book.trimmingCharacters(in: .whitespaces).lowercased()
        guard let ledger = policy.ledger(typed) ?? policy.ledgers.first(where: { $0.nameZh == book || $0.prefix == book.uppercased() }) else {
            throw CLIError.input(say("没有台账 \(book.prefix(40))：\(policy.ledgers.map { "\($0.id)（\($0.nameZh)）" }.joined(separator: "、"))",
                                     "no ledger \(book.prefix(40)): \(policy.ledgers.map(\.id).joined(separator: ", "))"))
        }
        return ledger
    }

    /// The 6-digit codes of the city's districts and counties (where an area code may lie).
    static func counties(_ session: AdminSession) async throws -> Set<String> {
        Set(try await session.call(.units, as: [UnitSummary].self).compactMap(\.unit.countyCode))
    }

    /// `typed` checked against the ledger; a refusal is an input error and nothing is sent.
    static func validated(_ typed: [String: String], ledger: Book, unit: String, policy: BooksPolicy, counties: Set<String>) throws -> BookRecord {
        do {
            return try BookRecord.validate(typed, ledger: ledger, unit: unit, policy: policy, counties: counties.isEmpty ? nil : counties)
        } catch {
            throw CLIError.input(say("\(error.zh)。未发送任何内容。", "\(error.en). Nothing was sent."))
        }
    }

    /// Seals a record for its unit: the values to the unit's and the city office's content keys (from the
    /// pinned keys.json), the names to the city's identity key and a district office's registry key.
    static func seal(_ record: BookRecord, ledger: Book, session: AdminSession, connection: ConnectionOptions, keepNames: Bool = false,
                     baseVersion: Int? = nil) async throws -> RecordBody {
        let manifest = try await session.publicKeys()
        let units = try await session.call(.units, as: [UnitSummary].self).map(\.unit)
        guard let cityOffice = units.first(where: { $0.kind == .cityOffice }), let own = units.first(where: { $0.id == record.unit }) else {
            throw CLIError.io(say("服务器没有列出市办或本单位", "the server lists no city office or no unit of yours"))
        }
        let recipients = try Array(Set([record.unit, cityOffice.id])).sorted().map { id -> X25519PublicKey in
            guard let key = try manifest.unitKey(id) else {
                throw CLIError.refused(say("keys.json 中没有 \(id) 的内容密钥", "keys.json has no content key for \(id)"))
            }
            return key
        }
        var content = try record.contentJSON()
        defer { SecureWipe.wipe(&content) }
        let envelope = try EnvelopeCrypto.sealMessage(recordID: BookRecord.newUID(), name: "record", value: content, recipients: recipients)
        var names: Envelope?
        if var plain = try record.namesJSON() {
            defer { SecureWipe.wipe(&plain) }
            let city = (try? connection.place.open().policies.centres.city.id) ?? units.first { $0.kind == .detachment }?.centre
                ?? manifest.centres.first.map { CentreID($0.centre) }
            guard let city, let identity = try manifest.centreKey(city, .identity) else {
                throw CLIError.refused(say("keys.json 中没有市中心的身份密钥", "keys.json has no city identity key"))
            }
            var keys = [identity]
            if own.kind == .districtOffice {
                guard let registry = try manifest.unitKey(own.id, registry: true) else {
                    throw CLIError.refused(say("keys.json 中没有 \(own.id) 的登记密钥", "keys.json has no registry key for \(own.id)"))
                }
                keys.append(registry)
            }
            names = try EnvelopeCrypto.sealMessage(recordID: BookRecord.newUID(), name: "names", value: plain, recipients: keys)
        }
        return RecordBody(recordDate: record.recordDate(in: ledger), envelope: envelope, names: names, keepNames: keepNames, baseVersion: baseVersion)
    }

    /// Your unit's content key (the city office's for its staff): the agent's, `--content-key`, or holders/.
    static func contentKey(_ unit: String, session: AdminSession, connection: ConnectionOptions) async throws -> CentreKey {
        try await LocalCrypto.unitKey(unit, registry: false, session: session, explicit: connection.effective(connection.contentKey, .contentKey))
    }

    /// A record version and its opened values.
    struct Opened {
        let view: RecordVersionView
        let content: BookContent
    }

    /// Opens a version with `key` and checks it is the record it is listed as (its ledger, unit and date).
    static func open(_ view: RecordVersionView, ledger: Book, with key: CentreKey) throws -> BookContent {
        let opened = LocalCrypto.openEnvelope(view.envelope, field: "record", with: key, requireCommitment: true)
        if case .notForUs = opened {
            throw CLIError.refused(say("记录 \(view.record) 未加密给您单位的内容密钥", "record \(view.record) is not sealed to your unit's content key"))
        }
        guard case .opened(let plaintext) = opened, let content = try? JSONDecoder().decode(BookContent.self, from: Data(plaintext)),
              content.book == view.book, content.unit == view.unit, ledger.datedBy.map({ content.values[$0] }) ?? nil == view.recordDate else {
            throw CLIError.integrity(say("记录 \(view.record) 第 \(view.version) 版无法打开或与其登记信息不符：请报告并运行 tipline-audit verify",
                                         "record \(view.record) version \(view.version) does not open or does not match its listing: report it and run tipline-audit verify"))
        }
        return content
    }

    /// Releases and opens up to `limit` records of a ledger that the filter names, page by page
    /// (`OpenRecordsBody.maxLimit` at a time; each page one audited read).
    static func openRecords(_ ledger: Book, unit: String?, period: String?, limit: Int, session: AdminSession,
                            connection: ConnectionOptions) async throws -> [Opened] {
        let me = try await session.whoami()
        guard let own = me.unit else { throw CLIError.refused(say("您的密钥没有所属单位", "your key has no unit")) }
        let key = try await contentKey(own, session: session, connection: connection)
        var result: [Opened] = []
        var after: String?
        repeat {
            let size = min(OpenRecordsBody.maxLimit, limit - result.count)
            let page = try await session.call(.openRecords, ledger.id, body: OpenRecordsBody(unit: unit, period: period.flatMap(ReportingPeriod.init)?.text,
                                                                                             limit: size, after: after),
                                              as: [RecordVersionView].self)
            result += try page.map { Opened(view: $0, content: try open($0, ledger: ledger, with: key)) }
            after = page.count == size ? page.last?.record : nil
        } while after != nil && result.count < limit
        return result
    }

    /// The sealed names of individual operators of `views` (those that have some), opened here with the
    /// city's identity key (city identity holders) or the district's registry key (its handler); each
    /// record's opening is its own audited request, with the reason.
    static func names(of views: [RecordVersionView], reason: String?, session: AdminSession, connection: ConnectionOptions) async throws -> [String: [String: String]] {
        let sealed = views.filter(\.hasNames)
        guard sealed.count <= 50 else {
            throw CLIError.input(say("一次最多打开 50 条记录的姓名（本次 \(sealed.count) 条）：请缩小范围", "open the names of at most 50 records at once (\(sealed.count) here): narrow the list"))
        }
        var result: [String: [String: String]] = [:]
        for view in sealed {
            let byVersion = try await namesByVersion(of: view.record, reason: reason, session: session, connection: connection)
            result[view.record] = byVersion[view.version]
        }
        return result
    }

    /// Every version's opened names of one record.
    static func namesByVersion(of record: String, reason: String?, session: AdminSession, connection: ConnectionOptions) async throws -> [Int: [String: String]] {
        guard let reason, !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw CLIError.input(say("打开个体经营者姓名须说明理由：--reason …", "opening the names of individual operators needs --reason …"))
        }
        try ClearText.check([("--reason", reason)])
        let me = try await session.whoami()
        guard me.role == .handler || me.role == .identityHolder else {
            throw CLIError.refused(say("个体经营者姓名只能由所属区县办的信息员管理或市级身份保管人打开", "the names of individual operators are opened by the district office's handler or a city identity holder only"))
        }
        let key: CentreKey
        if me.role == .handler {
            guard let unit = me.unit else { throw CLIError.refused(say("您的密钥没有所属单位", "your key has no unit")) }
            key = try await LocalCrypto.unitKey(unit, registry: true, session: session, explicit: connection.effective(connection.identityKey, .identityKey))
        } else {
            key = try session.centreKey(.identity, centre: me.centre, explicit: connection.identityKey)
        }
        let reply = try await session.call(.recordNames, record, body: RecordNamesBody(reason: reason), as: RecordNamesReply.self)
        var result: [Int: [String: String]] = [:]
        for version in reply.versions {
            guard case .opened(let plaintext) = LocalCrypto.openEnvelope(version.names, field: "names", with: key, requireCommitment: true),
                  let names = try? JSONDecoder().decode(BookNames.self, from: Data(plaintext)) else {
                throw CLIError.integrity(say("姓名无法用您的密钥打开或与密钥承诺不符：请勿使用，请报告并运行 tipline-audit verify",
                                             "the names do not open with your key or do not match their key commitment: do not use them; report it"))
            }
            result[version.version] = names.values
        }
        return result
    }

    /// A value as staff read it: an enum by its name in their language.
    static func shown(_ value: String?, field: BookField) -> String {
        guard let value else { return "" }
        if field.type == .enumeration, let term = field.values.first(where: { $0.id == value }) {
            return UILanguage.current == .zh ? term.nameZh : term.nameEn
        }
        return value
    }

    static func text(_ cell: Spreadsheet.Cell) -> String {
        switch cell {
        case .text(let text): text
        case .number(let number): String(number)
        }
    }

    /// A record for `--json`: its metadata and values (names only when opened).
    struct JSONRecord: Encodable {
        let record: String
        let book: String
        let unit: String
        let version: Int
        let latest: Int
        let recordDate: String?
        let writtenAt: String
        let writtenBy: String
        let values: [String: String]
        let sealedNames: Bool
        let names: [String: String]?

        init(_ opened: Opened, names: [String: String]?) {
            record = opened.view.record
            book = opened.view.book
            unit = opened.view.unit
            version = opened.view.version
            latest = opened.view.latest
            recordDate = opened.view.recordDate
            writtenAt = opened.view.writtenAt
            writtenBy = opened.view.writtenBy
            values = opened.content.values
            sealedNames = opened.view.hasNames
            self.names = names
        }

        enum CodingKeys: String, CodingKey {
            case record, book, unit, version, latest, values, names
            case recordDate = "record_date", writtenAt = "written_at", writtenBy = "written_by", sealedNames = "sealed_names"
        }
    }

    /// One version's opened names for `--json` (identity holders, who open the names only).
    struct JSONNames: Encodable {
        let record: String
        let version: Int
        let names: [String: String]
    }

    // MARK: The tip-lead ledger

    /// Every tip-lead row of the period (page by page, `AdminPage.maxSize` at a time) up to `limit` rows.
    static func tipLeads(session: AdminSession, period: String?, limit: Int) async throws -> [TipLeadRow] {
        var rows: [TipLeadRow] = []
        var after: String?
        repeat {
            var query: [(name: String, value: String)] = [("limit", String(min(AdminPage.maxSize, limit - rows.count)))]
            if let period { query.append(("period", period)) }
            if let after { query.append(("after", after)) }
            let page = try await session.call(.tipLeads, query: query, as: [TipLeadRow].self)
            rows += page
            after = page.count == AdminPage.maxSize ? page.last?.reference : nil
        } while after != nil && rows.count < limit
        return rows
    }

    /// The tip-lead ledger as a sheet: the tips' public facts, never an identity.
    static func tipLeadSheet(_ rows: [TipLeadRow]) -> Spreadsheet {
        let language = UILanguage.current
        let header = [say("编号", "Reference"), say("受理时间", "Received"), say("来源渠道", "Channel"), say("类别", "Category"), say("区县", "District"),
                      say("举报中心", "Centre"), say("紧急程度", "Urgency"), say("状态", "Status"), say("处理结果", "Resolution"),
                      say("执法单位", "Enforcement unit"), say("查处结果", "Outcome"), say("罚没金额（分）", "Fines (fen)"), say("时效", "On time"),
                      say("奖励", "Reward")]
        return Spreadsheet(name: say("举报线索", "Tip leads"), header: header, rows: rows.map { row in
            [.text(row.reference), .text(ShownTime.text(iso: row.receivedAt)), .text(row.channel.label(language)), .text(row.category),
             .text(row.district), .text(row.centre), .text(row.urgency.label(language)), .text(row.status.label(language)),
             .text(row.resolution ?? ""), .text(row.enforcementUnit ?? ""), .text(row.outcome ?? ""), row.finesFen.map { .number($0) } ?? .text(""),
             .text(row.onTime.map { $0 ? say("按时", "on time") : say("超时", "late") } ?? ""),
             .text(row.reward == "voucher-issued" ? say("已发兑付码", "voucher issued") : row.reward == "requested" ? say("已申请", "requested") : say("未申请", "not requested"))]
        })
    }
}
