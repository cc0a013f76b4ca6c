import AdminClient
import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import TiplineAdminAPI
import TiplineAudit
import TiplineCore
import TiplineDeployment

/// The auditor's commands (`tipline-audit …`, or `tipline-admin audit …`). None writes to the deployment, and none but
/// `checkpoint pull` and the marking step of `canary` (signed requests through the server) needs a private key
/// (docs/AUDIT.md). Exit 0 when everything passed, 1 when a check failed or a scan hit.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "审计：仅凭数据证明身份信息的处理 / Prove from the data alone how identities were handled (no private key needed).",
        subcommands: [Verify.self, Log.self, Scan.self, Canary.self, Export.self, Checkpoint.self])

    /// `--deployment DIR` and `--data FILE…`, shared by verify and export.
    struct SourceOptions: ParsableArguments {
        @OptionGroup var place: DeploymentOptions

        @Option(name: .long, parsing: .upToNextOption,
                help: "Data files to read instead of the deployment's data/: the SQLite database and/or the checkpoint file.")
        var data: [String] = []

        @Option(name: .long, help: "Your own copy of the checkpoints (`audit checkpoint pull`), checked instead of data/checkpoints.log.")
        var checkpoints: String?

        var root: URL { place.root }

        func sources() throws -> AuditSources {
            do {
                var sources = try AuditSources.deployment(at: root, dataFiles: data.map { URL(fileURLWithPath: $0) })
                if let checkpoints {
                    guard FileManager.default.fileExists(atPath: checkpoints) else { throw CLIError.input("no checkpoint file at \(checkpoints)") }
                    sources.checkpointLog = URL(fileURLWithPath: checkpoints)
                }
                return sources
            } catch let error as CLIError {
                throw error
            } catch {
                throw CLIError.input("\(error)")
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "核验审计链、签名、权限、密封与检查点 / Verify the audit chain, signatures, authority, envelopes and checkpoints.",
            discussion: "Reads the database read-only. Exit 0 only when every check passes, 1 when one fails.")

        @OptionGroup var source: SourceOptions
        @Flag(help: "Machine-readable report.") var json = false
        @Flag(help: "No progress lines on standard error.") var quiet = false

        func run() async throws {
            try await reportingErrors {
                let verifier = AuditVerifier(sources: try source.sources())
                let quiet = self.quiet
                let report: AuditReport
                do {
                    report = try verifier.verify { done, total in
                        if !quiet { progressLine("audit verify: \(done)/\(total) entries") }
                    }
                } catch {
                    throw CLIError.io("\(error)")
                }
                if json {
                    try printJSON(report)
                } else {
                    let zh: [AuditCheckName: String] = [.chain: "哈希链", .signatures: "签名", .authority: "权限", .envelopes: "密封与记录",
                                                        .checkpoints: "检查点", .ledger: "奖励账簿"]
                    printTable([say("检查", "CHECK"), say("已检", "CHECKED"), say("失败", "FAILED"), say("结果", "RESULT"), say("首个失败", "FIRST FAILURE")],
                               report.checks.map {
                        [say(zh[$0.name].map { "\($0)" } ?? $0.name.rawValue, $0.name.rawValue), String($0.checked), String($0.failures),
                         $0.passed ? say("通过", "pass") : say("失败", "FAIL"), $0.first?.text ?? ""]
                    })
                    print("")
                    print(say("\(report.entries) 条记录，\(report.tips) 件举报，链头 #\(report.headSeq) \(report.headHash.prefix(16))…，",
                              "\(report.entries) entries, \(report.tips) tips, head #\(report.headSeq) \(report.headHash.prefix(16))…, ")
                          + String(format: "%.1f s", report.seconds))
                    for note in report.notes { print(TerminalText.clean(say("注：", "note: ") + note)) }
                    print(report.passed ? say("audit verify：全部检查通过", "audit verify: all checks passed")
                                        : say("audit verify：未通过（", "audit verify: FAILED (") + report.failedChecks.map(\.rawValue).joined(separator: ", ") + say("）", ")"))
                }
                if !report.passed { throw ExitCode(1) }
            }
        }
    }

    struct Scan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "扫描 data/ 下每个文件中的探针与明文个人信息 / Scan every file under data/ for canaries and for personal data in clear.",
            discussion: """
                Canaries are searched in UTF-8, UTF-16LE and UTF-16BE; the patterns are mainland mobile numbers, \
                resident ID numbers with a valid check digit and e-mail addresses. A pattern hit is shown by kind, \
                file and offset only. Exit 1 on any hit.
                """)

        @OptionGroup var options: DeploymentOptions
        @Option(name: .long, parsing: .upToNextOption, help: "A value to search for (yours: it is printed when found).")
        var canary: [String] = []
        @Option(name: .customLong("canary-file"), help: "A file with one canary per line.")
        var canaryFile: String?
        @Flag(name: .customLong("canaries-only"), help: "Search for the canaries only, not the personal-data patterns.")
        var canariesOnly = false
        @Flag(help: "Machine-readable report.") var json = false

        func run() async throws {
            try await reportingErrors {
                var canaries = canary
                if let canaryFile {
                    guard let text = try? String(contentsOfFile: canaryFile, encoding: .utf8) else {
                        throw CLIError.input("cannot read \(canaryFile)")
                    }
                    canaries += text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }
                }
                let report = try scanData(root: options.root, canaries: canaries, personalData: !canariesOnly, json: json)
                if !report.clean { throw ExitCode(1) }
            }
        }
    }

    struct Canary: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "提交探针举报、扫描数据，并标记为探针 / Submit a tip with fresh canary identity values through the public API, scan the data for them, then mark the tip as your canary.",
            discussion: """
                The scan needs no private key: the everyday proof that the running system seals identities. Exit 1 on any hit \
                (nothing is marked). After a clean scan, with your auditor key (--key, the profile's or the key agent's), a signed \
                POST tips/{ref}/canary proves with the tip's receipt that you planted it: the tip leaves the queues and statistics \
                (audit entry tip.canary). Without a key the tip is not marked (it stays in the queues; this is said).
                """)

        @Option(name: .customLong("public-server"), help: "The public listener, e.g. https://127.0.0.1:8443 (default: the deployment's).")
        var publicServer: String?
        /// `--deployment`, and for the marking `--server` (the admin API), `--ca`, `--key` (your auditor key).
        @OptionGroup var connection: ConnectionOptions
        @Flag(help: "Machine-readable report.") var json = false

        func run() async throws {
            try await reportingErrors {
                let deployment = try connection.place.open()
                let base = publicServer ?? "https://\(deployment.config.bindHost):\(deployment.config.publicPort)"
                let identity = CanaryIdentity.generate()
                let (reference, receipt) = try await submit(identity, to: base, deployment: deployment)
                // Messages go to standard error with --json (standard output is the scan report).
                func tell(_ text: String) { json ? progressLine(text) : print(text) }
                if !json {
                    print(say("已提交探针举报 \(reference)（标记 \(identity.token)）；正在扫描 \(deployment.layout.dataDir.path)",
                              "canary tip \(reference) submitted (token \(identity.token)); scanning \(deployment.layout.dataDir.path)"))
                }
                let report = try scanData(root: connection.deploymentRoot, canaries: identity.canaries, personalData: true, json: json)
                if !report.clean {
                    tell(say("扫描有命中：探针举报 \(reference) 未标记", "the scan found hits: canary tip \(reference) was not marked"))
                    throw ExitCode(1)
                }
                guard AdminSession.hasStaffKey(connection) else {
                    tell(say("未提供审计员密钥（--key）：探针举报 \(reference) 未标记，仍在队列和统计中",
                             "no auditor key (--key): canary tip \(reference) was not marked and stays in the queues and statistics"))
                    return
                }
                let reply: CanaryReply
                do {
                    let session = try connection.session()
                    reply = try await session.call(.markCanary, reference, body: CanaryBody(receipt: .init(digits: receipt)), as: CanaryReply.self)
                } catch {
                    // The refusal itself is the error line; say first which tip stays unmarked.
                    tell(say("探针举报 \(reference) 未标记，仍在队列和统计中", "canary tip \(reference) was not marked and stays in the queues and statistics"))
                    throw error
                }
                let when = ShownTime.text(iso: reply.canaryAt)
                tell(say("已将探针举报 \(reference) 标记为探针（\(when)）：已移出队列和统计，审计记录 tip.canary",
                         "canary tip \(reference) marked (\(when)): out of the queues and statistics, audit entry tip.canary"))
            }
        }

        /// Submits the canary tip; returns its reference and receipt (the receipt is kept in memory only, never printed).
        private func submit(_ identity: CanaryIdentity, to base: String, deployment: Deployment) async throws -> (String, String) {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.minimumTLSVersion = .tlsv12
            do {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(deployment.layout.tlsCA.path))
            } catch {
                throw CLIError.input("cannot read the certificate authority \(deployment.layout.tlsCA.path)")
            }
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
            let policies = deployment.policies
            let tip: [String: Any] = [
                "category": policies.categories.categories.first?.id.rawValue ?? "",
                "district": policies.centres.districts.first?.id.rawValue ?? "unknown",
                "description": identity.description,
                "reporter": identity.reporter,
                "wants_reward": false,
            ]
            var request = HTTPClientRequest(url: (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/api/v1/tips")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: Array(try JSONSerialization.data(withJSONObject: tip))))
            let body: [UInt8]
            let status: UInt
            do {
                let response = try await client.execute(request, timeout: .seconds(60))
                status = response.status.code
                body = Array(try await response.body.collect(upTo: 1 << 20).readableBytesView)
                try? await client.shutdown()
            } catch {
                try? await client.shutdown()
                throw CLIError.io("cannot reach \(base): \(error)")
            }
            guard status == 201, let json = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any],
                  let reference = json["reference"] as? String, let receipt = json["receipt"] as? String else {
                throw CLIError.refused(say("服务器未接受探针举报（HTTP \(status)）", "the server did not accept the canary tip (HTTP \(status))"))
            }
            return (reference, receipt)
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "导出外部审计所需材料 / Write what an outside auditor needs to re-verify the deployment (docs/AUDIT.md, \"Export\").")

        @Argument(help: "The directory to create (must not exist or be empty).") var directory: String
        @OptionGroup var source: SourceOptions

        func run() async throws {
            try await reportingErrors {
                let exporter = AuditExporter(sources: try source.sources())
                let report: AuditReport
                do {
                    report = try exporter.export(to: URL(fileURLWithPath: directory)) { done, total in
                        progressLine("audit export: \(done)/\(total) entries")
                    }
                } catch {
                    throw CLIError.io("\(error)")
                }
                print(say("已导出 \(report.entries) 条记录、\(report.tips) 件举报到 \(directory)", "exported \(report.entries) entries and \(report.tips) tips to \(directory)"))
                print(report.passed ? say("数据通过全部检查", "the data passed every check")
                                    : say("注：数据未通过 ", "note: the data FAILED ") + report.failedChecks.map(\.rawValue).joined(separator: ", ") + " (report.json)")
            }
        }
    }
}

