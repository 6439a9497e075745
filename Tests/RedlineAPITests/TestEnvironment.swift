import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOFoundationCompat
import RedlineAPI
import RedlineConverter
import RedlineCore
import RedlineStorage
import RedlineWorker

/// A complete embedded Redline (in-memory SQLite, temporary blob directory) for one test.
struct TestEnvironment {
    let database: SQLiteDatabase
    let blobs: LocalBlobStore
    let accounts: AccountService<SQLAccountRepository>
    let comparisons: SQLComparisonRepository
    let exports: SQLExportRepository
    let queue: SQLJobQueue
    let fetcher: SafeSourceFetcher
    let credentials: IssuedCredentials
    let maxFileBytes: Int

    static func make(maxFileBytes: Int = 5_000_000) async throws -> TestEnvironment {
        let logger = Logger(label: "test")
        let database = try await SQLiteDatabase.open(path: nil, logger: logger)
        try await Migrator(database: database).migrate()
        let signal = AsyncSignal()
        let accounts = AccountService(
            accounts: SQLAccountRepository(database: database), sealer: TokenSealer(secret: secret))
        let blobs = try LocalBlobStore(root: FileManager.default.temporaryDirectory.appendingPathComponent("redline-api-\(UUID().uuidString)"))
        return TestEnvironment(
            database: database, blobs: blobs, accounts: accounts,
            comparisons: SQLComparisonRepository(database: database, maxAttempts: 3, workSignal: signal),
            exports: SQLExportRepository(database: database, maxAttempts: 3, workSignal: signal),
            queue: SQLJobQueue(database: database, workSignal: signal),
            fetcher: SafeSourceFetcher(policy: AddressPolicy(allowlist: []), timeout: 5),
            credentials: try await accounts.create(name: "Test"), maxFileBytes: maxFileBytes)
    }

    var service: ComparisonService<SQLComparisonRepository, LocalBlobStore> {
        ComparisonService(comparisons: comparisons, blobs: blobs, fetcher: fetcher, maxFileBytes: maxFileBytes, logger: Logger(label: "test"))
    }

    static let secret = Data(String(repeating: "s", count: 32).utf8)

    func application() -> some ApplicationProtocol {
        let exportService = ExportService(exports: exports, comparisons: comparisons, links: DownloadLinkSigner(secret: Self.secret))
        return Application(
            router: buildRouter(APIDependencies(accounts: accounts, comparisons: service, exports: exportService, frameAncestors: "*")))
    }

    /// Runs every queued job to completion, as the worker would.
    func drainQueue() async throws {
        let handlers: [Job.Kind: any JobHandler] = [
            .compare: ComparisonProcessor(
                comparisons: comparisons, blobs: blobs, queue: queue, converter: BasicDocumentConverter(office: nil), fetcher: fetcher,
                maxFileBytes: maxFileBytes, maxPages: 100, logger: Logger(label: "test")),
            .export: ExportProcessor(exports: exports, comparisons: comparisons, blobs: blobs, queue: queue, logger: Logger(label: "test")),
        ]
        while let job = try await queue.claim(workerID: "test", lease: 60) {
            await handlers[job.kind]?.process(job)
        }
    }

    func tearDown() async throws {
        try await fetcher.shutdown()
        try await database.close()
        try? FileManager.default.removeItem(at: blobs.root)
    }

    var authorization: HTTPFields { [.authorization: "Token \(credentials.authToken)"] }

    /// Creates a comparison of two TXT uploads the way the official clients send them (dotted multipart).
    func uploadTXT(_ client: any TestClientProtocol, identifier: String, left: String, right: String, extra: [(String, String)] = [])
        async throws -> TestResponse
    {
        var form = MultipartBuilder()
        form.field("identifier", identifier)
        form.field("left.file_type", "txt")
        form.file("left.file", filename: "left.txt", Data(left.utf8))
        form.field("right.file_type", "txt")
        form.file("right.file", filename: "right.txt", Data(right.utf8))
        for (k, v) in extra { form.field(k, v) }
        var headers = authorization
        headers[.contentType] = form.contentType
        return try await client.execute(uri: "/api/v1/comparisons", method: .post, headers: headers, body: ByteBuffer(data: form.finished()))
    }
}

/// Builds multipart bodies byte for byte as the official clients do.
struct MultipartBuilder {
    let boundary = "----redline\(UUID().uuidString.prefix(8))"
    var body = Data()

    mutating func field(_ name: String, _ value: String) {
        body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
    }

    mutating func file(_ name: String, filename: String, _ data: Data) {
        body.append(
            Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(filename)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8))
        body.append(data)
        body.append(Data("\r\n".utf8))
    }

    func finished() -> Data { body + Data("--\(boundary)--\r\n".utf8) }
    var contentType: String { "multipart/form-data; boundary=\(boundary)" }
}

extension TestResponse {
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
    }
    var text: String { String(buffer: body) }
}
