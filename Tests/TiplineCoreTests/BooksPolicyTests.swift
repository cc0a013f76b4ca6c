import Foundation
import Sealing
import Testing
import TiplineAdminAPI
@testable import TiplineCore

/// Issue 16: `Policies/ledgers.yaml` (the seven ledgers of S-5.4) is validated at load with file, line and
/// key; a record's values are checked field by field before anything is sealed.
@Suite("Ledgers policy (ledgers.yaml) and record values")
struct BooksPolicyTests {
    private func parse(replacing old: String, with new: String) throws -> PolicyError? {
        var texts = try RepoPolicies.texts()
        let text = texts["ledgers.yaml"]!
        #expect(text.components(separatedBy: old).count == 2, "fixture must occur once: \(old)")
        texts["ledgers.yaml"] = text.replacingOccurrences(of: old, with: new)
        do {
            _ = try PolicySet.parse(texts: texts)
            return nil
        } catch {
            return error
        }
    }

    private func line(of needle: String) throws -> Int {
        let lines = try RepoPolicies.texts()["ledgers.yaml"]!.components(separatedBy: "\n")
        return (lines.firstIndex { $0.contains(needle) } ?? -1) + 1
    }

    @Test("The shipped file: the seven ledgers of S-5.4, the tip leads generated, names of individual operators sealed")
    func shipped() throws {
        let books = try RepoPolicies.load().ledgers
        #expect(books.ledgers.map(\.id) == ["venues", "inspections", "logistics", "supervised-cases", "tip-leads", "printing", "vendor-areas"])
        #expect(books.ledgers.map(\.nameZh) == ["出版物集中销售场所", "出版物市场检查", "出版物物流仓储企业", "督办案件", "举报线索", "印刷复制企业", "游商摊点主要分布区域"])
        let leads = try #require(books.ledger("tip-leads"))
        #expect(!leads.isWritable && leads.fields.isEmpty && leads.source == "tips")
        #expect(books.ledgers.filter(\.isWritable).count == 6)
        #expect(books.ledger("inspections")?.datedBy == "date" && books.ledger("supervised-cases")?.datedBy == "opened_on")
        #expect(books.ledger("venues")?.datedBy == nil, "a register")
        // Every sealed field is a text field, and only personal names of individual operators are sealed.
        let sealed = books.ledgers.flatMap { $0.fields.filter(\.sealed) }
        #expect(!sealed.isEmpty && sealed.allSatisfy { $0.type == .text && $0.nameZh.contains("个体经营者") })
        #expect(books.ledger(ofRecord: "jc-2026-000001")?.id == "inspections" && books.ledger(ofRecord: "GY-2026-000001") == nil)
        #expect(Set(books.ledgers.map(\.prefix)).count == 7)
    }

    @Test("A broken ledgers.yaml names file, line and key", arguments: [
        ("      - { id: officers, name_zh: 出动人次, name_en: Officers deployed, type: integer, required: true, min: 0, max: 100000 }",
         "      - { id: officers, name_zh: 出动人次, name_en: Officers deployed, type: number, required: true }", "ledgers[1].fields[4].type", "one of"),
        ("      - { id: date, name_zh: 检查日期, name_en: Date, type: date, required: true }",
         "      - { id: date, name_zh: 检查日期, name_en: Date, type: date, required: true, colour: red }", "ledgers[1].fields[0].colour", "unknown key"),
        ("    prefix: JC\n", "    prefix: CS\n", "ledgers[1].prefix", "duplicate"),
        ("    prefix: JC\n", "    prefix: GY\n", "ledgers[1].prefix", "GY"),
        ("    dated_by: date\n", "    dated_by: findings\n", "ledgers[1].dated_by", "date field"),
        ("      - { id: name, name_zh: 场所名称, name_en: Name, type: text, required: true, max_length: 100 }",
         "      - { id: name, name_zh: 场所名称, name_en: Name, type: integer, sealed: true }", "ledgers[0].fields[0].sealed", "only a text field"),
        ("      - { id: address, name_zh: 地址, name_en: Address, type: text }",
         "      - { id: address, name_zh: 地址, name_en: Address, type: text, max_length: 5000 }", "ledgers[0].fields[2].max_length", "between"),
        ("      - { id: stalls, name_zh: 摊位（店铺）数, name_en: Stalls, type: integer, min: 0, max: 100000 }",
         "      - { id: stalls, name_zh: 摊位（店铺）数, name_en: Stalls, type: integer, min: 10, max: 1 }", "ledgers[0].fields[7].min", "above max"),
        ("      - { id: address, name_zh: 地址, name_en: Address, type: text }",
         "      - { id: Address, name_zh: 地址, name_en: Address, type: text }", "ledgers[0].fields[2].id", "field ids"),
        ("    source: tips\n", "", "ledgers[4].source", "generated"),
        ("  - id: vendor-areas\n", "  - id: street-areas\n", "ledgers", "vendor-areas"),
        ("      - { id: place, name_zh: 检查场所（企业）, name_en: Place or firm, type: link, links: [venues, logistics, printing] }",
         "      - { id: place, name_zh: 检查场所（企业）, name_en: Place or firm, type: link, links: [venues, tip-leads] }", "ledgers[1].fields[1].links", "tip-leads"),
        ("      - { id: seized, name_zh: 收缴数量, name_en: Items seized, type: quantity, units: [册, 张, 盘, 件, 份, 箱, 台] }",
         "      - { id: seized, name_zh: 收缴数量, name_en: Items seized, type: quantity, units: [册, 册] }", "ledgers[1].fields[7].units", "different"),
    ])
    func broken(old: String, new: String, key: String, message: String) throws {
        let error = try #require(try parse(replacing: old, with: new))
        #expect(error.file == "ledgers.yaml" && error.key == key && error.message.contains(message), "\(error)")
        if key != "ledgers", !key.hasSuffix(".links") {
            let first = try line(of: "- id: venues")
            #expect(error.line != nil && error.line! >= first, "\(error)")
        }
    }

