import Foundation

/// Where passphrases come from: `TIPLINE_PASSPHRASE`, else the file named by
/// `TIPLINE_PASSPHRASE_FILE` (e.g. a systemd credential), else a prompt without echo.
///
/// A passphrase that protects a *new* key file (`init`, `staff enroll`, `keys passwd`) must be at
/// least `minimumLength` characters whichever way it arrives: environment, file or prompt.
public enum Passphrase {
    /// The environment variable that holds the passphrase itself.
    public static let environmentVariable = "TIPLINE_PASSPHRASE"
    /// The environment variable that names a file holding the passphrase.
    public static let fileVariable = "TIPLINE_PASSPHRASE_FILE"
    /// The shortest passphrase accepted for a new key file (bytes of UTF-8).
    public static let minimumLength = 12

    /// Where a passphrase is looked for: an environment variable, a file variable, and what a
    /// prompt calls it.
    public struct Source: Sendable {
        /// The environment variable that holds the passphrase itself.
        public var variable: String
        /// The environment variable that names a file holding it.
        public var fileVariable: String
        /// A source of the two variables.
        public init(variable: String, fileVariable: String) {
            self.variable = variable
            self.fileVariable = fileVariable
        }
        /// `TIPLINE_PASSPHRASE` / `TIPLINE_PASSPHRASE_FILE`.
        public static let standard = Source(variable: Passphrase.environmentVariable, fileVariable: Passphrase.fileVariable)
        /// `TIPLINE_HOLDER_PASSPHRASE` / `TIPLINE_HOLDER_PASSPHRASE_FILE` (init: holders' keys).
        public static let holders = Source(variable: "TIPLINE_HOLDER_PASSPHRASE", fileVariable: "TIPLINE_HOLDER_PASSPHRASE_FILE")
        /// `TIPLINE_SERVER_PASSPHRASE` / `TIPLINE_SERVER_PASSPHRASE_FILE` (init: the intake host's keys).
        public static let server = Source(variable: "TIPLINE_SERVER_PASSPHRASE", fileVariable: "TIPLINE_SERVER_PASSPHRASE_FILE")
        /// `TIPLINE_NEW_PASSPHRASE` / `TIPLINE_NEW_PASSPHRASE_FILE` (`keys passwd`).
        public static let new = Source(variable: "TIPLINE_NEW_PASSPHRASE", fileVariable: "TIPLINE_NEW_PASSPHRASE_FILE")
    }

    /// The passphrase for `purpose`; for a demo deployment the published demo passphrase when none is set.
    /// With `confirm` (a new key file) it is asked twice and its length is checked.
    public static func obtain(purpose: String, demo: Bool, confirm: Bool = false) throws(DeploymentError) -> [UInt8] {
        if confirm { return try obtainNew(purpose: purpose, demo: demo, from: [.standard]) }
        if let value = try lookUp([.standard], environment: ProcessInfo.processInfo.environment) { return value }
        if demo { return Array(DeploymentConfig.demoPassphrase.utf8) }
        return try promptOnce(purpose)
    }

    /// A passphrase for a new key file, from the first of `sources` that is set, else the demo
    /// passphrase (demo only), else a prompt asked twice; refused if shorter than `minimumLength`
    /// whichever way it came. `environment` and `interactive` default to the process's.
    public static func obtainNew(purpose: String, demo: Bool, from sources: [Source],
                                 environment: [String: String]? = nil, interactive: Bool? = nil) throws(DeploymentError) -> [UInt8] {
        let environment = environment ?? ProcessInfo.processInfo.environment
        let interactive = interactive ?? (isatty(STDIN_FILENO) == 1)
        let value: [UInt8]
        if let found = try lookUp(sources, environment: environment) {
            value = found
        } else if demo {
            value = Array(DeploymentConfig.demoPassphrase.utf8)
        } else {
            guard interactive else {
                let names = sources.map { "\($0.variable) / \($0.fileVariable)" }.joined(separator: ", ")
                throw DeploymentError.passphraseRefused("没有\(purpose)的口令：请设置 \(names)，或在终端中运行 / no passphrase for \(purpose): set \(names) or run from a terminal")
            }
            let first = try prompt("Passphrase for \(purpose) / \(purpose)的口令: ")
            try checkLength(first, purpose: purpose)
            let second = try prompt("Repeat the passphrase / 再输入一次: ")
            guard first == second else { throw DeploymentError.malformed("passphrase: the two entries differ（两次输入不一致）") }
            value = first
        }
        try checkLength(value, purpose: purpose)
        return value
    }

