import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOFoundationCompat
import RedlineAPI
import RedlineConverter
import RedlineCore
import RedlineStorage
import RedlineWeb
import RedlineWorker

/// An embedded Redline with the web app (in-memory SQLite, temporary blobs, real bcrypt at a low cost).
struct WebTestEnvironment {
    let database: SQLiteDatabase
    let blobs: LocalBlobStore
    let accounts: AccountService<SQLAccountRepository>
    let users: UserService<SQLUserRepository, SQLAccountRepository>
    let comparisons: SQLComparisonRepository
    let queue: SQLJobQueue
    let fetcher: SafeSourceFetcher
    let settings: SQLAccountSettingsRepository
    let loginAttemptsPerMinute: Int

    static let secret = Data(String(repeating: "w", count: 32).utf8)
    static let password = "correct horse battery"

    static func make(loginAttemptsPerMinute: Int = 100) async throws -> WebTestEnvironment {
        let logger = Logger(label: "test")
        let database = try await SQLiteDatabase.open(path: nil, logger: logger)
        try await Migrator(database: database).migrate()
        let signal = AsyncSignal()
        let accounts = AccountService(accounts: SQLAccountRepository(database: database), sealer: TokenSealer(secret: secret))
        let users = UserService(
            users: SQLUserRepository(database: database), sessions: SQLSessionStore(database: database), accounts: accounts,
            hasher: BcryptPasswordHasher(cost: 4), logger: logger)
        return WebTestEnvironment(
            database: database,
            blobs: try LocalBlobStore(root: FileManager.default.temporaryDirectory.appendingPathComponent("redline-web-\(UUID().uuidString)")),
            accounts: accounts, users: users,
            comparisons: SQLComparisonRepository(database: database, maxAttempts: 3, workSignal: signal),
            queue: SQLJobQueue(database: database, workSignal: signal),
            fetcher: SafeSourceFetcher(policy: AddressPolicy(allowlist: []), timeout: 5),
            settings: SQLAccountSettingsRepository(database: database), loginAttemptsPerMinute: loginAttemptsPerMinute)
    }

    var service: ComparisonService<SQLComparisonRepository, LocalBlobStore> {
        ComparisonService(comparisons: comparisons, blobs: blobs, fetcher: fetcher, maxFileBytes: 5_000_000, logger: Logger(label: "test"), settings: settings)
    }

    func application() throws -> some ApplicationProtocol {
        let exports = ExportService(
            exports: SQLExportRepository(database: database, maxAttempts: 3, workSignal: AsyncSignal()), comparisons: comparisons,
            links: DownloadLinkSigner(secret: Self.secret))
        let shares = SQLShareLinkRepository(database: database)
        var api = APIDependencies(
            accounts: accounts, comparisons: service, exports: exports, frameAncestors: "'self'", shares: shares, accountSettings: settings)
        api.docsAtRoot = false
        let router = buildRouter(api)
        try addWebRoutes(
            to: router,
            WebDependencies(
                users: users, comparisons: service, shares: shares, settings: settings, usage: SQLUsageRepository(database: database),
                rateLimiter: InMemoryRateLimiter(), loginAttemptsPerMinute: loginAttemptsPerMinute, secret: Self.secret, publicURL: nil,
                installationMaxPages: 100, installationFrameAncestors: "'self'"))
        return Application(router: router)
    }

    /// An account with an admin (signed-in by the caller) — what the first-run page creates.
    func makeAdmin(email: String = "admin@example.com") async throws -> User {
        try await users.setUp(accountName: "Acme", email: email, name: "Admin", password: Self.password)
    }

    func makeUser(accountID: String, email: String, role: UserRole) async throws -> User {
        try await users.create(accountID: accountID, email: email, name: email, role: role, password: Self.password).0
    }

    /// Runs every queued job to completion, as the worker would.
    func drainQueue() async throws {
        let processor = ComparisonProcessor(
            comparisons: comparisons, blobs: blobs, queue: queue, converter: BasicDocumentConverter(office: nil), fetcher: fetcher,
            maxFileBytes: 5_000_000, maxPages: 100, logger: Logger(label: "test"), settings: settings)
        while let job = try await queue.claim(workerID: "test", lease: 60) { await processor.process(job) }
    }

    func tearDown() async throws {
        try await fetcher.shutdown()
        try await database.close()
        try? FileManager.default.removeItem(at: blobs.root)
    }
}

/// A browser's view of the app: cookies kept between requests, forms posted with their CSRF token.
struct Browser {
    let client: any TestClientProtocol
    var cookies: [String: String] = [:]
    var headers: HTTPFields = [:]

    init(_ client: any TestClientProtocol) { self.client = client }

    mutating func get(_ uri: String) async throws -> TestResponse {
        try await send(uri, method: .get, body: nil, contentType: nil)
    }

    /// Posts url-encoded fields.
    mutating func post(_ uri: String, _ fields: [String: String]) async throws -> TestResponse {
        let body = fields.map { "\(Self.encode($0.key))=\(Self.encode($0.value))" }.joined(separator: "&")
        return try await send(uri, method: .post, body: ByteBuffer(string: body), contentType: "application/x-www-form-urlencoded")
    }

    /// Posts a form after reading its page for the CSRF token (as a person submitting it would).
    mutating func submit(page: String, to uri: String, _ fields: [String: String]) async throws -> TestResponse {
        let form = try await get(page)
        var fields = fields
        fields["csrf"] = Self.csrf(in: form.text)
        return try await post(uri, fields)
    }

    mutating func send(_ uri: String, method: HTTPRequest.Method, body: ByteBuffer?, contentType: String?, extra: HTTPFields = [:])
        async throws -> TestResponse
    {
        var headers = self.headers
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        if let contentType { headers[.contentType] = contentType }
        for field in extra { headers[field.name] = field.value }
        let response = try await client.execute(uri: uri, method: method, headers: headers, body: body)
        for value in response.headers[values: .setCookie] {
            let pair = value.split(separator: ";")[0].split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { continue }
            if value.contains("Max-Age=0") { cookies[pair[0]] = nil } else { cookies[pair[0]] = pair[1] }
        }
        return response
    }

    mutating func signIn(_ email: String, password: String = WebTestEnvironment.password) async throws -> TestResponse {
        try await submit(page: "/login", to: "/login", ["email": email, "password": password])
    }

    static func csrf(in html: String) -> String {
        guard let range = html.range(of: #"name="csrf" value="([^"]*)""#, options: .regularExpression) else { return "" }
        return String(html[range]).replacingOccurrences(of: #"name="csrf" value=""#, with: "").replacingOccurrences(of: "\"", with: "")
    }

    static func encode(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? s
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    var location: String { headers[.location] ?? "" }
}
