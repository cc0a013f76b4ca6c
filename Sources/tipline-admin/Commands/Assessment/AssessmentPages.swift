import AdminClient
import Foundation
import TiplineAdminAPI
import TiplineCore

/// The assessment's CSV and printable pages (issue 17): the ranking with a chart, and the draft notice
/// (通报). Chinese, China time, no script and no external resource (`PrintableHTML`).
enum AssessmentPages {
    /// One line per unit in rank order: id, name, rank, total, then every criterion's points (blank where it does not apply).
    static func csv(_ reply: AssessmentReply) -> String {
        var lines = [CSVText.row(["unit", "name", "rank", "total"] + reply.criteria.map(\.id))]
        for unit in reply.units {
            let points = Dictionary(uniqueKeysWithValues: unit.scores.map { ($0.criterion, $0.points) })
            lines.append(CSVText.row([unit.unit, unit.nameZh, String(unit.rank), String(unit.total)] + reply.criteria.map { points[$0.id].map(String.init) ?? "" }))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    static func stateText(_ reply: AssessmentReply) -> String {
        reply.state == "frozen"
            ? "已冻结（\(ShownTime.text(iso: reply.asOf))，\(reply.frozenBy ?? "")），结果哈希 \(reply.resultsSHA256.prefix(16))…"
            : "草稿：按 \(ShownTime.text(iso: reply.asOf)) 的数据计算，尚未冻结"
    }

    /// The ranking table and a bar chart of totals (a negative total draws no bar).
    static func table(_ reply: AssessmentReply) -> String {
        let e = PrintableHTML.escaped
        let rows = reply.units.map { "<tr><td class=\"num\">\($0.rank)</td><td>\(e($0.nameZh))</td><td class=\"num\">\($0.total)</td></tr>" }.joined(separator: "\n")
        let chart = PrintableHTML.barChart(reply.units.map { (label: $0.nameZh, value: max(0, $0.total), text: "\($0.total) 分") }, label: "考核得分")
        return """
            <table><thead><tr><th>名次</th><th>单位</th><th>得分</th></tr></thead><tbody>
            \(rows)
            </tbody></table>
            \(chart)
            """
    }

    static func ranking(_ reply: AssessmentReply) -> String {
        let e = PrintableHTML.escaped
        return PrintableHTML.page(title: "\(reply.year) 年度信息工作考核排名", body: """
            <h1>\(reply.year) 年度“扫黄打非”信息工作考核排名</h1>
            <p class="meta">\(e(stateText(reply)))　生成时间：\(e(ShownTime.text(Int64(Date().timeIntervalSince1970))))</p>
            \(table(reply))
            """)
    }

    /// The draft notice: who is commended and criticised (assessment.yaml `notice`), the table and the chart.
    static func notice(_ reply: AssessmentReply, now: Int64) -> String {
        let e = PrintableHTML.escaped
        let names = Dictionary(uniqueKeysWithValues: reply.units.map { ($0.unit, $0.nameZh) })
        func list(_ ids: [String]) -> String { ids.isEmpty ? "无" : ids.map { e(names[$0] ?? $0) }.joined(separator: "、") }
        return PrintableHTML.page(title: "\(reply.year) 年度信息工作考核情况通报（草稿）", body: """
            <h1>关于 \(reply.year) 年度“扫黄打非”信息工作考核情况的通报</h1>
            <p style="text-align:center">（草稿）</p>
            <p>各区（市、县）“扫黄打非”办公室，市“扫黄打非”工作领导小组各成员单位：</p>
            <p>根据《关于进一步加强“扫黄打非”信息报送和举报工作的意见》关于信息工作年度考核、考核结果予以通报的要求，市“扫黄打非”办公室对各单位 \(reply.year) 年度信息工作进行了量化考核。现将考核情况通报如下。</p>
            <h2>一、表扬的单位</h2>
            <p>\(list(reply.commended))。</p>
            <h2>二、通报批评的单位</h2>
            <p>\(list(reply.criticised))。</p>
            <h2>三、考核得分及排名</h2>
            \(table(reply))
            <p class="meta">\(e(stateText(reply)))<br>生成时间：\(e(ShownTime.text(now)))</p>
            """)
    }
}
