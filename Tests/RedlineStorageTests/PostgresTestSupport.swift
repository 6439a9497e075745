import Foundation
import Logging
import RedlineCore
import RedlinePostgres
import RedlineStorage
import Testing

/// The server under test, from `REDLINE_TEST_POSTGRES_URL` (suites are skipped when unset).
enum TestPostgres {
    static let url = ProcessInfo.processInfo.environment["REDLINE_TEST_POSTGRES_URL"]
    static var isConfigured: Bool { url?.isEmpty == false }
    static let logger: Logger = {
        var logger = Logger(label: "redline.postgres.test")
        logger.logLevel = .error
        return logger
    }()

    /// Runs `body` against a brand-new database (created and dropped around it), so tests can run
    /// in parallel without seeing each other's rows.
    static func withDatabase<T: Sendable>(
        maximumConnections: Int = 6, _ body: @Sendable (PostgresDatabase, String) async throws -> T
    ) async throws -> T {
        let adminURL = try #require(url)
        let name = "redline_test_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16))"
        let admin = try PostgresDatabase(url: adminURL, maximumConnections: 1, logger: logger)
        return try await withRunning(admin) {
            try await admin.query("CREATE DATABASE \(name)")
            let databaseURL = replaceDatabase(in: adminURL, with: name)
            let database = try PostgresDatabase(url: databaseURL, maximumConnections: maximumConnections, logger: logger)
            let result: Result<T, any Error>
            do {
                result = .success(try await withRunning(database) { try await body(database, databaseURL) })
            } catch {
                result = .failure(error)
            }
            _ = try? await admin.query("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            return try result.get()
        }
    }

    /// Runs the pool for the duration of `body`.
    static func withRunning<T: Sendable>(_ database: PostgresDatabase, _ body: () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await database.run() }
            defer { group.cancelAll() }
            return try await body()
        }
    }

    static func replaceDatabase(in url: String, with name: String) -> String {
        var components = URLComponents(string: url)!
        components.path = "/\(name)"
        return components.string!
    }

    /// Schema applied and one account, like the SQLite tests' `makeStore`.
    static func makeStore(_ database: PostgresDatabase, maxAttempts: Int = 3) async throws
        -> (SQLComparisonRepository, SQLJobQueue, SQLAccountRepository)
    {
        try await database.migrateWithLock()
        let signal = AsyncSignal()
        let accounts = SQLAccountRepository(database: database)
        try await accounts.insert(
            Account(id: "acct", name: "Test", tokenHash: "hash", sealedToken: Data([1, 2, 3]), createdAt: Timestamp.now()))
        return (
            SQLComparisonRepository(database: database, maxAttempts: maxAttempts, workSignal: signal),
            SQLJobQueue(database: database, workSignal: signal), accounts
        )
    }
}
