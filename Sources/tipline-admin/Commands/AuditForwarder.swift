import AdminClient
import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `tipline-admin audit …` runs `tipline-audit …` (installed beside tipline-admin), as `git foo`
/// runs `git-foo`: the auditor's commands read databases, and the staff CLI links no storage.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "审计：仅凭数据证明身份信息的处理 / Prove from the data alone how identities were handled (runs tipline-audit; no private key needed).",
        discussion: "Subcommands: verify, scan, canary, export, checkpoint, verify-ledger. `tipline-audit --help` lists them.")

    @Argument(parsing: .captureForPassthrough, help: "The tipline-audit subcommand and its arguments.")
    var arguments: [String] = []

    func run() async throws {
        try await reportingErrors { try AuditTool.exec(arguments) }
    }
}

/// Finding and running the auditor's tool.
enum AuditTool {
    /// Replaces this process with `tipline-audit ARGUMENTS` (exit code and output are the tool's).
    static func exec(_ arguments: [String]) throws -> Never {
        let path = try location()
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        execv(path, argv)
        throw CLIError.io("cannot run \(path): \(String(cString: strerror(errno)))")
    }

    /// `tipline-audit` beside the running executable (symlinks resolved), else on PATH.
    static func location() throws -> String {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        let beside = URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent("tipline-audit").path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(directory)/tipline-audit"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw CLIError.notFound("未找到审计工具 tipline-audit（应与 tipline-admin 在同一目录）/ tipline-audit not found beside tipline-admin or on PATH")
    }
}
