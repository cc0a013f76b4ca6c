/// Errors of opening or creating a deployment. Messages name files and what is wrong, never secrets.
public enum DeploymentError: Error, Sendable, Equatable, CustomStringConvertible {
    case notADeployment(String)
    case alreadyExists(String)
    case unreadable(String)
    case malformed(String)
    case wrongPassphrase(String)
    case noPassphrase
    /// A new passphrase was refused (too short, or the same for server and holders).
    case passphraseRefused(String)
    case unsafe(String)
    case io(String)

    public var description: String {
        switch self {
        case .notADeployment(let path): "\(path) is not a Tipline deployment (no public/deployment.json)"
        case .alreadyExists(let path): "\(path) already holds a deployment; refusing to overwrite it"
        case .unreadable(let file): "cannot read \(file)"
        case .malformed(let what): "malformed \(what)"
        case .wrongPassphrase(let file): "wrong passphrase for \(file)"
        case .noPassphrase: "no passphrase: set TIPLINE_PASSPHRASE or run from a terminal to be asked"
        case .passphraseRefused(let why): why
        case .unsafe(let why): "unsafe deployment: \(why)"
        case .io(let what): "cannot write \(what)"
        }
    }
}
