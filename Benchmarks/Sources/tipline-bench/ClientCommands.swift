import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// An HTTPS client that trusts only the deployment's CA (as a reporter's pinned client would).
struct TiplineClient: Sendable {
    let http: HTTPClient
    let base: String

    init(url: String, ca: String, connections: Int) throws {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(ca))
        tls.minimumTLSVersion = .tlsv12
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(60))
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        base = url.hasSuffix("/") ? String(url.dropLast()) : url
    }

    func postJSON(_ path: String, _ object: [String: Any]) async throws -> (status: Int, body: [String: Any]) {
        var request = HTTPClientRequest(url: base + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: object)))
        let response = try await http.execute(request, timeout: .seconds(60))
        let collected = try await response.body.collect(upTo: 1 << 20)
        let json = (try? JSONSerialization.jsonObject(with: Data(collected.readableBytesView))) as? [String: Any] ?? [:]
        return (Int(response.status.code), json)
    }

    func shutdown() async { try? await http.shutdown() }
}

/// Counts by outcome, shared by the workers.
actor Tally {
    private(set) var byStatus: [String: Int] = [:]
    private var notes: Set<String> = []
    func add(_ key: String) { byStatus[key, default: 0] += 1 }
    /// Prints each distinct transport error once (to stderr), to tell a refused connection from a cut one.
    func note(_ text: String) {
        guard notes.count < 20, notes.insert(text).inserted else { return }
        FileHandle.standardError.write(Data("transport error: \(text)\n".utf8))
    }
    var summary: String { byStatus.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: " ") }
}

/// Appends one line per acknowledged tip, each with one write(2) on an O_APPEND descriptor.
actor ReceiptLog {
    private let fd: Int32
    init(path: String) throws {
        fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        guard fd >= 0 else { throw Failed(description: "cannot open \(path)") }
    }
    func record(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }
    func close() { _ = Foundation.close(fd) }
}

/// A distinct, valid tip spread over categories and districts; about a third carry an identity.
func sampleTip(_ n: Int, tag: String) -> [String: Any] {
    let categories = ["online", "illegal-av", "illegal-publication", "other", "cross-border"]
    let districts = ["nanming", "yunyan", "huaxi", "wudang", "baiyun", "guanshanhu", "qingzhen", "kaiyang", "xifeng",
                     "xiuwen", "unknown"]
    var tip: [String: Any] = [
        "category": categories[n % categories.count], "district": districts[(n / 5) % districts.count],
        "location": "某路 \(n % 500) 号附近", "wants_reward": n % 4 == 0,
        "description": "Benchmark tip \(tag)-\(n): 某店铺出售非法音像制品，夜间营业，约有 \(n % 97) 个货架。",
    ]
    if n % 3 == 0 { tip["reporter"] = ["name": "测试者\(n)", "phone": "139\(String(format: "%08d", n % 100_000_000))"] }
    return tip
}

/// `tipline-bench submit`: posts tips with `--connections` concurrent workers and records every
/// 201's receipt and reference (one line each) the moment the answer has arrived.
struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit", abstract: "Submit tips concurrently; record each acknowledged receipt.")

    @Option(help: "Public base URL, e.g. https://127.0.0.1:8443.") var url: String
    @Option(help: "The deployment's CA certificate (public/tls-ca.pem).") var ca: String
    @Option(help: "Concurrent workers (one connection each).") var connections = 16
    @Option(help: "Stop after this many submissions in total (0 = no limit).") var count = 0
    @Option(help: "Stop after this many seconds (0 = no limit).") var seconds: Double = 0
    @Option(help: "Append `receipt<TAB>reference` of every 201 here.") var out: String
    @Flag(help: "Each worker stops at its first transport error (the server went away).") var stopOnError = false

    func run() async throws {
        let client = try TiplineClient(url: url, ca: ca, connections: connections)
        let log = try ReceiptLog(path: out)
        let tally = Tally()
        let issued = ManagedCounter()
        let tag = String(UUID().uuidString.prefix(8))
        let deadline = seconds > 0 ? monotonicNanos() + UInt64(seconds * 1e9) : UInt64.max
        let (limit, stopOnError) = (count, stopOnError)
        let start = monotonicNanos()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<connections {
                group.addTask {
                    while monotonicNanos() < deadline {
                        let n = issued.next()
                        if limit > 0 && n >= limit { return }
                        do {
                            let (status, body) = try await client.postJSON("/api/v1/tips", sampleTip(n, tag: tag))
                            if status == 201, let receipt = body["receipt"] as? String, let reference = body["reference"] as? String {
                                await log.record("\(receipt)\t\(reference)")
                            }
                            await tally.add(String(status))
                        } catch {
                            await tally.add("transport-error")
                            await tally.note("\(error)")
                            if stopOnError { return }
                            try? await Task.sleep(for: .milliseconds(50))
                        }
                    }
                }
            }
        }
        let elapsed = Double(monotonicNanos() - start) / 1e9
        await log.close()
        await client.shutdown()
        let counts = await tally.byStatus
        print("submitted=\(counts.values.reduce(0, +))")
        print("acknowledged=\(counts["201"] ?? 0)")
        print("seconds=\(format(elapsed, 2))")
        print("outcomes=\(await tally.summary)")
    }
}

/// A thread-safe counter for handing out submission numbers.
final class ManagedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int { lock.withLock { defer { value += 1 }; return value } }
}

/// `tipline-bench followup`: every recorded receipt must open its tip through `/api/v1/followup`.
struct FollowupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "followup", abstract: "Check that every recorded receipt resolves to its reference through follow-up.")

    @Option(help: "Public base URL.") var url: String
    @Option(help: "The deployment's CA certificate.") var ca: String
    @Option(help: "The file `submit` wrote.") var receipts: String
    @Option(help: "Concurrent workers.") var connections = 8

    func run() async throws {
        let lines = try String(contentsOfFile: receipts, encoding: .utf8).split(separator: "\n").map(String.init)
        let entries = lines.compactMap { line -> (String, String)? in
            let parts = line.split(separator: "\t").map(String.init)
            return parts.count == 2 ? (parts[0], parts[1]) : nil
        }
        let malformed = lines.count - entries.count
        let client = try TiplineClient(url: url, ca: ca, connections: connections)
        let tally = Tally()
        let cursor = ManagedCounter()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<connections {
                group.addTask {
                    while true {
                        let i = cursor.next()
                        guard i < entries.count else { return }
                        let (receipt, reference) = entries[i]
                        var outcome = "transport-error"
                        for attempt in 0..<5 {
                            do {
                                let (status, body) = try await client.postJSON("/api/v1/followup", ["receipt": receipt])
                                if status == 503 || status == 429 { try? await Task.sleep(for: .seconds(1 + attempt)); outcome = "busy"; continue }
                                if status == 200, body["reference"] as? String == reference { outcome = "resolved" }
                                else if status == 404 { outcome = "missing" }
                                else { outcome = "status-\(status)" }
                                break
                            } catch {
                                try? await Task.sleep(for: .milliseconds(200))
                            }
                        }
                        if outcome != "resolved" {
                            FileHandle.standardError.write(Data("NOT RESOLVED: \(reference) (\(outcome))\n".utf8))
                        }
                        await tally.add(outcome)
                    }
                }
            }
        }
        await client.shutdown()
        let counts = await tally.byStatus
        let resolved = counts["resolved"] ?? 0
        print("receipts=\(entries.count)")
        print("resolved=\(resolved)")
        print("malformed_lines=\(malformed)")
        print("outcomes=\(await tally.summary)")
        if resolved != entries.count || malformed != 0 { throw ExitCode(1) }
    }
}
