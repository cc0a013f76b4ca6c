public import Foundation
public import TiplineCore

/// The policy files the harnesses validate against.
///
/// From the directory named by `TIPLINE_FUZZ_POLICIES` (`Fuzz/run.sh` sets it to the
/// checkout's `Policies/`), else from the `Policies/` of the checkout this file was built in.
public enum FuzzPolicies {
    /// The policy directory in use.
    public static var directory: URL {
        if let path = ProcessInfo.processInfo.environment["TIPLINE_FUZZ_POLICIES"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Policies")
    }

    /// The six files `PolicySet` reads, by name; stops the process if one is unreadable
    /// (a harness without its policies would fuzz nothing).
    public static func texts() -> [String: String] {
        var result: [String: String] = [:]
        for name in PolicySet.fileNames {
            let url = directory.appendingPathComponent(name)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                fatalError("cannot read \(url.path); set TIPLINE_FUZZ_POLICIES to a policy directory")
            }
            result[name] = text
        }
        return result
    }

    /// The parsed policies; stops the process if they do not load.
    public static func load() -> PolicySet {
        do {
            return try PolicySet.parse(texts: texts())
        } catch {
            fatalError("the policies in \(directory.path) do not load: \(error)")
        }
    }
}
