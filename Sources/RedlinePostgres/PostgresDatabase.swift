import Foundation
import Logging
import PostgresNIO
import RedlineCore
import RedlineStorage
import Synchronization

/// The production database: PostgreSQL behind the same `SQLDatabase` seam the SQLite backend
/// implements, so the SQL repositories and the job queue run unchanged on both.
///
/// Statements go through `client`, a `PostgresClient` connection pool. The pool only hands out
/// connections while `client.run()` runs: add `client` (it is a ServiceLifecycle `Service`) to the
/// ServiceGroup, or call `run()` in a long-lived task.
public final class PostgresDatabase: SQLDatabase {
    public let dialect = SQLDialect.postgres
    public let client: PostgresClient
    let logger: Logger
    /// How long a statement may wait for a pooled connection. While PostgreSQL is away the pool
    /// keeps reconnecting and would hold every request until it is back; past this wait the
    /// statement fails as transient instead (503 for the API, a retry for jobs).
    let connectionWait: Duration

    public init(client: PostgresClient, connectionWait: Duration = .seconds(5), logger: Logger) {
        self.client = client
        self.connectionWait = connectionWait
        self.logger = logger
    }

    /// A pool for `url` (`postgres://user:pass@host:port/db?sslmode=…`) of up to `maximumConnections`.
    public convenience init(url: String, maximumConnections: Int = 20, connectionWait: Duration = .seconds(5), logger: Logger) throws {
        var configuration = try Self.configuration(fromURL: url)
        configuration.options.maximumConnections = maximumConnections
        self.init(
            client: PostgresClient(configuration: configuration, backgroundLogger: logger), connectionWait: connectionWait, logger: logger)
    }

    /// Runs the connection pool until the task is cancelled (or graceful shutdown, under a ServiceGroup).
    public func run() async {
        await client.run()
    }

    @discardableResult
    public func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        try await Self.mapErrors {
            try await withLeasedConnection { connection in
                try await Self.run(connection, sql, binds, logger: self.logger)
            }
        }
    }

    /// Runs `body` on one leased connection between BEGIN and COMMIT (ROLLBACK if it throws).
    public func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await Self.mapErrors {
            try await withoutActuallyEscaping(body) { body in
                try await withLeasedConnection { connection in
                    try await PostgresConnectionDatabase(connection: connection, logger: self.logger, inTransaction: false).transaction(body)
                }
            }
        }
    }

    /// Runs `body` on a pooled connection, giving up (as transient) when none is handed out within
    /// `connectionWait`. Only the wait is bounded: once leased, a statement takes as long as it takes.
    func withLeasedConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let leased = LeaseFlag()
        let wait = connectionWait
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await self.client.withConnection { connection in
                    leased.set()
                    return try await body(connection)
                }
            }
            group.addTask {
                try await Task.sleep(for: wait)
                if !leased.isSet {
                    throw RedlineError.transient("The database did not hand out a connection within \(wait); it may be restarting. Retry shortly.")
                }
                return nil
            }
            while let next = try await group.next() {
                if let value = next {
                    group.cancelAll()
                    return value
                }
            }
            throw CancellationError()
        }
    }

    static func inTransaction<T: Sendable>(
        _ connection: PostgresConnection, logger: Logger, _ body: @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        let handle = PostgresConnectionDatabase(connection: connection, logger: logger, inTransaction: true)
        try await run(connection, "BEGIN", [], logger: logger)
        do {
            let result = try await body(handle)
            try await run(connection, "COMMIT", [], logger: logger)
            return result
        } catch {
            _ = try? await run(connection, "ROLLBACK", [], logger: logger)
            throw error
        }
    }

    /// Runs one statement on `connection`, translating placeholders and values.
    @discardableResult
    static func run(_ connection: PostgresConnection, _ sql: String, _ binds: [SQLValue], logger: Logger) async throws -> [SQLRow] {
        let translated = PostgresPlaceholders.translate(sql).sql
        let query = PostgresQuery(unsafeSQL: translated, binds: PostgresValues.bindings(binds))
        do {
            var rows: [SQLRow] = []
            for try await row in try await connection.query(query, logger: logger) {
                rows.append(try PostgresValues.row(row))
            }
            return rows
        } catch let error as PSQLError {
            throw PostgresErrors.translate(error)
        }
    }

    /// Pool-level failures (no connection) surface as `RedlineError.transient`.
    static func mapErrors<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PSQLError {
            throw PostgresErrors.translate(error)
        }
    }
}

/// Set once a connection has been handed out (shared by the wait's two racing tasks).
final class LeaseFlag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}

/// Statements on one leased connection: a transaction body's handle (nested transactions join
/// the outer one), or the migration connection that holds the advisory lock.
struct PostgresConnectionDatabase: SQLDatabase {
    let dialect = SQLDialect.postgres
    let connection: PostgresConnection
    let logger: Logger
    let inTransaction: Bool

    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        try await PostgresDatabase.run(connection, sql, binds, logger: logger)
    }

    func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        if inTransaction { return try await body(self) }
        return try await PostgresDatabase.inTransaction(connection, logger: logger, body)
    }
}
