import AdminClient
import ArgumentParser
import Foundation
import NIOHTTP1
import Sealing
import TiplineAdminAPI
import TiplineCore
import TiplineDeployment
import TiplineStore

/// `tipline-admin audit checkpoint pull` (issue 11, item 10): anchors kept off the host they protect.
/// Fetches a fresh signed checkpoint (audit chain head + reward ledger head) over a signed request
/// and appends it to a file on the auditor's own machine, after checking that it agrees with what
/// the file already holds. `audit verify --checkpoints FILE` then checks the chain against that copy.
extension AuditCommand {
    struct Checkpoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "在本机保存服务器签名的链头 / Keep the server's signed heads on your own machine.", subcommands: [Pull.self])
    }

    struct Pull: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "取回新的签名检查点并追加到文件 / Fetch a fresh signed checkpoint and append it to FILE, checking it extends what FILE holds.",
            discussion: """
                The checkpoint's signature is checked against the server key of YOUR copy of keys.json \
                (--deployment); it must not go back from FILE's last checkpoint, and the server must still have \
                the same hashes at FILE's last audit and ledger heads. Exit 0 appended, 1 disagreement (nothing appended).
                """)

        @Argument(help: "Your checkpoint file (created if missing; keep it off the server).") var file: String
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try await reportingErrors {
                let url = URL(fileURLWithPath: file)
                let session = try connection.session()
                guard let manifest = session.manifest, let serverKey = try? manifest.serverPublicKey() else {
                    throw CLIError.input("the server key is needed to check checkpoints: pass --deployment with your copy of public/keys.json")
                }
                let previous = CheckpointLog.last(in: url)
                if FileManager.default.fileExists(atPath: url.path), previous == nil, (try? Data(contentsOf: url))?.isEmpty == false {
                    throw CLIError.input("\(file) is not a checkpoint file")
                }
                var query: [(name: String, value: String)] = []
                if let previous {
                    query.append(("audit_seq", "\(previous.seq)"))
                    if let ledgerSeq = previous.ledgerSeq { query.append(("ledger_seq", "\(ledgerSeq)")) }
                }
                let answer = try await session.call(.checkpoint, query: query, as: CheckpointAnswer.self)
                let problems = Self.disagreements(answer, previous: previous, serverKey: serverKey)
                if !problems.isEmpty {
                    for problem in problems { FileHandle.standardError.write(Data("检查点不一致 / checkpoint disagrees: \(problem)\n".utf8)) }
                    print("检查点拉取失败，未写入 \(file) / audit checkpoint pull: FAILED, nothing appended to \(file)")
                    throw ExitCode(1)
                }
                do {
                    try CheckpointLog.append(answer.checkpoint, to: url)
                } catch {
                    throw CLIError.io("\(error)")
                }
                let ledger = answer.checkpoint.ledgerSeq.map { "，账本 #\($0) / ledger #\($0)" } ?? ""
                print("已追加检查点：审计 #\(answer.checkpoint.seq)\(ledger)，签名时间 \(ISO8601.chinaString(fromSeconds: answer.checkpoint.at))"
                      + " / appended checkpoint: audit #\(answer.checkpoint.seq)")
            }
        }

        /// Why `answer` does not extend `previous` (empty when it does).
        static func disagreements(_ answer: CheckpointAnswer, previous: AuditCheckpoint?, serverKey: Ed25519PublicKey) -> [String] {
            var problems: [String] = []
            let fresh = answer.checkpoint
            if !fresh.isValid(under: serverKey) { problems.append("the checkpoint is not signed by the server key of keys.json") }
            guard let previous else { return problems }
            if fresh.seq < previous.seq {
                problems.append("the audit log went back from #\(previous.seq) to #\(fresh.seq) (truncated or rolled back)")
            } else if fresh.seq == previous.seq, fresh.hash != previous.hash {
                problems.append("audit entry #\(fresh.seq) has another hash than before (rewritten)")
            }
            if answer.auditHashAt != previous.hash {
                problems.append("audit entry #\(previous.seq) is no longer the one your file vouches for (rewritten or removed)")
            }
            if let before = previous.ledger {
                if let now = fresh.ledger {
                    if now.seq < before.seq {
                        problems.append("the ledger went back from #\(before.seq) to #\(now.seq)")
                    } else if now.seq == before.seq, now.hash != before.hash {
                        problems.append("ledger entry #\(now.seq) has another hash than before (rewritten)")
                    }
                } else {
                    problems.append("the checkpoint no longer carries the ledger's head")
                }
                if before.seq > 0, answer.ledgerHashAt != before.hash {
                    problems.append("ledger entry #\(before.seq) is no longer the one your file vouches for")
                }
            }
            return problems
        }
    }
}
