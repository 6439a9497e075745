import Foundation

/// A value bound to or read from SQL.
public enum SQLValue: Sendable, Equatable {
    case null
    case int(Int64)
    case double(Double)
    case text(String)
    case blob(Data)

    public var int: Int64? {
        switch self {
        case .int(let v): v
        case .double(let v): Int64(v)
        case .text(let s): Int64(s)
        default: nil
        }
    }
    public var string: String? {
        switch self {
        case .text(let s): s
        case .int(let v): String(v)
        case .double(let v): String(v)
        case .blob(let d): String(decoding: d, as: UTF8.self)
        case .null: nil
        }
    }
    public var data: Data? {
        switch self {
        case .blob(let d): d
        case .text(let s): Data(s.utf8)
        default: nil
        }
    }
}

/// One result row, by column name.
public struct SQLRow: Sendable {
    public var values: [String: SQLValue]

    public init(values: [String: SQLValue]) { self.values = values }

    public subscript(_ column: String) -> SQLValue { values[column] ?? .null }
}

/// The SQL dialects Redline speaks.
public enum SQLDialect: Sendable { case sqlite, postgres }

/// The database seam: plain SQL with `?` placeholders and positional binds.
///
/// Repositories write portable SQL against this protocol; each implementation translates
/// placeholders for its driver. Implementations: `SQLiteDatabase` (embedded) and, for
/// production, a PostgreSQL one.
public protocol SQLDatabase: Sendable {
    var dialect: SQLDialect { get }
    @discardableResult
    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow]
    /// Runs `body` in one transaction: committed if it returns, rolled back if it throws.
    func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T
}

extension SQLDatabase {
    @discardableResult
    public func query(_ sql: String) async throws -> [SQLRow] { try await query(sql, []) }
}

/// A unique-constraint violation, raised by every implementation in the same form.
public struct SQLUniqueViolation: Error, Sendable {
    public var message: String

    public init(message: String) {
        self.message = message
    }
}

/// The notification channel every Redline process enqueues to and listens on.
public enum JobQueueChannel {
    public static let name = "redline_jobs"
}

extension SQLDatabase {
    /// Tells every process sharing the queue that work was enqueued. On PostgreSQL this is a NOTIFY
    /// on `JobQueueChannel.name`, delivered when the surrounding transaction commits; on SQLite (one
    /// process) the in-process `AsyncSignal` is enough and this does nothing.
    public func notifyJobQueue() async throws {
        guard dialect == .postgres else { return }
        try await query("SELECT pg_notify(?, '')", [.text(JobQueueChannel.name)])
    }
}
