import Foundation
import TiplineCore

/// Printable A4 pages the CLI writes (reports, feedback sheets, bulletins): one self-contained HTML
/// file, print CSS, inline SVG charts, no script and no external resource.
enum PrintableHTML {
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// A whole page: `title` in the head, `body` as given (already escaped), A4 print styles.
    static func page(title: String, body: String, extraStyle: String = "") -> String {
        """
        <!DOCTYPE html>
        <html lang="zh-CN"><head><meta charset="utf-8"><title>\(escaped(title))</title>
        <style>
        @page { size: A4; margin: 20mm 18mm; }
        body { font-family: "Noto Serif CJK SC", "Songti SC", "SimSun", serif; font-size: 12pt; color: #000; max-width: 180mm; margin: 0 auto; }
        h1 { font-size: 18pt; text-align: center; } h2 { font-size: 14pt; } h3 { font-size: 12pt; margin: 10px 0 2px; }
        table { border-collapse: collapse; width: 100%; margin: 10px 0; } th, td { border: 1px solid #000; padding: 3px 6px; font-size: 10.5pt; }
        .meta { text-align: right; font-size: 10pt; } .num { text-align: right; }
        \(extraStyle)
        </style></head><body>
        \(body)
        </body></html>

        """
    }

    /// A horizontal bar chart: one bar per row, scaled to the largest value.
    static func barChart(_ rows: [(label: String, value: Int, text: String)], label: String) -> String {
        let barHeight = 20, gap = 6, labelWidth = 150, chartWidth = 380
        let top = max(1, rows.map(\.value).max() ?? 1)
        var bars = ""
        for (index, row) in rows.enumerated() {
            let y = gap + index * (barHeight + gap)
            bars += """
                <text x="0" y="\(y + 15)" font-size="12">\(escaped(row.label.count > 12 ? row.label.prefix(11) + "…" : row.label))</text>
                <rect x="\(labelWidth)" y="\(y)" width="\(chartWidth)" height="\(barHeight)" fill="#eee"/>
                <rect x="\(labelWidth)" y="\(y)" width="\(chartWidth * row.value / top)" height="\(barHeight)" fill="#b22222"/>
                <text x="\(labelWidth + chartWidth + 6)" y="\(y + 15)" font-size="12">\(escaped(row.text))</text>

                """
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(labelWidth + chartWidth + 80)" height="\(rows.count * (barHeight + gap) + gap)" role="img" aria-label="\(escaped(label))">
            \(bars)</svg>
            """
    }

    /// A CSV line (the one home of quoting: `CSVText`).
    static func csvLine(_ fields: [String]) -> String { CSVText.row(fields) + "\n" }
}
