import AdminClient
import ArgumentParser
import Foundation
import TiplineAdminAPI
import TiplineCore
import TiplineDeployment

/// `tipline-admin metrics pull`: the signing sidecar that lets Prometheus read `/metrics`
/// (issue 11, item 9). The admin listener answers `/metrics` only to a signed request of an auditor
/// or administrator, which a Prometheus scraper cannot make. This command makes it with the
/// auditor's key and writes the answer for node_exporter's textfile collector, so no unsigned path
/// and no second listener are opened anywhere (docs/DEPLOY.md "Monitoring").
struct MetricsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics", abstract: "运行指标（签名读取，供 Prometheus 使用）/ Read the server's metrics with a signed request, for Prometheus.",
        subcommands: [Pull.self])

    /// The largest metrics answer accepted (the server's is a few kilobytes).
    static let maxBytes = 4 << 20

    struct Pull: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pull", abstract: "签名读取 /metrics 并写入文件 / Fetch /metrics with a signed request and write it to a file.",
            discussion: """
                Run as an auditor (or administrator) on the monitoring host. With --out, the answer replaces FILE atomically \
                (a temporary file in the same directory, then rename; mode 0644), which is what node_exporter's textfile \
                collector reads (the name must end in .prom). With --every, it pulls again every N seconds until stopped; a \
                failed pull is reported on stderr and the file keeps its last good contents (alert on \
                node_textfile_mtime_seconds). The metrics carry no identity, content, address or receipt.
                """)
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "Write here (atomically) instead of printing; node_exporter's textfile collector wants a name ending in .prom.") var out: String?
        @Option(help: "Pull again every N seconds (5 to 3600) until stopped.") var every: Int?
        @Option(help: "Stop after this many pulls (for scripts and tests).") var count: Int?

        func run() async throws {
            try await reportingErrors {
                if let every, !(5...3600).contains(every) { throw CLIError.input(say("--every 须在 5 到 3600 秒之间", "--every must be 5 to 3600 seconds")) }
                if let count, count < 1 { throw CLIError.input(say("--count 至少为 1", "--count must be at least 1")) }
                if let out, out.isEmpty || out.hasSuffix("/") { throw CLIError.input(say("--out 须是文件名", "--out must name a file")) }
                let session = try connection.session()
                var pulls = 0
                while true {
                    pulls += 1
                    do {
                        let text = try await MetricsCommand.fetch(session)
                        if let out { try MetricsCommand.replace(URL(fileURLWithPath: out), with: text) } else { print(text, terminator: "") }
                    } catch let error as CLIError {
                        // Refusals (a revoked or wrong key) will not mend themselves: stop. Anything else: try again.
                        if case .refused = error { throw error }
                        guard every != nil else { throw error }
                        FileHandle.standardError.write(Data(say("读取失败：\(error)\n", "pull failed: \(error)\n").utf8))
                    }
                    if let count, pulls >= count { return }
                    guard let every else { return }
                    try await Task.sleep(for: .seconds(every))
                }
            }
        }
    }

    /// A signed GET of `/metrics`, checked to be Prometheus text of bounded size.
    static func fetch(_ session: AdminSession) async throws -> String {
        let data = try await session.send(.GET, AdminListenerPath.metrics, body: Optional<String>.none)
        guard data.count <= maxBytes, let text = String(data: data, encoding: .utf8), text.isEmpty || text.hasSuffix("\n") else {
            throw CLIError.io(say("服务器的指标应答无法识别", "unexpected metrics answer from the server"))
        }
        return text
    }

    /// Replaces `file` with `text` atomically (`SecureFile.replace`, 0644), so a reader never sees half a file.
    static func replace(_ file: URL, with text: String) throws {
        do {
            try SecureFile.replace(file, bytes: Array(text.utf8), mode: 0o644)
        } catch {
            throw CLIError.io(say("无法替换 \(file.path)", "cannot replace \(file.path)"))
        }
    }
}
