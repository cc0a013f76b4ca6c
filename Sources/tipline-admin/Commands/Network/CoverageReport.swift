import AdminClient
import Foundation
import TiplineAdminAPI
import TiplineCore

/// The coverage report's CSV and printable HTML (inline SVG bar chart, no external resource). No
/// name appears: districts, area codes and counts only.
enum CoverageReport {
    static func csv(_ reply: CoverageReply) -> String {
        var out = "district,unit,areas,covered,percent,townships,townships_covered,communities,communities_covered,villages,villages_covered,active_informants,uncovered_codes\n"
        for d in reply.districts {
            let levels = d.levels.flatMap { [String($0.areas), String($0.covered)] }
            out += CSVText.row([d.district, d.unit, String(d.areas), String(d.covered), "\(d.permille / 10).\(d.permille % 10)"] + levels
                               + [String(d.activeInformants), d.uncovered.map(\.code).joined(separator: " ")]) + "\n"
        }
        return out
    }

    static func escaped(_ text: String) -> String { PrintableHTML.escaped(text) }

    static func html(_ reply: CoverageReply, now: Int64 = Int64(Date().timeIntervalSince1970)) -> String {
        let barHeight = 22, gap = 8, labelWidth = 120, chartWidth = 420
        let height = reply.districts.count * (barHeight + gap) + gap
        var bars = ""
        for (index, d) in reply.districts.enumerated() {
            let y = gap + index * (barHeight + gap)
            let width = chartWidth * d.permille / 1000
            bars += """
                <text x="0" y="\(y + 16)" font-size="13">\(escaped(d.nameZh))</text>
                <rect x="\(labelWidth)" y="\(y)" width="\(chartWidth)" height="\(barHeight)" fill="#eee"/>
                <rect x="\(labelWidth)" y="\(y)" width="\(width)" height="\(barHeight)" fill="#b22222"/>
                <text x="\(labelWidth + chartWidth + 6)" y="\(y + 16)" font-size="13">\(escaped(d.percentText))</text>

                """
        }
        var rows = ""
        for d in reply.districts {
            let levels = d.levels.map { "<td>\($0.covered)/\($0.areas)</td>" }.joined()
            let roles = d.bySourceRole.sorted { $0.key < $1.key }.map {
                "\(escaped(InformantSourceRole(rawValue: $0.key)?.label(.zh) ?? $0.key)) \($0.value)"
            }.joined(separator: "、")
            rows += "<tr><td>\(escaped(d.nameZh))</td>\(levels)<td>\(d.covered)/\(d.areas)</td><td>\(escaped(d.percentText))</td><td>\(d.activeInformants)</td><td>\(roles)</td></tr>\n"
        }
        var uncovered = ""
        for d in reply.districts where !d.uncovered.isEmpty {
            uncovered += "<h3>\(escaped(d.nameZh))（\(escaped(d.district))，\(d.uncovered.count)）</h3><p class=\"codes\">"
                + d.uncovered.map { "\(escaped($0.code)) \(escaped($0.nameZh))" }.joined(separator: "；") + "</p>\n"
        }
        return """
            <!DOCTYPE html>
            <html lang="zh-CN"><head><meta charset="utf-8"><title>信息员覆盖情况</title>
            <style>
            @page { size: A4; margin: 18mm; }
            body { font-family: "Noto Serif CJK SC", "Songti SC", serif; font-size: 12pt; color: #000; }
            h1 { font-size: 18pt; text-align: center; } h3 { font-size: 12pt; margin: 10px 0 2px; }
            table { border-collapse: collapse; width: 100%; margin: 10px 0; } th, td { border: 1px solid #000; padding: 3px 6px; font-size: 10.5pt; }
            .codes { font-size: 9.5pt; } .meta { text-align: right; font-size: 10pt; }
            </style></head><body>
            <h1>信息员队伍覆盖情况（乡镇、村〔社区〕）</h1>
            <p class="meta">生成时间：\(escaped(ShownTime.text(now)))</p>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(labelWidth + chartWidth + 70)" height="\(height)" role="img" aria-label="覆盖率">
            \(bars)</svg>
            <table><thead><tr><th>区县</th><th>乡镇（街道）</th><th>社区</th><th>村</th><th>合计</th><th>覆盖率</th><th>在用信息员</th><th>来源</th></tr></thead>
            <tbody>
            \(rows)</tbody></table>
            <h2>未覆盖的区域</h2>
            \(uncovered)
            </body></html>

            """
    }
}
