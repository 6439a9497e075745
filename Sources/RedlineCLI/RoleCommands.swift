import ArgumentParser
import Foundation
import Hummingbird
import Logging
import RedlineAPI
import RedlineConverter
import RedlineCore
import RedlineObservability
import ServiceLifecycle
import UnixSignals

/// `redline worker`: runs comparison jobs from the queue (probes and metrics on its HTTP port).
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "worker", abstract: "Run comparison jobs from the queue.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var listen: ListenOptions

    func run() async throws {
        var configuration = try store.configuration()
        listen.apply(to: &configuration)
        try await RoleRunner.run(configuration, role: "worker", migrate: false) { roles in
            (buildProbeRouter(readinessChecks: roles.readinessChecks(includingQueue: true), metrics: MetricsRegistry.exposition),
             roles.converterServices() + [roles.worker()])
        }
    }
}

/// `redline scheduler`: deletes expired comparisons (probes and metrics on its HTTP port).
struct SchedulerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "scheduler", abstract: "Delete expired comparisons on a schedule.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var listen: ListenOptions

    func run() async throws {
        var configuration = try store.configuration()
        listen.apply(to: &configuration)
        try await RoleRunner.run(configuration, role: "scheduler", migrate: false) { roles in
            (buildProbeRouter(readinessChecks: roles.readinessChecks(includingQueue: false), metrics: MetricsRegistry.exposition),
             [roles.scheduler()])
        }
    }
}

/// `redline converter`: the Office→PDF role with its warm LibreOffice pool.
struct ConverterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "converter", abstract: "Run the Office-to-PDF converter role (a warm LibreOffice pool behind HTTP).")

    @OptionGroup var store: StoreOptions
    @Option(name: .long, help: "Address to listen on (env REDLINE_HOST, default 127.0.0.1).") var host: String?
    @Option(name: .long, help: "Port to listen on (default 8081).") var port: Int = 8081

    func run() async throws {
        let configuration = try store.configuration()
        let tracing = try RoleRunner.bootstrapObservability(configuration, role: "converter")
        let logger = configuration.logger
        guard let pool = makeOfficePool(configuration, logger: logger) else {
            throw ValidationError("LibreOffice (soffice) and python3-uno are required for the converter role.")
        }
        let app = Application(
            router: buildConverterRouter(pool: pool, maxFileBytes: configuration.maxFileBytes, metrics: MetricsRegistry.exposition),
            configuration: .init(address: .hostname(host ?? configuration.host, port: port), serverName: "Redline converter"),
            services: tracing + [OfficePoolService(pool: pool)], logger: logger)
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }
}

/// The life of a role process: observability, backends, an HTTP server with the role's services,
/// graceful shutdown on SIGTERM/SIGINT, then orderly release of connections.
enum RoleRunner {
    /// Logging, metrics and, when configured, tracing. Returns the trace exporter service (or
    /// nothing): it goes first in the service group so it shuts down last and flushes every span.
    static func bootstrapObservability(_ configuration: RedlineConfiguration, role: String) throws -> [any Service] {
        LoggingSetup.bootstrap(json: configuration.logFormat == "json", level: Logger.Level(rawValue: configuration.logLevel) ?? .info)
        MetricsRegistry.bootstrap()
        guard configuration.tracing == "otlp" else { return [] }
        return [try TracingSetup.bootstrap(serviceName: "redline-\(role)", endpoint: configuration.otlpEndpoint, logger: configuration.logger)]
    }

    /// - Parameter role: names the process in traces (`redline-<role>`).
    static func run(
        _ configuration: RedlineConfiguration, role: String, migrate: Bool,
        _ build: (Roles) throws -> (Router<RedlineRequestContext>, [any Service])
    ) async throws {
        let tracing = try bootstrapObservability(configuration, role: role)
        let logger = configuration.logger
        let backends = try await Backends.open(configuration, migrate: migrate, logger: logger)
        let roles = Roles(backends: backends, logger: logger)
        let (router, services) = try build(roles)
        let app = Application(
            router: router, configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Redline"),
            services: tracing + services, logger: logger)
        logger.info("redline listening", metadata: ["address": "http://\(configuration.host):\(configuration.port)"])
        do {
            try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
        } catch {
            await roles.shutdown()
            await backends.close()
            throw error
        }
        await roles.shutdown()
        await backends.close()
    }
}
