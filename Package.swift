// swift-tools-version:6.1
import PackageDescription

/// Settings every Redline target shares: Swift 6 strict concurrency plus the upcoming
/// features the Hummingbird ecosystem enables.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "redline",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "redline", targets: ["RedlineCLI"]),
        .library(name: "RedlineEngine", targets: ["RedlineEngine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        // OTLP/HTTP only: the default gRPC trait would pull grpc-swift and HTTP/2 into every build.
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
        // Already in the graph through async-http-client; named here for rediss:// (Redis over TLS).
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    ],
    targets: [
        // C interop: poppler-glib (PDF text, layout and rendering) and cairo (PDF/PNG surfaces).
        .systemLibrary(
            name: "CPoppler",
            pkgConfig: "poppler-glib",
            providers: [.apt(["libpoppler-glib-dev", "libcairo2-dev"])]
        ),
        // Safe Swift wrapper over poppler/cairo: open PDFs, read words with boxes and styles, render pages, write text as PDF.
        .target(name: "RedlinePDF", dependencies: ["CPoppler"], swiftSettings: swiftSettings),
        // The comparison engine: words -> alignment -> changes with regions and styles -> summary. No server imports.
        .target(name: "RedlineEngine", dependencies: ["RedlinePDF"], swiftSettings: swiftSettings),
        // The engine benchmark: seeded contract-like document pairs with ground truth, a scorer and peer baselines (`redline bench`).
        .target(name: "RedlineBenchmark", dependencies: ["RedlineEngine", "RedlinePDF"], swiftSettings: swiftSettings),
        // Exported PDFs (left, right, combined, single_page) with highlight annotations, and Word redlines.
        .target(name: "RedlineExport", dependencies: ["RedlineEngine", "RedlinePDF"], swiftSettings: swiftSettings),
        // Domain: models, repository / blob store / queue / converter protocols and the services that use them.
        .target(
            name: "RedlineCore",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ],
            swiftSettings: swiftSettings
        ),
        // Embedded backends: SQLite database with migrations, SQL repositories and job queue, local-disk blob store.
        .target(
            name: "RedlineStorage",
            dependencies: [
                "RedlineCore",
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Production database: PostgreSQL behind the same SQLDatabase seam, with the queue's SKIP LOCKED claims and LISTEN/NOTIFY wake-ups.
        .target(
            name: "RedlinePostgres",
            dependencies: [
                "RedlineCore", "RedlineStorage",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Production object storage: an S3 client (SigV4, pre-signed URLs, multipart) on async-http-client.
        .target(
            name: "RedlineS3",
            dependencies: [
                "RedlineCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Optional Redis/Valkey: a small RESP client over SwiftNIO for shared rate limits and caching.
        .target(
            name: "RedlineRedis",
            dependencies: [
                "RedlineCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Turns uploaded files into PDF (TXT via cairo today; Office via LibreOffice later) and fetches source URLs safely.
        .target(
            name: "RedlineConverter",
            dependencies: [
                "RedlineCore", "RedlinePDF",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Resources/office_worker.py")],
            swiftSettings: swiftSettings
        ),
        // Metrics (Prometheus exposition), structured logs and OpenTelemetry traces shared by every role.
        .target(
            name: "RedlineObservability",
            dependencies: [
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Background services: the comparison worker and the expiry scheduler.
        .target(
            name: "RedlineWorker",
            dependencies: [
                "RedlineCore", "RedlineEngine", "RedlineExport",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: swiftSettings
        ),
        // The OpenAPI 3.1 document: the source of truth for the HTTP API, in its own target.
        .target(name: "RedlineOpenAPI", resources: [.copy("openapi.json")], swiftSettings: swiftSettings),
        // HTTP: the Draftable-compatible REST API, the viewer and the docs page (Hummingbird 2).
        .target(
            name: "RedlineAPI",
            dependencies: [
                "RedlineCore", "RedlineOpenAPI", "RedlinePDF", "RedlineConverter",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings
        ),
        // The web app for people: sign-in, compare, history, sharing, administration (server-rendered Mustache pages).
        .target(
            name: "RedlineWeb",
            dependencies: [
                "RedlineAPI", "RedlineCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings
        ),
        // The `redline` binary: every role and admin command.
        .executableTarget(
            name: "RedlineCLI",
            dependencies: [
                "RedlineAPI", "RedlineWeb", "RedlineCore", "RedlineStorage", "RedlineConverter", "RedlineWorker", "RedlineEngine",
                "RedlineObservability", "RedlinePostgres", "RedlineS3", "RedlineRedis", "RedlineBenchmark",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "RedlineEngineTests", dependencies: ["RedlineEngine", "RedlinePDF"], swiftSettings: swiftSettings),
        .testTarget(name: "RedlineBenchmarkTests", dependencies: ["RedlineBenchmark", "RedlineEngine"], swiftSettings: swiftSettings),
        .testTarget(name: "RedlineExportTests", dependencies: ["RedlineExport", "RedlineEngine", "RedlinePDF"], swiftSettings: swiftSettings),
        .testTarget(name: "RedlineCoreTests", dependencies: ["RedlineCore"], swiftSettings: swiftSettings),
        .testTarget(name: "RedlineConverterTests", dependencies: ["RedlineConverter", "RedlineCore", "RedlinePDF"], swiftSettings: swiftSettings),
        // Storage behaviours against SQLite and (when a server is configured) PostgreSQL.
        .testTarget(
            name: "RedlineStorageTests",
            dependencies: ["RedlineStorage", "RedlineCore", "RedlinePostgres", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RedlineS3Tests",
            dependencies: ["RedlineS3", "RedlineCore", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RedlineRedisTests",
            dependencies: [
                "RedlineRedis", "RedlineCore", .product(name: "Logging", package: "swift-log"), .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RedlineWebTests",
            dependencies: [
                "RedlineWeb", "RedlineAPI", "RedlineStorage", "RedlineConverter", "RedlineWorker", "RedlineCore",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RedlineAPITests",
            dependencies: [
                "RedlineAPI", "RedlineStorage", "RedlineConverter", "RedlineWorker", "RedlineCore",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
