import Foundation
import Testing
@testable import AdminClient
import ZIPFoundation

/// Issue 16: `books export --xlsx` writes an Office Open XML workbook through ZIPFoundation; read back
/// with the same library, its parts are there and its cells hold what was written, escaped.
@Suite("XLSX workbooks (books export --xlsx)")
struct SpreadsheetFileTests {
    @Test("A workbook opens as a ZIP with the OOXML parts; text, numbers and XML-special characters survive; control characters are dropped")
    func roundTrip() throws {
        let sheet = Spreadsheet(name: "出版物市场检查[2026/Q2]", header: ["编号", "出动人次", "说明"], rows: [
            [.text("JC-2026-000001"), .number(15), .text("<盗版> & \"教辅\" 'x'\u{01}")],
            [.text("JC-2026-000002"), .number(-3), .text("")],
        ])
        let data = try XLSXWriter.data(sheet)
        #expect(data.prefix(4) == Data([0x50, 0x4B, 0x03, 0x04]), "a ZIP local file header")
        let archive = try Archive(data: data, accessMode: .read)
        var parts: [String: String] = [:]
        for entry in archive {
            var bytes = Data()
            _ = try archive.extract(entry) { bytes.append($0) }
            parts[entry.path] = String(decoding: bytes, as: UTF8.self)
        }
        #expect(Set(parts.keys) == ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
                                     "xl/worksheets/sheet1.xml"])
        #expect(parts["xl/workbook.xml"]?.contains("name=\"出版物市场检查_2026_Q2_\"") == true, "a sheet name Excel accepts")
        let worksheet = try #require(parts["xl/worksheets/sheet1.xml"])
        #expect(worksheet.contains("<c r=\"A1\" t=\"inlineStr\" s=\"1\"><is><t xml:space=\"preserve\">编号</t></is></c>"))
        #expect(worksheet.contains("<c r=\"B2\"><v>15</v></c>") && worksheet.contains("<c r=\"B3\"><v>-3</v></c>"))
        #expect(worksheet.contains("&lt;盗版&gt; &amp; &quot;教辅&quot; &apos;x&apos;</t>"))
        #expect(!worksheet.contains("\u{01}") && !worksheet.contains("r=\"C3\""), "empty cells are left out")
    }

    @Test("Column references: A, Z, AA, AZ, BA, ZZ, AAA")
    func references() {
        #expect([0, 25, 26, 51, 52, 701, 702].map { XLSXWriter.reference(column: $0, row: 7) } == ["A7", "Z7", "AA7", "AZ7", "BA7", "ZZ7", "AAA7"])
    }
}
