import Foundation
import Hummingbird
import Logging
import RedlineAPI
import RedlineCore

/// Everything the web app needs, injected as protocol-typed generics like the API's dependencies.
public struct WebDependencies<
    Users: UserRepository, Accounts: AccountRepository, Comparisons: ComparisonRepository & ComparisonHistory, Blobs: BlobStore
>: Sendable {
    public var users: UserService<Users, Accounts>
    public var comparisons: ComparisonService<Comparisons, Blobs>
    public var shares: any ShareLinkRepository
    public var settings: any AccountSettingsRepository
    public var usage: any UsageRepository
    /// Sign-in attempts are limited per client address and per email (`REDLINE_LOGIN_ATTEMPTS_PER_MINUTE`).
    public var rateLimiter: any RateLimiter
    public var loginAttemptsPerMinute: Int
    /// The server secret: signs cookies.
    public var secret: Data
    /// `REDLINE_PUBLIC_URL`: links shown to people (share links); nil derives them from the request.
    public var publicURL: String?
    /// The installation's limits, shown beside the per-account ones.
    public var installationMaxPages: Int
    public var installationFrameAncestors: String

    public init(
        users: UserService<Users, Accounts>, comparisons: ComparisonService<Comparisons, Blobs>, shares: any ShareLinkRepository,
        settings: any AccountSettingsRepository, usage: any UsageRepository, rateLimiter: any RateLimiter, loginAttemptsPerMinute: Int,
        secret: Data, publicURL: String?, installationMaxPages: Int, installationFrameAncestors: String
    ) {
        self.users = users
        self.comparisons = comparisons
        self.shares = shares
        self.settings = settings
        self.usage = usage
        self.rateLimiter = rateLimiter
        self.loginAttemptsPerMinute = loginAttemptsPerMinute
        self.secret = secret
        self.publicURL = publicURL
        self.installationMaxPages = installationMaxPages
        self.installationFrameAncestors = installationFrameAncestors
    }

    var cookies: WebCookies { WebCookies(secret: secret, alwaysSecure: publicURL?.lowercased().hasPrefix("https://") ?? false) }
}

/// Adds the web app (sign-in, compare, history, sharing, administration) to the router.
public func addWebRoutes<U, A, C, B>(to router: Router<RedlineRequestContext>, _ deps: WebDependencies<U, A, C, B>) throws {
    let pages = try WebPages.load()
    let web = router.group().add(middleware: WebSessionMiddleware(users: deps.users, cookies: deps.cookies))
    router.get("assets/:file") { _, context -> Response in
        let name = try context.parameters.require("file")
        guard let data = WebAssets.data(name) else { return Responses.error(.notFound, "No such file.") }
        return Responses.bytes(
            data, contentType: StaticAssets.contentType(for: name), headers: [.cacheControl: "public, max-age=300"])
    }
    AuthController(deps: deps, pages: pages).addRoutes(to: web)
    CompareController(deps: deps, pages: pages).addRoutes(to: web)
    HistoryController(deps: deps, pages: pages).addRoutes(to: web)
    AdminController(deps: deps, pages: pages).addRoutes(to: web)
    // People who mistype an address get a page, not the API's JSON error.
    web.get("app/**") { _, context -> Response in
        pages.message("Page not found", "There is no page at this address.", context: WebContext(context), status: .notFound)
    }
}
