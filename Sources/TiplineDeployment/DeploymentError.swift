/// Errors of opening or creating a deployment. Messages name files and what is wrong, never secrets.
public enum DeploymentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The directory has no `public/deployment.json`.
    case notADeployment(String)
    /// `init` found a deployment already there and refuses to overwrite it.
    case alreadyExists(String)
    /// A file could not be read.
    case unreadable(String)
    /// A file is not in the expected form.
    case malformed(String)
    /// The passphrase does not open the named key file.
    case wrongPassphrase(String)
    /// No passphrase was set and there is no terminal to ask on.
    case noPassphrase
    /// A new passphrase was refused (too short, or the same for server and holders).
    case passphraseRefused(String)
    /// Going on would be unsafe: a key that does not match `keys.json`, a symlink, a file open to others, a file that would be overwritten.
    case unsafe(String)
    /// A file or directory could not be written.
    case io(String)

    /// Chinese first, then English (the library cannot know the reader's language; staff read Chinese first).
    public var description: String {
        switch self {
        case .notADeployment(let path): "\(path) 不是 Tipline 部署目录（没有 public/deployment.json）/ \(path) is not a Tipline deployment (no public/deployment.json)"
        case .alreadyExists(let path): "\(path) 已有部署，拒绝覆盖 / \(path) already holds a deployment; refusing to overwrite it"
        case .unreadable(let file): "无法读取 \(file) / cannot read \(file)"
        case .malformed(let what): "格式错误：\(what) / malformed \(what)"
        case .wrongPassphrase(let file): "口令错误：\(file) / wrong passphrase for \(file)"
        case .noPassphrase: "没有口令：请设置 TIPLINE_PASSPHRASE 或在终端中运行以输入 / no passphrase: set TIPLINE_PASSPHRASE or run from a terminal to be asked"
        case .passphraseRefused(let why): why
        case .unsafe(let why): "部署不安全：\(why) / unsafe deployment: \(why)"
        case .io(let what): "无法写入 \(what) / cannot write \(what)"
        }
    }
}
