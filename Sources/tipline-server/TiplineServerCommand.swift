import ArgumentParser
import Foundation
import IntakeServer
import Logging
import ServiceLifecycle
import TiplineDeployment

/// `tipline-server`: runs the intake host (public and admin HTTPS listeners).
@main
struct TiplineServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tipline-server",
        abstract: "The Tipline intake server: the public tip-line and the staff admin API, over HTTPS.",
        discussion: "Without --deployment it uses the demo deployment in ./demo (or $TIPLINE_DEMO_DIR), creating it on first run.")

    @Option(help: "The deployment directory (created by `tipline-admin init`).")
    var deployment: String?

    @Option(help: "Public listener port (0 = ephemeral). Default: the deployment's (8443).")
    var publicPort: Int?

    @Option(help: "Admin listener port (0 = ephemeral). Default: the deployment's (8444).")
    var adminPort: Int?

    @Option(help: "Address of the public listener. Default: the deployment's bind_host.")
    var bindHost: String?

    @Option(help: "Address of the admin listener. Default: the deployment's admin_bind_host (127.0.0.1).")
    var adminBindHost: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "tipline")

        let root: URL
        if let deployment {
            root = URL(fileURLWithPath: deployment)
        } else {
            root = DemoDeployment.defaultLocation
            let line = try DemoDeployment.ensure(at: root)
                ? "created demo deployment at \(root.path) (passphrase: \(DeploymentConfig.demoPassphrase))\n"
                : "using demo deployment at \(root.path)\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        }

        let server: TiplineServer
        do {
            server = try await TiplineServer(options: ServerOptions(
                deployment: root, publicPort: publicPort, adminPort: adminPort, bindHost: bindHost,
                adminBindHost: adminBindHost, logger: logger,
                onListening: { publicPort, adminPort in
                    // One line, flushed at once: scripts and tests wait for it.
                    let line = "listening public=https://127.0.0.1:\(publicPort) admin=https://127.0.0.1:\(adminPort)\n"
                    FileHandle.standardOutput.write(Data(line.utf8))
                }))
        } catch {
            FileHandle.standardError.write(Data("tipline-server: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let group = ServiceGroup(configuration: .init(
            services: server.services.map { .init(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
    }
}