/// Scans `root`/data and prints the hits; shared by `scan` and `canary`.
private func scanData(root: URL, canaries: [String], personalData: Bool, json: Bool) throws -> ScanReport {
    let data = DeploymentLayout(root: root).dataDir
    guard FileManager.default.fileExists(atPath: data.path) else { throw CLIError.notFound("no data directory at \(data.path)") }
    let scanner = DataScanner(canaries: canaries, personalData: personalData)
    let report: ScanReport
    do {
        report = try scanner.scan(directory: data) { done, total in
            progressLine("audit scan: \(done >> 20)/\(total >> 20) MiB")
        }
    } catch {
        throw CLIError.io("\(error)")
    }
    if json {
        try printJSON(report)
    } else {
        for hit in report.hits {
            print("\(hit.file)  offset \(hit.offset)  \(hit.kind)" + (hit.canary.map { "  \($0)" } ?? ""))
        }
        if report.hitCount > report.hits.count { print(say("……另有 \(report.hitCount - report.hits.count) 处", "… \(report.hitCount - report.hits.count) more hits")) }
        print(say("audit scan：\(report.files) 个文件，\(report.bytes) 字节，\(report.hitCount) 处命中",
                  "audit scan: \(report.files) files, \(report.bytes) bytes, \(report.hitCount) hits"))
    }
    return report
}

/// A progress line on standard error (the report itself goes to standard output).
private func progressLine(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
