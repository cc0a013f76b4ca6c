import AdminClient
import ArgumentParser
import Foundation
import NIOHTTP1
import Sealing
import TiplineAdminAPI
import TiplineCore
import TiplineDeployment

/// `tipline-admin staff …`: enrolment of staff keys.
struct StaffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff", abstract: "Enrol, list and revoke staff keys.",
        subcommands: [Enroll.self, Approve.self, List.self, Revoke.self, WhoAmICommand.self])

    struct Enroll: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create your staff key pair locally (passphrase-encrypted) and an enrolment request for an administrator.")
        @Option(help: "Your short name (lowercase letters, digits, '.', '_', '-').") var name: String
        @Option(help: "triage, identity-holder, supervisor, accountant, auditor or admin.") var role: StaffRole
        @Option(help: "Your centre id (city, nanming, …).") var centre: String
        @Option(help: "Where to write the key file and the request.") var out: String = "."

        func validate() throws {
            guard EnrolmentRequest.isValidName(name) else { throw ValidationError("--name: lowercase letters, digits, '.', '_' or '-' (at most 32)") }
            guard CentreID.isWellFormed(centre) else { throw ValidationError("--centre: a centre id such as city or nanming") }
        }

        func run() async throws {
            try await reportingErrors {
                let dir = URL(fileURLWithPath: out)
                try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                let keyFile = dir.appendingPathComponent("staff-\(name).key.pem")
                let requestFile = dir.appendingPathComponent("staff-\(name).enrol.json")
                let key = Ed25519PrivateKey.generate()
                let passphrase = try Passphrase.obtain(purpose: "your new staff key", demo: false, confirm: true)
                try SecureFile.create(keyFile, text: try key.encryptedPEM(passphrase: passphrase), mode: 0o600)
                let request = try EnrolmentRequest.make(name: name, role: role, centre: centre, key: key,
                                                        at: Int64(Date().timeIntervalSince1970))
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                try SecureFile.create(requestFile, bytes: Array(try encoder.encode(request)) + [0x0A], mode: 0o644)
                print("key:     \(keyFile.path) (key id \(key.publicKey.keyID)) — keep it on this machine")
                print("request: \(requestFile.path) — give it to an administrator: tipline-admin staff approve \(requestFile.lastPathComponent)")
            }
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Administrators: approve an enrolment request.",
            discussion: "identity-holder, supervisor, accountant and admin need two different administrators: the first approval is recorded as pending, a second administrator's approval of the same file enrols the key. A sole administrator may enrol a second administrator alone.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The request file written by `staff enroll`.") var request: String

        func run() async throws {
            try await reportingErrors {
                guard let data = FileManager.default.contents(atPath: request),
                      let parsed = try? JSONDecoder().decode(EnrolmentRequest.self, from: data) else {
                    throw CLIError.input("\(request) is not an enrolment request")
                }
                if let raw = Hex.decode(parsed.publicKey), let problem = Ed25519PointCheck.problem(raw) {
                    throw CLIError.input("拒绝：申请中的公钥不可用（\(problem)）/ refused: \(problem)")
                }
                guard parsed.verifiedKey() != nil else { throw CLIError.input("the request's proof of possession does not verify") }
                let member = try await connection.session().call(.enrolStaff, body: parsed, as: StaffView.self)
                let who = TerminalText.clean("\(member.name) as \(member.role.rawValue)@\(member.centre) (key id \(member.keyID))")
                if member.pending != nil {
                    print("已记录第一位管理员的批准，需另一位管理员再次批准 / first approval recorded: another administrator must approve \(who)")
                } else {
                    print("enrolled \(who)")
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List staff keys, revoked ones included.")
        @OptionGroup var connection: ConnectionOptions
        @Flag(help: "Machine-readable output.") var json = false

        func run() async throws {
            try await reportingErrors {
                let staff = try await connection.session().call(.listStaff, as: [StaffView].self)
                if json { try printJSON(staff); return }
                printTable(["KEY ID", "NAME", "ROLE", "CENTRE", "ENROLLED", "REVOKED"], staff.map {
                    [$0.keyID, $0.name, $0.role.rawValue, $0.centre, $0.enrolledAt, $0.revokedAt ?? "-"]
                })
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Administrators: revoke a staff key.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The key id.") var keyID: String
        @Option(help: "Why.") var reason: String

        func run() async throws {
            try await reportingErrors {
                _ = try await connection.session().call(.revokeStaff, keyID, body: ReasonBody(reason: reason), as: Acknowledged.self)
                print("revoked \(keyID)")
            }
        }
    }

    struct WhoAmICommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "whoami", abstract: "Show which staff key you are using.")
        @OptionGroup var connection: ConnectionOptions
        func run() async throws {
            try await reportingErrors {
                let me = try await connection.session().whoami()
                print(TerminalText.clean("\(me.name)  \(me.role.rawValue)@\(me.centre)  key id \(me.keyID)"))
            }
        }
    }
}


/// `tipline-admin stats`: counts by centre, status, category and urgency; on-time rate per tier.
struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Counts by centre, status, category, urgency; overdue; on-time rate per tier.")
    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "Machine-readable output.") var json = false

    func run() async throws {
        try await reportingErrors {
            let stats = try await connection.session().call(.stats, as: TipStats.self)
            if json { try printJSON(stats); return }
            print("total tips: \(stats.total)")
            for (title, counts) in [("by centre", stats.byCentre), ("by status", stats.byStatus), ("by category", stats.byCategory),
                                    ("by urgency", stats.byUrgency), ("overdue by centre", stats.overdueByCentre)] {
                print("\n\(title)")
                printTable(["", "COUNT"], counts.map { [$0.key, String($0.count)] })
            }
            print("\non-time first action (S-4.1)")
            printTable(["URGENCY", "ACTED", "ON TIME", "RATE"], stats.onTime.map {
                [$0.urgency, String($0.acted), String($0.onTime), $0.acted == 0 ? "-" : "\($0.onTime * 100 / $0.acted)%"]
            })
        }
    }
}

