import AdminClient
import ArgumentParser
import Foundation
import TiplineAdminAPI
import TiplineCore

/// `tipline-admin watch`: a content-free line for each event that concerns you (issue 13, item 7).
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch", abstract: "接收通知：新举报、即将超时、待补身份包装、待批准奖励 / Print a line for each event that concerns you.",
        discussion: """
            Keeps a signed connection to the admin listener and prints one line per event: a new tip for your centre \
            (a major one at once, to the centre and the city, S-4.1), a tip re-routed to you, a tip about to be overdue, an \
            identity wrap waiting for you, a reward waiting for your approval. Nothing of a tip's content or identity is in an \
            event. --exec runs a command per event with TIPLINE_EVENT_KIND, TIPLINE_EVENT_REFERENCE, TIPLINE_EVENT_URGENCY \
            and TIPLINE_EVENT_CENTRE in its environment (e.g. a desktop notification or a sound). Reconnects by itself.
            """)
    @OptionGroup var connection: ConnectionOptions
    @Option(help: "A command to run for each event (through /bin/sh, with the event in its environment).") var exec: String?
    @Flag(help: "One JSON object per line.") var json = false
    @Option(help: "Stop after this many events (for scripts and tests).") var count: Int?

    func run() async throws {
        try await reportingErrors {
            let session = try connection.session()
            let show = try await Presenter.load(session, deployment: connection.deploymentRoot)
            var seen = 0
            var delay = 1
            FileHandle.standardError.write(Data(say("正在接收通知（Ctrl-C 结束）\n", "watching (Ctrl-C to stop)\n").utf8))
            while true {
                do {
                    try await session.stream(.events) { line in
                        guard line.hasPrefix("data: "), let event = try? JSONDecoder().decode(StaffEvent.self, from: Data(line.dropFirst(6).utf8)) else { return }
                        delay = 1
                        if json {
                            let encoder = JSONEncoder()
                            encoder.outputFormatting = .sortedKeys
                            print(String(decoding: try encoder.encode(EventLine(event)), as: UTF8.self))
                        } else {
                            print(Self.text(event, show))
                        }
                        fflush(nil)
                        if let exec { Self.run(exec, for: event) }
                        seen += 1
                        if let count, seen >= count { throw Stop() }
                    }
                } catch is Stop {
                    return
                } catch let error as CLIError {
                    if case .refused = error { throw error }
                    FileHandle.standardError.write(Data(say("连接中断，\(delay) 秒后重连：\(error)\n", "disconnected, reconnecting in \(delay) s: \(error)\n").utf8))
                }
                try await Task.sleep(for: .seconds(delay))
                delay = min(delay * 2, 60)
            }
        }
    }

    private struct Stop: Error {}

    /// `--json`: times in China time.
    struct EventLine: Encodable {
        let kind: String, reference: String, centre: String, at: String
        let urgency: String?, dueAt: String?
        enum CodingKeys: String, CodingKey { case kind, reference, centre, at, urgency, dueAt = "due_at" }
        init(_ event: StaffEvent) {
            kind = event.kind.rawValue
            reference = event.reference
            centre = event.centre
            at = ShownTime.json(event.at)
            urgency = event.urgency
            dueAt = event.dueAt.map(ShownTime.json)
        }
    }

    /// `2026-12-01 03:24 UTC+8  新举报 GY-2026-000002（重大，南明区中心）`.
    static func text(_ event: StaffEvent, _ show: Presenter) -> String {
        let urgency = event.urgency.flatMap(Urgency.init(rawValue:)).map(show.urgency)
        let centre = show.centre(event.centre)
        let what: String
        switch event.kind {
        case .newTip: what = say("新举报", "new tip")
        case .routedTip: what = say("转来的举报", "tip routed to you")
        case .dueSoon: what = say("即将超时", "due soon") + (event.dueAt.map { say("（时限 \(ShownTime.text($0))）", " (due \(ShownTime.text($0)))") } ?? "")
        case .identityWrapPending: what = say("待补身份包装（转至 \(centre)）", "identity wrap waiting (for \(centre))")
        case .rewardAwaitingApproval: what = say("奖励待批准", "reward awaiting approval")
        }
        let tail = [urgency, event.kind == .identityWrapPending ? nil : centre].compactMap { $0 }
        let suffix = tail.isEmpty ? "" : say("（\(tail.joined(separator: "，"))）", " (\(tail.joined(separator: ", ")))")
        return TerminalText.clean("\(ShownTime.text(event.at))  \(what) \(event.reference)\(suffix)")
    }

    /// Runs `--exec` for one event without waiting for it (its output goes where ours goes).
    static func run(_ command: String, for event: StaffEvent) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        var environment = ProcessInfo.processInfo.environment
        environment["TIPLINE_EVENT_KIND"] = event.kind.rawValue
        environment["TIPLINE_EVENT_REFERENCE"] = event.reference
        environment["TIPLINE_EVENT_CENTRE"] = event.centre
        environment["TIPLINE_EVENT_URGENCY"] = event.urgency ?? ""
        process.environment = environment
        try? process.run()
    }
}
