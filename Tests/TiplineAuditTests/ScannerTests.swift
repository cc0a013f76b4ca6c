import Foundation
import Testing
@testable import TiplineAudit
import TiplineCore

@Suite("Scan: canaries and personal-data patterns in raw bytes")
struct ScannerTests {
    func kinds(_ text: String, canaries: [String] = []) -> [String] {
        DataScanner(canaries: canaries).scan(bytes: Array(text.utf8)).map(\.kind)
    }

    @Test("Resident ID check characters (ISO 7064 MOD 11-2)")
    func residentID() {
        #expect(ResidentIDNumber.isValid(Array("11010519491231002X".utf8)))
        #expect(ResidentIDNumber.isValid(Array("11010519491231002x".utf8)))
        #expect(!ResidentIDNumber.isValid(Array("110105194912310021".utf8)))
        #expect(ResidentIDNumber.checkCharacter(Array("52010219850101123".utf8)) != nil)
    }

    @Test("Standalone mobile numbers, ID numbers and e-mail addresses are found; hex, base64 and longer numbers are not")
    func patterns() {
        #expect(kinds("tel: 13812345678.") == ["mobile-number"])
        #expect(kinds("电话13812345678，") == ["mobile-number"])
        #expect(kinds("12812345678 138123456789 a13812345678 13812345678f").isEmpty)
        #expect(kinds("id 11010519491231002X end") == ["resident-id"])
        #expect(kinds("id 110105194912310021 end").isEmpty)
        #expect(kinds("mail zhang.san@example.com.") == ["email"])
        #expect(kinds("a@b.c x@@y ab@cd.e1").isEmpty)
        #expect(kinds("7a3f13812345678e9c0d 1780000000123").isEmpty)
        #expect(kinds("-zhang.san.@example.com +li@example.cn") == ["email"])
    }

    @Test("A tip_field row's header bytes before its field name are not an e-mail address (seen in a 10^6-tip store)")
    func fieldRowHeader() {
        // SQLite record: header (size 5; int16, text 13, text 8, blob 43), tip id 0x2b40, "reporter.name", "identity", blob.
        for idBytes: [UInt8] in [[0x2B, 0x40], [0x62, 0x40], [0x31, 0x32, 0x40]] {
            let row: [UInt8] = [0x05, 0x02, 0x27, 0x1D, 0x62] + idBytes + Array("reporter.nameidentity".utf8) + [0x01, 0x5D, 0x03]
            #expect(DataScanner(canaries: []).scan(bytes: row).isEmpty)
        }
        // A real address in a reporter.* domain lookalike still counts when it is not the field name itself.
        #expect(kinds("x wang.wu@reporter.example.com y") == ["email"])
    }

    @Test("Random ciphertext bytes that look like user@host.tld are not e-mail addresses; real top-level domains in any case are")
    func topLevelDomains() {
        // Three byte runs found in the sealed fields of a 10^6-tip store (with their binary neighbours).
        let seen: [[UInt8]] = [[0x81, 0x4F, 0x5F, 0x35, 0x40, 0x57, 0x59, 0x2E, 0x4A, 0x46, 0x72, 0x9F],
                               [0xCB, 0x4C, 0x52, 0x2B, 0x4B, 0x2B, 0x4A, 0x32, 0x40, 0x34, 0x73, 0x2E, 0x4B, 0x78, 0xE9],
                               [0x56, 0x59, 0x56, 0x40, 0x30, 0x59, 0x74, 0x2E, 0x4B, 0x67, 0xAF]]
        for bytes in seen { #expect(DataScanner(canaries: []).scan(bytes: bytes).isEmpty) }
        #expect(kinds("wang@QQ.COM 12345@qq.com li_si@mail.example.xyz") == ["email", "email", "email"])
        #expect(kinds("a.b@example.zzz ab@cd.photography").isEmpty)
    }

    @Test("Canaries in UTF-8, UTF-16LE and UTF-16BE, with their offsets")
    func canaries() {
        let canary = "举报人张三X"
        var bytes = Array(repeating: UInt8(0x20), count: 10) + Array(canary.utf8)
        let le = bytes.count + 3
        bytes += [0, 0, 0] + Array(canary.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let be = bytes.count + 5
        bytes += [0, 0, 0, 0, 0] + Array(canary.utf16).flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        let hits = DataScanner(canaries: [canary], personalData: false).scan(bytes: bytes)
        #expect(hits.map(\.kind) == ["canary/utf-8", "canary/utf-16le", "canary/utf-16be"])
        #expect(hits.map(\.offset) == [10, Int64(le), Int64(be)])
    }

    @Test("A match across a chunk boundary is found exactly once, wherever the boundary falls")
    func boundaries() {
        let canary = "boundary-canary-0123456789"
        let phone = "13912345678"
        for shift in 0..<40 {
            let prefix = String(repeating: "#", count: 4096 - 20 + shift)
            let text = prefix + canary + " " + phone + " " + "li.si@example.cn" + "\n"
            let hits = DataScanner(canaries: [canary], chunkSize: 4096).scan(bytes: Array(text.utf8))
            #expect(hits.map(\.kind) == ["canary/utf-8", "mobile-number", "email"], "shift \(shift)")
            #expect(hits.first?.offset == Int64(prefix.utf8.count))
        }
    }

    @Test("Details JSON: flat objects of strings only, escapes decoded")
    func flatJSON() {
        #expect(FlatJSON.parse(#"{"a":"1","b":"x\"y\u00e9\n"}"#) == ["a": "1", "b": "x\"yé\n"])
        #expect(FlatJSON.parse("{}") == [:])
        #expect(FlatJSON.parse(#"{"a":1}"#) == nil)
        #expect(FlatJSON.parse(#"{"a":"1","a":"2"}"#) == nil)
        #expect(FlatJSON.parse(#"{"a":"1"} x"#) == nil)
    }
}
