public import Foundation

/// The demo deployment that `tipline-server` uses when started without `--deployment`.
public enum DemoDeployment {
    /// `./demo` in the working directory, or `$TIPLINE_DEMO_DIR`.
    public static var defaultLocation: URL {
        if let dir = ProcessInfo.processInfo.environment["TIPLINE_DEMO_DIR"], !dir.isEmpty {
            return URL(fileURLWithPath: dir)
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("demo")
    }

    /// The policies a new deployment starts from: `./Policies` if present, else the source tree's.
    public static func defaultPoliciesSource() -> URL? {
        let candidates = [
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("Policies"),
            // <repo>/Sources/TiplineDeployment/DemoDeployment.swift → <repo>/Policies
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("Policies"),
        ]
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("centres.yaml").path) }
    }

    /// Creates the demo deployment at `location` unless one is there; returns true if it was created.
    public static func ensure(at location: URL) throws -> Bool {
        if FileManager.default.fileExists(atPath: DeploymentLayout(root: location).configFile.path) { return false }
        guard let policies = defaultPoliciesSource() else {
            throw DeploymentError.unreadable("Policies/ (run from the repository, or pass --policies)")
        }
        let passphrase = Array(DeploymentConfig.demoPassphrase.utf8)
        _ = try DeploymentCreator.create(at: location, policiesSource: policies, name: "demo", demo: true,
                                         passphrase: passphrase, serverPassphrase: passphrase)
        return true
    }
}
