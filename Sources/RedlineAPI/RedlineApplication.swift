import Foundation
import Hummingbird
import Logging
import RedlineCore
import ServiceLifecycle

/// Everything the HTTP layer needs, injected as protocol-typed generics.
public struct APIDependencies<
    Accounts: AccountRepository, Comparisons: ComparisonRepository, Exports: ExportRepository, Blobs: BlobStore
>: Sendable {
    public var accounts: AccountService<Accounts>
    public var comparisons: ComparisonService<Comparisons, Blobs>
    public var exports: ExportService<Exports, Comparisons>
    /// `REDLINE_PUBLIC_URL`: the external base URL for links in API responses; nil derives it from the request.
    public var publicURL: String?
    public var frameAncestors: String
    public var readinessChecks: [@Sendable () async -> String?]
    public var metrics: @Sendable () -> String
    /// Origins allowed to call the API from a browser (`REDLINE_CORS_ORIGINS`); empty: no CORS headers.
    public var corsOrigins: [String]
    /// Per-account request budget (`REDLINE_RATE_LIMIT_PER_MINUTE`), shared through Redis when configured.
    public var rateLimiter: any RateLimiter
    public var rateLimitPerMinute: Int
    /// The web app's share links and per-account viewer settings, honoured by the viewer.
    public var shares: (any ShareLinkRepository)?
    public var accountSettings: (any AccountSettingsRepository)?
    /// False when the web app owns `/`.
    public var docsAtRoot = true

    public init(
        accounts: AccountService<Accounts>, comparisons: ComparisonService<Comparisons, Blobs>,
        exports: ExportService<Exports, Comparisons>, publicURL: String? = nil, frameAncestors: String,
        readinessChecks: [@Sendable () async -> String?] = [], metrics: @escaping @Sendable () -> String = { "" },
        corsOrigins: [String] = [], rateLimiter: any RateLimiter = InMemoryRateLimiter(), rateLimitPerMinute: Int = 600,
        shares: (any ShareLinkRepository)? = nil, accountSettings: (any AccountSettingsRepository)? = nil
    ) {
        self.shares = shares
        self.accountSettings = accountSettings
        self.accounts = accounts
        self.comparisons = comparisons
        self.exports = exports
        self.publicURL = publicURL
        self.frameAncestors = frameAncestors
        self.readinessChecks = readinessChecks
        self.metrics = metrics
        self.corsOrigins = corsOrigins
        self.rateLimiter = rateLimiter
        self.rateLimitPerMinute = rateLimitPerMinute
    }
}

/// Builds the router: probes, docs, the Draftable v1 API under `/api/v1` and the viewer.
public func buildRouter<A, C, E, B>(_ deps: APIDependencies<A, C, E, B>) -> Router<RedlineRequestContext> {
    let router = Router(context: RedlineRequestContext.self)
    // A server span per request (continuing an incoming `traceparent`); a no-op unless tracing is on.
    router.add(middleware: TracingMiddleware())
    router.add(middleware: MetricsMiddleware())
    if !deps.corsOrigins.isEmpty { router.add(middleware: AllowedOriginsMiddleware(origins: deps.corsOrigins)) }
    router.add(middleware: ErrorMiddleware())
    SystemController(readinessChecks: deps.readinessChecks, metrics: deps.metrics, docsAtRoot: deps.docsAtRoot).addRoutes(to: router)
    let api = router.group("api/v1")
    ViewerController(
        accounts: deps.accounts, comparisons: deps.comparisons.comparisons, blobs: deps.comparisons.blobs,
        frameAncestors: deps.frameAncestors, shares: deps.shares, settings: deps.accountSettings
    ).addRoutes(to: api)
    let authenticated = api.group()
        .add(middleware: TokenAuthMiddleware(accounts: deps.accounts))
        .add(middleware: RateLimitMiddleware(limiter: deps.rateLimiter, perMinute: deps.rateLimitPerMinute))
    ComparisonController(service: deps.comparisons, maxBodyBytes: 2 * deps.comparisons.maxFileBytes + 1_000_000)
        .addRoutes(to: authenticated)
    ExportController(service: deps.exports, blobs: deps.comparisons.blobs, publicURL: deps.publicURL)
        .addRoutes(authenticated: authenticated, public: api)
    return router
}

/// Builds the HTTP application; `services` (worker, scheduler…) run in its service group.
public func buildApplication<A, C, E, B>(
    _ deps: APIDependencies<A, C, E, B>, host: String, port: Int, services: [any Service], logger: Logger
) -> some ApplicationProtocol {
    Application(
        router: buildRouter(deps),
        configuration: .init(address: .hostname(host, port: port), serverName: "Redline"),
        services: services,
        logger: logger
    )
}

/// The router of roles without an API (worker, scheduler): probes and metrics only.
public func buildProbeRouter(readinessChecks: [@Sendable () async -> String?], metrics: @escaping @Sendable () -> String)
    -> Router<RedlineRequestContext>
{
    let router = Router(context: RedlineRequestContext.self)
    router.add(middleware: ErrorMiddleware())
    SystemController(readinessChecks: readinessChecks, metrics: metrics).addProbes(to: router)
    return router
}
