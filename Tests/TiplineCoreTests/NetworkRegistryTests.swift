import Foundation
import Sealing
import Testing
import TiplineAdminAPI
@testable import TiplineCore

/// Issue 14: the network's policy files, area codes, pseudonyms and the informant code.
@Suite("Network registry: units, areas, pseudonyms, informant codes")
struct NetworkRegistryTests {
    @Test("The shipped units: one city office, ten district offices each running its centre with a county code and prefix, the detachment running the city centre (S-2.0, S-2.3)")
    func shippedUnits() throws {
        let policies = try RepoPolicies.load()
        let units = policies.units
        #expect(units.cityOffice.id == "city-office")
        #expect(units.districtOffices.count == 10)
        for district in policies.centres.districts {
            let office = try #require(units.districtOffice(of: district.id))
            #expect(office.countyCode?.count == 6 && office.informantPrefix != nil)
        }
        #expect(units.runner(of: "city")?.kind == .detachment)
        let members = units.units.filter { $0.kind == .memberUnit }
        #expect(!members.isEmpty && members.allSatisfy { $0.example })
        let nanming = units.districtOffice(of: "nanming")
        #expect(nanming?.countyCode == "520102" && nanming?.informantPrefix == "NM")
    }

    @Test("The shipped townships: 146 NBS 2023 rows, every one in a district office's county (S-3.1)")
    func shippedAreas() throws {
        let policies = try RepoPolicies.load()
        #expect(policies.areas.count == 146)
        #expect(policies.areas.allSatisfy { $0.level == .township })
        #expect(policies.areas.filter { $0.countyCode == "520102" }.count == 23)
    }

    @Test("units.yaml errors name the file, line and key", arguments: [
        ("    informant_prefix: NM\n", "    informant_prefix: nm\n", "informant_prefix"),
        ("    county_code: \"520102\"\n", "    county_code: \"52010\"\n", "county_code"),
        ("  - id: detachment\n    kind: detachment\n    centre: city\n", "  - id: detachment\n    kind: detachment\n    centre: nowhere\n", "centre"),
    ])
    func unitErrors(old: String, new: String, key: String) throws {
        var texts = try RepoPolicies.texts()
        #expect(texts["units.yaml"]!.components(separatedBy: old).count >= 2, "fixture present: \(old)")
        texts["units.yaml"] = texts["units.yaml"]!.replacingOccurrences(of: old, with: new)
        do {
            _ = try PolicySet.parse(texts: texts)
            Issue.record("expected a PolicyError for \(key)")
        } catch {
            #expect(error.file == "units.yaml" && error.key.contains(key) && error.line != nil, "\(error)")
        }
    }

    @Test("A district centre with no district office is refused")
    func missingOffice() throws {
        var texts = try RepoPolicies.texts()
        texts["units.yaml"] = texts["units.yaml"]!.replacingOccurrences(of: "    centre: xiuwen\n", with: "")
        #expect(throws: PolicyError.self) { try PolicySet.parse(texts: texts) }
    }

    @Test("Area rows: code shape, level, parent and name are checked; any bad line refuses the whole file with its number")
    func areaRows() throws {
        let good = "code,level,parent,name_zh\n520102016001,community,520102016000,测试社区\n520102016000,township,520102,新华路街道\n"
        #expect(try AreaCSV.parse(good).count == 2)
        for (bad, line) in [
            ("code,level,parent,name_zh\n52010201600,township,520102,短\n", 2),
            ("code,level,parent,name_zh\n520102016000,village,520102,错级\n", 2),
            ("code,level,parent,name_zh\n520102016001,community,520102017000,错上级\n", 2),
            ("code,level,parent,name_zh\n520102016001,community,520102016000,一\n520102016001,community,520102016000,二\n", 3),
            ("520102016001,community,520102016000,无表头\n", 1),
            ("code,level,parent,name_zh\n520102016001,hamlet,520102016000,错\n", 2),
        ] {
            #expect(throws: AreaCSV.LineError.self) { try AreaCSV.parse(bad) }
            do { _ = try AreaCSV.parse(bad) } catch { #expect(error.line == line, "\(bad): \(error)") }
        }
    }

    @Test("Pseudonyms: district prefix and a four-digit serial; typed forms normalised")
    func pseudonyms() {
        #expect(Pseudonym(prefix: "NM", serial: 7).rawValue == "NM-0007")
        #expect(Pseudonym(prefix: "GSH", serial: 12345).rawValue == "GSH-12345")
        #expect(Pseudonym("nm－0007")?.rawValue == "NM-0007")
        #expect(Pseudonym("nm-7")?.rawValue == "NM-0007" && Pseudonym(" Nm－12 ")?.rawValue == "NM-0012")
        #expect(Pseudonym("NM-0") == nil && Pseudonym("../x") == nil && Pseudonym("13800001111") == nil && Pseudonym("NM-1234567") == nil)
    }

    @Test("Informant status rules: active ⇄ suspended, either → retired, retired is final")
    func statuses() {
        #expect(InformantStatus.active.allows(.suspended) && InformantStatus.suspended.allows(.active))
        #expect(InformantStatus.active.allows(.retired) && InformantStatus.suspended.allows(.retired))
        #expect(!InformantStatus.retired.allows(.active) && !InformantStatus.retired.allows(.suspended) && !InformantStatus.active.allows(.active))
    }

    @Test("The informant code opens the informant's own key; a wrong code, another record's uid or a changed byte does not")
    func informantCode() throws {
        let parameters = Scrypt.Parameters(n: 1 << 14, r: 8, p: 1)
        let uid = "inf-" + Hex.encode(SecureRandom.bytes(16))
        let (code, record) = try InformantCodeRecord.issue(uid: uid, parameters: parameters)
        #expect(code.digits.count == 16 && code.grouped.split(separator: " ").count == 4)
        #expect("\(code)" == "InformantCode(redacted)")
        let key = try #require(try record.openInformantKey(with: code, uid: uid))
        #expect(Hex.encode(key.publicKey.rawRepresentation) == record.publicKey)
        // Typed with spaces and full-width digits, the same code.
        let typed = try #require(InformantCode(normalizing: code.grouped.replacingOccurrences(of: "1", with: "１")))
        #expect(try record.openInformantKey(with: typed, uid: uid) != nil)
        let other = InformantCode.generate()
        #expect(try record.openInformantKey(with: other, uid: uid) == nil)
        #expect((try? record.openInformantKey(with: code, uid: "inf-" + String(repeating: "0", count: 32))) ?? nil == nil)
        #expect(InformantCode(normalizing: "1234") == nil && InformantCode(normalizing: "1234 5678 9012 345a") == nil)
        // The record never holds the code's digits.
        let json = String(decoding: try JSONEncoder().encode(record), as: UTF8.self)
        #expect(!json.contains(code.digits) && !json.contains(code.digits.prefix(6)))
    }
}
