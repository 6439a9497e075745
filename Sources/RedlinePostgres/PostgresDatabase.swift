import Foundation
import Logging
import PostgresNIO
import RedlineCore
import RedlineStorage

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

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// A pool for `url` (`postgres://user:pass@host:port/db?sslmode=…`) of up to `maximumConnections`.
    public convenience init(url: String, maximumConnections: Int = 20, logger: Logger) throws {
        var configuration = try Self.configuration(fromURL: url)
        configuration.options.maximumConnections = maximumConnections
        self.init(client: PostgresClient(configuration: configuration, backgroundLogger: logger), logger: logger)
    }

    /// Runs the connection pool until the task is cancelled (or graceful shutdown, under a ServiceGroup).
    public func run() async {
        await client.run()
    }

    @discardableResult
    public func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        try await Self.mapErrors {
            try await client.withConnection { connection in
                try await Self.run(connection, sql, binds, logger: self.logger)
            }
        }
    }

    /// Runs `body` on one leased connection between BEGIN and COMMIT (ROLLBACK if it throws).
    public func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await Self.mapErrors {
            try await client.withConnection { connection in
                let handle = PostgresConnectionDatabase(connection: connection, logger: self.logger)
                try await Self.run(connection, "BEGIN", [], logger: self.logger)
                do {
                    let result = try await body(handle)
                    try await Self.run(connection, "COMMIT", [], logger: self.logger)
                    return result
                } catch {
                    _ = try? await Self.run(connection, "ROLLBACK", [], logger: self.logger)
                    throw error
                }
            }
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

/// The handle a transaction body runs on: every statement goes to the transaction's connection.
struct PostgresConnectionDatabase: SQLDatabase {
    let dialect = SQLDialect.postgres
    let connection: PostgresConnection
    let logger: Logger

    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        try await PostgresDatabase.run(connection, sql, binds, logger: logger)
    }

    /// Nested transactions join the outer one.
    func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await body(self)
    }
}
