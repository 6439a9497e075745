import Foundation
import Logging
import NIOCore
import SQLiteNIO

/// The embedded database: one SQLite file in WAL mode behind one connection.
///
/// Every statement and transaction is serialised through an async lock, which is what SQLite
/// wants from a single writer and keeps transactions from interleaving.
public final class SQLiteDatabase: SQLDatabase {
    public let dialect = SQLDialect.sqlite
    private let connection: SQLiteConnection
    private let lock = AsyncLock()

    private init(connection: SQLiteConnection) {
        self.connection = connection
    }

    /// Opens (creating if needed) the database at `path`; `nil` opens a private in-memory database.
    public static func open(path: String?, logger: Logger) async throws -> SQLiteDatabase {
        let storage: SQLiteConnection.Storage = path.map { .file(path: $0) } ?? .memory
        let connection = try await SQLiteConnection.open(storage: storage, logger: logger)
        let database = SQLiteDatabase(connection: connection)
        if path != nil {
            _ = try await connection.query("PRAGMA journal_mode=WAL", [])
        }
        _ = try await connection.query("PRAGMA foreign_keys=ON", [])
        _ = try await connection.query("PRAGMA busy_timeout=5000", [])
        return database
    }

    public func close() async throws {
        try await lock.withLock { try await connection.close() }
    }

    public func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        try await lock.withLock { try await Self.run(connection, sql, binds) }
    }

    public func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await lock.withLock {
            _ = try await Self.run(connection, "BEGIN IMMEDIATE", [])
            do {
                let result = try await body(Transaction(connection: connection))
                _ = try await Self.run(connection, "COMMIT", [])
                return result
            } catch {
                _ = try? await Self.run(connection, "ROLLBACK", [])
                throw error
            }
        }
    }

    /// The handle a transaction body uses: runs on the locked connection directly.
    private struct Transaction: SQLDatabase {
        let dialect = SQLDialect.sqlite
        let connection: SQLiteConnection

        func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
            try await SQLiteDatabase.run(connection, sql, binds)
        }

        func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
            try await body(self)
        }
    }

    static func run(_ connection: SQLiteConnection, _ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        let sqliteBinds: [SQLiteData] = binds.map {
            switch $0 {
            case .null: .null
            case .int(let v): .integer(Int(v))
            case .double(let v): .float(v)
            case .text(let s): .text(s)
            case .blob(let d): .blob(ByteBuffer(bytes: d))
            }
        }
        do {
            let rows = try await connection.query(sql, sqliteBinds)
            return rows.map { row in
                var values: [String: SQLValue] = [:]
                for column in row.columns {
                    values[column.name] =
                        switch column.data {
                        case .null: .null
                        case .integer(let v): .int(Int64(v))
                        case .float(let v): .double(v)
                        case .text(let s): .text(s)
                        case .blob(var buffer): .blob(Data(buffer.readBytes(length: buffer.readableBytes) ?? []))
                        }
                }
                return SQLRow(values: values)
            }
        } catch let error as SQLiteError where error.reason == .constraintUniqueFailed || error.reason == .constraintPrimaryKeyFailed {
            throw SQLUniqueViolation(message: error.message)
        }
    }
}
