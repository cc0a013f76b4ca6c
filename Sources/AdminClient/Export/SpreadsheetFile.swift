package import Foundation
import ZIPFoundation

/// One table to export: a header row and rows of cells (`books export --xlsx`).
package struct Spreadsheet: Sendable, Equatable {
    package enum Cell: Sendable, Equatable {
        case text(String)
        case number(Int64)
    }

    /// The sheet's name (at most 31 characters; `[]:*?/\` are replaced).
    package var name: String
    package var header: [String]
    package var rows: [[Cell]]

    package init(name: String, header: [String], rows: [[Cell]]) {
        self.name = name
        self.header = header
        self.rows = rows
    }
}

/// Writes a `Spreadsheet` as an Office Open XML workbook (`.xlsx`, ECMA-376): a ZIP archive of XML parts
/// made with ZIPFoundation (no hand-written ZIP), one worksheet, inline strings, the header row bold.
/// Opens in Excel, WPS and LibreOffice.
package enum XLSXWriter {
    /// The workbook's bytes.
    package static func data(_ sheet: Spreadsheet) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, text) in parts(sheet) {
            let bytes = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(bytes.count), modificationDate: Date(timeIntervalSince1970: 1_577_836_800),
                                 compressionMethod: .deflate) { position, size in
                bytes.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        guard let data = archive.data else { throw CocoaError(.fileWriteUnknown) }
        return data
    }

    /// The workbook's parts by path, in the order written.
    static func parts(_ sheet: Spreadsheet) -> [(String, String)] {
        let header = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
        let contentTypes = header + """
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
            <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
            <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
            </Types>
            """
        let rootRels = header + """
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
            </Relationships>
            """
        let workbook = header + """
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
            <sheets><sheet name="\(escaped(sheetName(sheet.name)))" sheetId="1" r:id="rId1"/></sheets></workbook>
            """
        let workbookRels = header + """
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
            <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
            </Relationships>
            """
        let styles = header + """
            <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
            <fonts count="2"><font><sz val="11"/><name val="等线"/></font><font><b/><sz val="11"/><name val="等线"/></font></fonts>\
            <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
            <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
            <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
            <cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
            <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>\
            </styleSheet>
            """
        var rows = "<row r=\"1\">" + sheet.header.enumerated().map { column, text in
            "<c r=\"\(reference(column: column, row: 1))\" t=\"inlineStr\" s=\"1\"><is><t xml:space=\"preserve\">\(escaped(text))</t></is></c>"
        }.joined() + "</row>"
        for (index, row) in sheet.rows.enumerated() {
            let number = index + 2
            rows += "<row r=\"\(number)\">"
            for (column, cell) in row.enumerated() {
                let ref = reference(column: column, row: number)
                switch cell {
                case .number(let value): rows += "<c r=\"\(ref)\"><v>\(value)</v></c>"
                case .text(let text) where text.isEmpty: continue
                case .text(let text): rows += "<c r=\"\(ref)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(escaped(text))</t></is></c>"
                }
            }
            rows += "</row>"
        }
        let worksheet = header + """
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
            <sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>\
            <sheetData>\(rows)</sheetData></worksheet>
            """
        return [("[Content_Types].xml", contentTypes), ("_rels/.rels", rootRels), ("xl/workbook.xml", workbook),
                ("xl/_rels/workbook.xml.rels", workbookRels), ("xl/styles.xml", styles), ("xl/worksheets/sheet1.xml", worksheet)]
    }

    /// `A1`-style reference of a zero-based column and a one-based row.
    package static func reference(column: Int, row: Int) -> String {
        var name = ""
        var n = column + 1
        while n > 0 {
            let remainder = (n - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + remainder))) + name
            n = (n - 1) / 26
        }
        return "\(name)\(row)"
    }

    /// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
    static func sheetName(_ name: String) -> String {
        let cleaned = String(name.map { "[]:*?/\\".contains($0) ? "_" : $0 }.prefix(31))
        return cleaned.isEmpty ? "Sheet1" : cleaned
    }

    /// XML text: the five entities escaped, characters XML 1.0 cannot carry dropped.
    static func escaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let v = scalar.value
                if v < 0x20 || (0xFFFE...0xFFFF).contains(v) { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
