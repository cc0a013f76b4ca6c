// swift-tools-version: 6.0
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Tipline",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "tipline-server", targets: ["tipline-server"]),
        .executable(name: "tipline-admin", targets: ["tipline-admin"]),
        .executable(name: "tipline-audit", targets: ["tipline-audit"]),
        .library(name: "Sealing", targets: ["Sealing"]),
        .library(name: "TiplineCore", targets: ["TiplineCore"]),
        .library(name: "TiplineStore", targets: ["TiplineStore"]),
        .library(name: "LedgerModel", targets: ["LedgerModel"]),
        .library(name: "Accounting", targets: ["Accounting"]),
        .library(name: "TiplineAudit", targets: ["TiplineAudit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
        // XLSX export of the ledgers (`books export --xlsx`): an XLSX file is a ZIP of XML parts.
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(
            name: "Sealing",
            dependencies: ["COpenSSL"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TiplineCore",
            dependencies: [
                "Sealing",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        // The admin API contract: every route, the request and answer types, the signature format.
        // The server registers from it, the CLI calls through it, the auditor matches against it.
        .target(
            name: "TiplineAdminAPI",
            dependencies: ["Sealing", "TiplineCore"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TiplineStore",
            dependencies: [
                "Sealing", "TiplineCore", "TiplineAdminAPI", "LedgerModel",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TiplineDeployment",
            dependencies: [
                "Sealing", "TiplineCore", "LedgerModel",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // The ledger's values and rules, without storage: money in fen, accounts, entries, rewards,
        // vouchers, the reward policy (Policies/rewards.yaml). Read by the CLI and the deployment loader.
        .target(
            name: "LedgerModel",
            dependencies: ["Sealing", "TiplineCore"],
            swiftSettings: swiftSettings
        ),
        // The double-entry ledger engine on its own SQLite file (docs/LEDGER.md).
        .target(
            name: "Accounting",
            dependencies: [
                "Sealing", "TiplineCore", "LedgerModel",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TiplineAudit",
            dependencies: [
                "Sealing", "TiplineCore", "TiplineStore", "TiplineDeployment", "TiplineAdminAPI",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "IntakeServer",
            dependencies: [
                "Sealing", "TiplineCore", "TiplineStore", "TiplineDeployment", "Accounting", "LedgerModel", "TiplineAdminAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "tipline-server",
            dependencies: [
                "IntakeServer", "TiplineDeployment",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The staff CLI's client half, shared by tipline-admin and tipline-audit: options, the signed
        // admin session, errors and output. No storage (no GRDB): staff machines read no database.
        .target(
            name: "AdminClient",
            dependencies: [
                "Sealing", "TiplineCore", "TiplineDeployment", "TiplineAdminAPI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: swiftSettings
        ),
        // Staff: triage, identity holders, rewards, staff and keys. Never links GRDB.
        .executableTarget(
            name: "tipline-admin",
            dependencies: [
                "AdminClient", "Sealing", "TiplineCore", "TiplineDeployment", "LedgerModel", "TiplineAdminAPI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        // Auditors: verify, scan, export, checkpoints, canaries; reads copies of the data files
        // read-only. `tipline-admin audit …` runs it.
        .executableTarget(
            name: "tipline-audit",
            dependencies: [
                "AdminClient", "TiplineAudit", "TiplineStore", "TiplineCore", "TiplineDeployment", "Accounting", "LedgerModel",
                "Sealing", "TiplineAdminAPI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        // Benchmarks and proof tools (Benchmarks/README.md): scrypt bound, load clients, seeding, triage timing,
        // audit-chain check. Not shipped; never run by `swift test`.
        .executableTarget(
            name: "tipline-bench",
            dependencies: [
                "Sealing", "TiplineCore", "TiplineStore", "TiplineDeployment", "IntakeServer", "TiplineTestSupport", "Accounting", "TiplineAdminAPI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            path: "Benchmarks/Sources/tipline-bench",
            swiftSettings: swiftSettings
        ),

        // Test fixtures and test-only code shared by the test targets, tipline-bench and the fuzz harnesses; no product,
        // never linked into tipline-server or tipline-admin (README, "Run the tests").
        .target(
            name: "TiplineTestSupport",
            dependencies: ["Sealing", "TiplineCore", "TiplineStore", "TiplineDeployment", "IntakeServer",
                           .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),

        // MARK: Fuzzing (Fuzz/README.md)
        // Each FuzzX executable runs libFuzzer when built by Fuzz/run.sh (-sanitize=fuzzer,address
        // -DFUZZING) and otherwise replays the files given as arguments. The checks live in one
        // harness library per module under test, so the unit tests replay committed inputs
        // through exactly the code the fuzzer ran.
        .systemLibrary(name: "CLibFuzzer", path: "Fuzz/Sources/CLibFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CLibFuzzer"], path: "Fuzz/Sources/FuzzSupport",
                swiftSettings: swiftSettings),
        .target(name: "SealingFuzzing", dependencies: ["Sealing", "FuzzSupport"], path: "Fuzz/Sources/SealingFuzzing",
                swiftSettings: swiftSettings),
        .target(name: "TiplineCoreFuzzing", dependencies: ["TiplineCore", "TiplineAdminAPI", "Sealing", "FuzzSupport"],
                path: "Fuzz/Sources/TiplineCoreFuzzing", swiftSettings: swiftSettings),
        .target(name: "IntakeServerFuzzing", dependencies: ["IntakeServer", "FuzzSupport", "TiplineTestSupport"],
                path: "Fuzz/Sources/IntakeServerFuzzing", swiftSettings: swiftSettings),
        .executableTarget(name: "FuzzTipJSON", dependencies: ["TiplineCoreFuzzing", "FuzzSupport"],
                          path: "Fuzz/Sources/FuzzTipJSON", swiftSettings: swiftSettings),
        .executableTarget(name: "FuzzMultipart", dependencies: ["IntakeServerFuzzing", "FuzzSupport"],
                          path: "Fuzz/Sources/FuzzMultipart", swiftSettings: swiftSettings),
        .executableTarget(name: "FuzzImageSanitizer", dependencies: ["TiplineCoreFuzzing", "FuzzSupport"],
                          path: "Fuzz/Sources/FuzzImageSanitizer", swiftSettings: swiftSettings),
        .executableTarget(name: "FuzzEnvelope", dependencies: ["SealingFuzzing", "FuzzSupport"],
                          path: "Fuzz/Sources/FuzzEnvelope", swiftSettings: swiftSettings),
        .executableTarget(name: "FuzzAdminSignature", dependencies: ["TiplineCoreFuzzing", "TiplineAdminAPI", "FuzzSupport"],
                          path: "Fuzz/Sources/FuzzAdminSignature", swiftSettings: swiftSettings),
        .executableTarget(name: "FuzzPolicyYAML", dependencies: ["TiplineCoreFuzzing", "FuzzSupport"],
                          path: "Fuzz/Sources/FuzzPolicyYAML", swiftSettings: swiftSettings),

        .testTarget(
            name: "SealingTests",
            dependencies: [
                "Sealing", "SealingFuzzing",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Vectors")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TiplineCoreTests",
            dependencies: ["TiplineCore", "TiplineAdminAPI", "TiplineCoreFuzzing", "TiplineTestSupport"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TiplineStoreTests",
            dependencies: ["TiplineStore", "Sealing", "TiplineCore", "TiplineTestSupport", "TiplineAudit", "TiplineDeployment"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TiplineDeploymentTests",
            dependencies: ["TiplineDeployment", "Sealing", "TiplineTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AccountingTests",
            dependencies: ["Accounting", "LedgerModel", "TiplineCore", "Sealing", "TiplineTestSupport", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TiplineAuditTests",
            dependencies: [
                "TiplineAudit", "TiplineStore", "TiplineCore", "TiplineDeployment", "Sealing", "TiplineAdminAPI", "TiplineTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AdminClientTests",
            dependencies: ["AdminClient", "TiplineCore", "Sealing", "TiplineAdminAPI", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "IntakeServerTests",
            dependencies: [
                "IntakeServer", "Accounting", "LedgerModel", "TiplineAdminAPI", "TiplineDeployment", "TiplineStore", "TiplineCore", "Sealing", "TiplineAudit", "IntakeServerFuzzing",
                "TiplineTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
