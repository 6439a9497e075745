import ArgumentParser
import Foundation
import Hummingbird
import Logging
import RedlineAPI
import RedlineWeb
import RedlineConverter
import RedlineCore
import RedlineStorage
import RedlineWorker
import RedlineObservability
import RedlinePostgres
import RedlineRedis
import ServiceLifecycle

/// Builds each role's service from the backends.
struct Roles {
    let backends: Backends
    let logger: Logger
    let fetcher: SafeSourceFetcher
    /// The in-process LibreOffice pool, when Office files are converted here (no `REDLINE_CONVERTER_URL`).
    let officePool: OfficePool?
    /// Redis/Valkey when `REDLINE_REDIS_URL` is set: shared rate limits and change-details cache.
    let redis: RedisClient?

    init(backends: Backends, logger: Logger) {
        let configuration = backends.configuration
        self.backends = backends
        self.logger = logger
        self.fetcher = SafeSourceFetcher(
            policy: AddressPolicy(allowlist: configuration.fetchAllowlist), timeout: TimeInterval(configuration.fetchTimeoutSeconds))
        if configuration.converterURL == nil {
            officePool = makeOfficePool(configuration, logger: logger)
        } else {
            officePool = nil
        }
        redis = configuration.redisURL.flatMap { url in
            do {
                return RedisClient(configuration: try RedisConfiguration(url: url), logger: logger)
            } catch {
                logger.error("REDLINE_REDIS_URL is not usable; continuing without Redis", metadata: ["error": "\(error)"])
                return nil
            }
        }
    }

    var rateLimiter: any RateLimiter { redis.map { RedisRateLimiter(client: $0) } ?? InMemoryRateLimiter() }
    var cache: any Cache { redis.map { RedisCache(client: $0) } ?? InMemoryCache(maxEntries: 256) }

    /// Releases connections held outside the service group.
    func shutdown() async {
        try? await fetcher.shutdown()
        await redis?.close()
    }

    /// The services that keep the in-process converter warm.
    func converterServices() -> [any Service] {
        officePool.map { [OfficePoolService(pool: $0)] } ?? []
    }

    /// Converts to PDF in-process or through the converter role; identical inputs convert once.
    var converter: any DocumentConverter {
        let configuration = backends.configuration
        let inner: any DocumentConverter =
            if let url = configuration.converterURL {
                RemoteDocumentConverter(baseURL: url, timeout: TimeInterval(configuration.converterTimeoutSeconds))
            } else {
                BasicDocumentConverter(office: officePool)
            }
        return CachingDocumentConverter(inner: inner, blobs: backends.blobs, variant: configuration.trackedChanges)
    }

    var comparisonService: ComparisonService<SQLComparisonRepository, AnyBlobStore> {
        ComparisonService(
            comparisons: backends.comparisonRepository, blobs: backends.blobs, fetcher: fetcher,
            maxFileBytes: backends.configuration.maxFileBytes, cache: cache, logger: logger,
            settings: SQLAccountSettingsRepository(database: backends.database))
    }

    func apiDependencies() -> APIDependencies<SQLAccountRepository, SQLComparisonRepository, SQLExportRepository, AnyBlobStore> {
        APIDependencies(
            accounts: backends.accountService, comparisons: comparisonService,
            exports: ExportService(exports: backends.exportRepository, comparisons: backends.comparisonRepository, links: backends.downloadLinks),
            publicURL: backends.configuration.publicURL, frameAncestors: backends.configuration.frameAncestors,
            readinessChecks: readinessChecks(includingQueue: false), metrics: MetricsRegistry.exposition,
            corsOrigins: backends.configuration.corsOrigins, rateLimiter: rateLimiter,
            rateLimitPerMinute: backends.configuration.rateLimitPerMinute,
            shares: SQLShareLinkRepository(database: backends.database),
            accountSettings: SQLAccountSettingsRepository(database: backends.database))
    }

    /// Web sessions live in Redis when it is configured (shared, expiring by TTL), else in the database.
    var sessionStore: any SessionStore {
        redis.map { RedisSessionStore(client: $0) } ?? SQLSessionStore(database: backends.database)
    }