    /// Refuses a new passphrase shorter than `minimumLength`.
    public static func checkLength(_ passphrase: [UInt8], purpose: String) throws(DeploymentError) {
        guard String(decoding: passphrase, as: UTF8.self).count >= minimumLength else {
            throw DeploymentError.passphraseRefused("口令太短：\(purpose)的口令至少 \(minimumLength) 个字符 / the passphrase for \(purpose) must be at least \(minimumLength) characters")
        }
    }

    /// The first passphrase set in `sources` (variable, then file), or nil.
    static func lookUp(_ sources: [Source], environment: [String: String]) throws(DeploymentError) -> [UInt8]? {
        for source in sources {
            if let value = environment[source.variable], !value.isEmpty { return Array(value.utf8) }
            if let path = environment[source.fileVariable], !path.isEmpty {
                guard let data = FileManager.default.contents(atPath: path) else { throw DeploymentError.unreadable(path) }
                var bytes = Array(data)
                while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
                guard !bytes.isEmpty else { throw DeploymentError.noPassphrase }
                return bytes
            }
        }
        return nil
    }

    private static func promptOnce(_ purpose: String) throws(DeploymentError) -> [UInt8] {
        guard isatty(STDIN_FILENO) == 1 else { throw DeploymentError.noPassphrase }
        return try prompt("\(purpose) 的口令 / Passphrase for \(purpose): ")
    }

    /// Reads one line from the terminal with echo off.
    private static func prompt(_ text: String) throws(DeploymentError) -> [UInt8] {
        FileHandle.standardError.write(Data(text.utf8))
        var saved = termios()
        let hasTerminal = tcgetattr(STDIN_FILENO, &saved) == 0
        if hasTerminal {
            var silent = saved
            silent.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        }
        defer {
            if hasTerminal { tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved) }
            FileHandle.standardError.write(Data("\n".utf8))
        }
        guard let line = readLine(strippingNewline: true), !line.isEmpty else { throw DeploymentError.noPassphrase }
        return Array(line.utf8)
    }
}

/// The two passphrases of `tipline-admin init`: one for the holders' keys (centre keys, first
/// administrator), another for the intake host's keys. One passphrase must not open everything:
/// whoever runs the server would otherwise hold every centre's keys.
public struct InitPassphrases: Sendable {
    /// The passphrase of the holders' keys (centre keys, first administrator).
    public let holders: [UInt8]
    /// The passphrase of the intake host's keys.
    public let server: [UInt8]

    /// Holders: `TIPLINE_HOLDER_PASSPHRASE`(`_FILE`), else `TIPLINE_PASSPHRASE`(`_FILE`), else a prompt.
    /// Server: `TIPLINE_SERVER_PASSPHRASE`(`_FILE`), else a prompt. Both at least
    /// `Passphrase.minimumLength`, and different. A demo uses the published demo passphrase for
    /// whichever is unset (a demo protects nothing).
    public static func obtain(demo: Bool, environment: [String: String]? = nil,
                              interactive: Bool? = nil) throws(DeploymentError) -> InitPassphrases {
        let holders = try Passphrase.obtainNew(purpose: "the holders' keys（持钥人密钥）", demo: demo, from: [.holders, .standard],
                                               environment: environment, interactive: interactive)
        let server = try Passphrase.obtainNew(purpose: "the server's keys（服务器密钥）", demo: demo, from: [.server],
                                              environment: environment, interactive: interactive)
        if !demo, holders == server {
            throw DeploymentError.passphraseRefused("服务器口令必须与持钥人口令不同 / the server passphrase must differ from the holders' passphrase")
        }
        return InitPassphrases(holders: holders, server: server)
    }
}
