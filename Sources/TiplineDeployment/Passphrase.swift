import Foundation

/// Where passphrases come from: `TIPLINE_PASSPHRASE`, else the file named by
/// `TIPLINE_PASSPHRASE_FILE` (e.g. a systemd credential), else a prompt without echo.
public enum Passphrase {
    public static let environmentVariable = "TIPLINE_PASSPHRASE"
    public static let fileVariable = "TIPLINE_PASSPHRASE_FILE"

    /// The passphrase for `purpose`; for a demo deployment the published demo passphrase when none is set.
    public static func obtain(purpose: String, demo: Bool, confirm: Bool = false) throws(DeploymentError) -> [UInt8] {
        if let value = ProcessInfo.processInfo.environment[environmentVariable], !value.isEmpty {
            return Array(value.utf8)
        }
        if let path = ProcessInfo.processInfo.environment[fileVariable], !path.isEmpty {
            guard let data = FileManager.default.contents(atPath: path) else { throw DeploymentError.unreadable(path) }
            var bytes = Array(data)
            while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
            guard !bytes.isEmpty else { throw DeploymentError.noPassphrase }
            return bytes
        }
        if demo { return Array(DeploymentConfig.demoPassphrase.utf8) }
        guard isatty(STDIN_FILENO) == 1 else { throw DeploymentError.noPassphrase }
        let first = try prompt("Passphrase for \(purpose): ")
        if confirm {
            let second = try prompt("Repeat the passphrase: ")
            guard first == second else { throw DeploymentError.malformed("passphrase: the two entries differ") }
            guard first.count >= 12 else { throw DeploymentError.malformed("passphrase: use at least 12 characters") }
        }
        return first
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