    /// The router of `serve`: API, viewer and (unless `REDLINE_WEB=off`) the web app.
    func serveRouter() throws -> Router<RedlineRequestContext> {
        let configuration = backends.configuration
        var api = apiDependencies()
        api.docsAtRoot = !configuration.webEnabled
        let router = buildRouter(api)
        guard configuration.webEnabled else { return router }
        let database = backends.database
        try addWebRoutes(
            to: router,
            WebDependencies(
                users: backends.userService(sessions: sessionStore, logger: logger), comparisons: comparisonService,
                shares: SQLShareLinkRepository(database: database), settings: SQLAccountSettingsRepository(database: database),
                usage: SQLUsageRepository(database: database), rateLimiter: rateLimiter,
                loginAttemptsPerMinute: configuration.loginAttemptsPerMinute, secret: backends.secret, publicURL: configuration.publicURL,
                installationMaxPages: configuration.maxPages, installationFrameAncestors: configuration.frameAncestors))
        return router
    }

    /// What `/readyz` checks: the database answers, blob storage takes writes, and for workers the queue can be read.
    func readinessChecks(includingQueue: Bool) -> [@Sendable () async -> String?] {
        let database = backends.database
        let blobs = backends.blobs
        let queue = backends.queue
        var checks: [@Sendable () async -> String?] = [
            { await probe("database unreachable") { _ = try await database.query("SELECT 1 AS ok") } },
            { await probe("blob storage not writable") { try await blobs.put("health/probe", data: Data("ok".utf8)) } },
        ]
        if includingQueue {
            checks.append { await probe("job queue unreadable") { _ = try await queue.stats() } }
        }
        return checks
    }

    func worker() -> JobWorker {
        let configuration = backends.configuration
        let comparisons = ComparisonProcessor(
            comparisons: backends.comparisonRepository, blobs: backends.blobs, queue: backends.queue,
            converter: converter, fetcher: fetcher, maxFileBytes: configuration.maxFileBytes,
            maxPages: configuration.maxPages, logger: logger, settings: SQLAccountSettingsRepository(database: backends.database))
        let exports = ExportProcessor(
            exports: backends.exportRepository, comparisons: backends.comparisonRepository, blobs: backends.blobs,
            queue: backends.queue, logger: logger)
        return JobWorker(
            handlers: [.compare: comparisons, .export: exports], queue: backends.queue,
            concurrency: configuration.workerConcurrency, lease: TimeInterval(configuration.jobLeaseSeconds), logger: logger)
    }

    func scheduler() -> ExpiryScheduler<SQLComparisonRepository, AnyBlobStore> {
        let election: any LeaderElection =
            if let postgres = backends.database as? PostgresDatabase {
                PostgresLeaderElection(database: postgres, key: PostgresLeaderElection.schedulerKey)
            } else {
                SoleLeader()
            }
        return ExpiryScheduler(
            comparisons: backends.comparisonRepository, blobs: backends.blobs,
            interval: TimeInterval(backends.configuration.schedulerIntervalSeconds), election: election, logger: logger)
    }
}

/// A LibreOffice pool from the configuration, or nil (with a notice) when LibreOffice is not installed.
func makeOfficePool(_ configuration: RedlineConfiguration, logger: Logger) -> OfficePool? {
    guard let soffice = OfficeLocator.soffice(), let python = OfficeLocator.python() else {
        logger.notice("LibreOffice not found: Office documents will fail with a message; PDF and TXT work")
        return nil
    }
    var options = OfficePoolOptions()
    options.size = configuration.converterPoolSize
    options.maxConversionsPerProcess = configuration.converterMaxConversions
    options.conversionTimeout = TimeInterval(configuration.converterTimeoutSeconds)
    options.trackedChanges = configuration.trackedChanges
    options.maxPages = configuration.maxPages
    return try? OfficePool(options: options, soffice: soffice, python: python, logger: logger)
}


/// Runs one readiness check with a time limit (a probe must answer quickly even when a backend
/// hangs or retries): nil when it succeeds in time, `problem` otherwise.
func probe(_ problem: String, within seconds: Double = 3, _ check: @escaping @Sendable () async throws -> Void) async -> String? {
    await withTaskGroup(of: Bool.self) { group in
        group.addTask { (try? await check()) != nil }
        group.addTask {
            try? await Task.sleep(for: .seconds(seconds))
            return false
        }
        let passed = await group.next() ?? false
        group.cancelAll()
        return passed ? nil : "\(problem) (or no answer within \(Int(seconds)) s)"
    }
}
