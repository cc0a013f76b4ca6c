package import ArgumentParser
package import Foundation
package import TiplineCore
import TiplineAdminAPI
package import TiplineDeployment

/// `--deployment DIR`: the one declaration of the option, in every command that reads a deployment
/// (directly, or through `ConnectionOptions` and the auditor's `SourceOptions`).
package struct DeploymentOptions: ParsableArguments {
    package init() {}

    @Option(name: .long, help: "The deployment directory, or a copy of it (default: the profile's, else ./demo): server address, CA, public keys, policies, key files.")
    package var deployment: String?

    package var root: URL {
        (deployment ?? Profile.current[.deployment]).map { URL(fileURLWithPath: $0) } ?? DemoDeployment.defaultLocation
    }

    package func open() throws -> Deployment {
        do {
            return try Deployment.open(at: root)
        } catch {
            throw CLIError.input("\(error)")
        }
    }
}

/// How to reach the admin API and which keys to use (every staff command).
package struct ConnectionOptions: ParsableArguments {
    package init() {}

    /// `--deployment DIR`: server address, CA, pinned keys and key files come from it.
    @OptionGroup package var place: DeploymentOptions
    package var deployment: String? { place.deployment }

    @Option(name: .long, help: "The admin API, e.g. https://127.0.0.1:8444 (overrides the deployment's).")
    package var server: String?

    @Option(name: .long, help: "The deployment's certificate authority (public/tls-ca.pem).")
    package var ca: String?

    @Option(name: .long, help: "Your staff signing key (encrypted PEM; default: the profile's, or the key agent's).")
    package var key: String?

    @Option(name: .customLong("content-key"), help: "Your centre's content key (triage: opening tips).")
    package var contentKey: String?

    @Option(name: .customLong("identity-key"), help: "Your centre's identity key (identity holders: unsealing).")
    package var identityKey: String?

    @Option(name: .customLong("keys"), help: "The deployment's public/keys.json, pinned locally: every sealing uses its keys (default: the --deployment's).")
    package var keysFile: String?

    @Option(name: .customLong("keys-fingerprint"), help: "With --server and no local keys.json: the SHA-256 fingerprint of the deployment's keys.json (`keys list` prints it; or set TIPLINE_KEYS_FINGERPRINT once); the server's copy is used only if it matches.")
    package var keysFingerprint: String?

    @Option(name: .long, help: "Output language: zh (default) or en (also TIPLINE_LANG, the profile's lang, or an English locale).")
    package var lang: Language?

    /// The workstation profile (`tipline-admin config`): every option not given falls back to it.
    package var profile: Profile { Profile.current }

    /// An option's value: the command line's, else the profile's.
    package func effective(_ flag: String?, _ setting: Profile.Setting) -> String? { flag ?? profile[setting] }

    package var deploymentRoot: URL { place.root }

    package func session() throws -> AdminSession { try AdminSession(options: self) }
}

/// An error the CLI reports in one line with a documented exit code.
package enum CLIError: Error, CustomStringConvertible {
    case input(String)
    case notFound(String)
    case refused(String)
    case passphrase(String)
    case io(String)
    /// Stored ciphertext that is not what it should be (a bad wrap): exit 7.
    case integrity(String)

    package var description: String {
        switch self {
        case .input(let m), .notFound(let m), .refused(let m), .passphrase(let m), .io(let m), .integrity(let m): m
        }
    }

    package var exitCode: Int32 {
        switch self {
        case .input: 2
        case .notFound: 3
        case .refused: 4
        case .passphrase: 5
        case .io: 6
        case .integrity: 7
        }
    }
}

/// The running tool's name (`tipline-admin`, `tipline-audit`), first on every error line.
package var programName: String {
    CommandLine.arguments.first.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "tipline-admin"
}

/// Runs a command body, printing `CLIError`s as one line on stderr with their exit code.
package func reportingErrors(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as CLIError {
        FileHandle.standardError.write(Data("\(programName): \(error)\n".utf8))
        throw ExitCode(error.exitCode)
    } catch let error as DeploymentError {
        FileHandle.standardError.write(Data("\(programName): \(error)\n".utf8))
        switch error {
        case .wrongPassphrase, .noPassphrase: throw ExitCode(5)
        case .notADeployment, .unreadable: throw ExitCode(3)
        default: throw ExitCode(2)
        }
    }
}

/// Prints rows as an aligned table (display width aware for CJK text).
package func printTable(_ header: [String], _ rows: [[String]]) {
    func width(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + (($1.value >= 0x1100 && ($1.value <= 0x115F || (0x2E80...0xA4CF).contains($1.value)
            || (0xAC00...0xD7A3).contains($1.value) || (0xF900...0xFAFF).contains($1.value) || (0xFE30...0xFE4F).contains($1.value)
            || (0xFF00...0xFF60).contains($1.value) || (0xFFE0...0xFFE6).contains($1.value))) ? 2 : 1) }
    }
    // Cells come from the data (names, centres, reasons): no terminal controls reach the screen.
    let all = ([header] + rows).map { $0.map { TerminalText.clean($0) } }
    var widths = Array(repeating: 0, count: header.count)
    for row in all { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], width(cell)) } }
    for (index, row) in all.enumerated() {
        let line = row.enumerated().map { i, cell in
            i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - width(cell))
        }.joined(separator: "  ")
        print(line)
        if index == 0 { print(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
    }
}

/// JSON output for `--json`.
package func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// `--limit` of the tip lists, checked before any request: 1 to `AdminPage.maxSize`.
package struct PageOption: ParsableArguments {
    package init() {}

    @Option(help: "At most this many (1–\(AdminPage.maxSize)).") package var limit = AdminPage.defaultSize

    package func validate() throws {
        guard (1...AdminPage.maxSize).contains(limit) else {
            throw ValidationError("--limit must be between 1 and \(AdminPage.maxSize)")
        }
    }
}