    @Test("A deployment without ledgers.yaml is told how to upgrade (keys add-units copies it)")
    func missingFile() throws {
        #expect(PolicySet.fileNames.contains("ledgers.yaml") && PolicySet.networkFileNames.contains("ledgers.yaml"))
        var texts = try RepoPolicies.texts()
        texts["ledgers.yaml"] = nil
        #expect(throws: PolicyError.self) { try PolicySet.parse(texts: texts) }
    }

    private func inspections() throws -> (Book, BooksPolicy) {
        let books = try RepoPolicies.load().ledgers
        return (try #require(books.ledger("inspections")), books)
    }

    private func refusal(_ typed: [String: String], book: String = "inspections") throws -> BookRecordError? {
        let books = try RepoPolicies.load().ledgers
        let ledger = try #require(books.ledger(book))
        // Through an untyped closure: a typed-throws catch here crashed the 6.3 compiler (SIL ownership).
        let check: () throws -> Void = { _ = try BookRecord.validate(typed, ledger: ledger, unit: "nanming-office", policy: books, counties: ["520102"]) }
        do {
            try check()
            return nil
        } catch {
            return error as? BookRecordError
        }
    }

    @Test("Values are normalised: enum by name, quantity with its unit, links as typed, empty optional values dropped")
    func normalised() throws {
        let books = try RepoPolicies.load().ledgers
        let venue = try BookRecord.validate(["name": " 花果园图书市场 ", "area_code": "520102016000", "venue_type": "图书市场", "risk_level": "High",
                                             "operator_person": "张三", "stalls": "040", "address": ""],
                                            ledger: try #require(books.ledger("venues")), unit: "nanming-office", policy: books, counties: ["520102"])
        #expect(venue.values == ["name": "花果园图书市场", "area_code": "520102016000", "venue_type": "book-market", "risk_level": "high", "stalls": "40"])
        #expect(venue.names == ["operator_person": "张三"], "the individual operator's name is kept apart")
        let venueNames = try venue.namesJSON()
        let venueContent = String(decoding: try venue.contentJSON(), as: UTF8.self)
        #expect(venueNames != nil && !venueContent.contains("张三"))
        let (ledger, _) = try inspections()
        let inspection = try BookRecord.validate(["date": "2026-11-30", "officers": "12", "places_checked": "3", "seized": "1200册",
                                                  "place": "cs-2026-000001", "follow_up": "2026-7"],
                                                 ledger: ledger, unit: "nanming-office", policy: books)
        #expect(inspection.values["seized"] == "1200 册" && inspection.values["place"] == "CS-2026-000001" && inspection.values["follow_up"] == "GY-2026-000007")
        let names = try inspection.namesJSON()
        #expect(inspection.recordDate(in: ledger) == "2026-11-30" && inspection.names.isEmpty && names == nil)
    }

    @Test("Refused values say which field and why, never the value", arguments: [
        (["date": "2026-11-30", "officers": "1", "places_checked": "1", "colour": "red"], "unknown field colour"),
        (["officers": "1", "places_checked": "1"], "missing required field date"),
        (["date": "2026-02-30", "officers": "1", "places_checked": "1"], "is a date"),
        (["date": "2026-11-30", "officers": "many", "places_checked": "1"], "whole number"),
        (["date": "2026-11-30", "officers": "100001", "places_checked": "1"], "at most 100000"),
        (["date": "2026-11-30", "officers": "1", "places_checked": "1", "seized": "12 斤"], "unit of measure"),
        (["date": "2026-11-30", "officers": "1", "places_checked": "1", "area_code": "52010"], "area code"),
        (["date": "2026-11-30", "officers": "1", "places_checked": "1", "area_code": "110101000000"], "lies in no district"),
        (["date": "2026-11-30", "officers": "1", "places_checked": "1", "place": "JC-2026-000001"], "names a record of"),
        (["date": "2026-11-30", "officers": "1", "places_checked": "1", "findings": String(repeating: "长", count: 1001)], "longer than 1000"),
        (["date": "2026-11-30", "officers": "1", "places_checked": "1", "findings": "第一行\n第二行"], "line break"),
    ])
    func refused(typed: [String: String], message: String) throws {
        let error = try #require(try refusal(typed))
        #expect(error.en.contains(message), "\(error)")
        #expect(!error.zh.isEmpty && error.field != nil)
        for value in typed.values where value.count > 3 { #expect(!error.description.contains(value), "the value is never quoted") }
    }

    @Test("An enum refusal lists the values; the tip-lead ledger takes no record")
    func enumsAndGenerated() throws {
        let error = try #require(try refusal(["name": "x", "area_code": "520102", "venue_type": "mall", "risk_level": "extreme"], book: "venues"))
        #expect(error.en.contains("low, medium, high") && error.zh.contains("低"))
        let generated = try #require(try refusal(["reference": "GY-2026-000001"], book: "tip-leads"))
        #expect(generated.en.contains("generated from the tips"))
    }

    @Test("Record ids: prefix, year and serial as typed; the envelope uid shape")
    func ids() {
        #expect(BookRecordID(" jc-2026-1 ") == nil, "six digits at least")
        #expect(BookRecordID("jc-2026-000012")?.description == "JC-2026-000012")
        #expect(BookRecordID("JC-1999-000001") == nil && BookRecordID("JC-2026-000000") == nil)
        let uid = BookRecord.newUID()
        #expect(BookRecord.isValidUID(uid) && !BookRecord.isValidUID("item-" + uid.dropFirst(5)) && !BookRecord.isValidUID(uid.uppercased()))
        #expect(ReportingPeriod("2026-Q1")?.firstDay == "2026-01-01" && ReportingPeriod("2026-Q1")?.lastDay == "2026-03-31")
        #expect(ReportingPeriod("2026-02")?.lastDay == "2026-02-28" && ReportingPeriod("2026")?.lastDay == "2026-12-31")
    }

    @Test("CSV fields: quoted when needed, formulas defused (one home for every CSV the tools write)")
    func csv() {
        #expect(CSVText.row(["a", "b,c", "say \"hi\"", "=SUM(A1)", "1200 册"]) == "a,\"b,c\",\"say \"\"hi\"\"\",'=SUM(A1),1200 册")
        #expect(CSVText.field("两行\n文字") == "\"两行\n文字\"")
    }

    @Test("A record body takes exactly its keys; names are an envelope or absent, never null")
    func recordBody() throws {
        #expect(RecordBody.allowedKeys == ["record_date", "envelope", "names", "keep_names", "base_version"])
        #expect(OpenRecordsBody.allowedKeys == ["unit", "period", "record", "versions", "limit", "after"])
        let envelope = try EnvelopeCrypto.sealMessage(recordID: BookRecord.newUID(), name: "record", value: Array("{}".utf8),
                                                      recipients: [X25519PrivateKey.generate().publicKey])
        let json = String(decoding: try JSONEncoder().encode(RecordBody(recordDate: "2026-11-30", envelope: envelope, names: nil)), as: UTF8.self)
        #expect(!json.contains("\"names\"") && !json.contains("base_version"), "absent, not null")
        let decoded = try RecordBody.decodeStrictly(from: Data(json.utf8))
        #expect(decoded.recordDate == "2026-11-30" && decoded.names == nil && !decoded.keepNames && decoded.envelope == envelope)
        let withNull = "{\"names\":null," + json.dropFirst()
        #expect(throws: (any Error).self) { try RecordBody.decodeStrictly(from: Data(withNull.utf8)) }
        let unknown = "{\"values\":{}," + json.dropFirst()
        #expect(throws: UnknownFieldError.self) { try RecordBody.decodeStrictly(from: Data(unknown.utf8)) }
    }
}
