import PostgresNIO
import RedlineCore
import RedlineStorage

/// A statement PostgreSQL refused, with the server's own words (never the bound values).
///
/// PostgresNIO's `PSQLError` hides everything behind a generic description; this keeps the SQLSTATE
/// and message operators need to act, e.g. `42P01 relation "jobs" does not exist`.
public struct PostgresQueryError: Error, CustomStringConvertible, Sendable {
    public var sqlState: String
    public var message: String
    public var detail: String?

    public var description: String {
        "PostgreSQL error \(sqlState): \(message)" + (detail.map { " (\($0))" } ?? "")
    }
}

enum PostgresErrors {
    static let uniqueViolation = "23505"

    /// Server errors that mean "not now" rather than "wrong statement": connection exceptions
    /// (class 08), operator intervention — shutdown, restart, failover, still starting — (class 57),
    /// and too many connections. They arrive as server messages while PostgreSQL restarts, and
    /// must read as transient (503, job retried) like a refused connection.
    static func isUnavailable(_ sqlState: String) -> Bool {
        sqlState.hasPrefix("08") || sqlState.hasPrefix("57") || sqlState == "53300"
    }

    /// Unique violations become `SQLUniqueViolation`, other server errors `PostgresQueryError`, and
    /// connection-level failures `RedlineError.transient` so callers retry them.
    static func translate(_ error: PSQLError) -> any Error {
        if error.code == .server, let info = error.serverInfo {
            let state = info[.sqlState] ?? "?????"
            let message = info[.message] ?? "unknown error"
            if state == uniqueViolation {
                return SQLUniqueViolation(message: message + (info[.detail].map { " (\($0))" } ?? ""))
            }
            if isUnavailable(state) {
                return RedlineError.transient("The PostgreSQL database is unavailable (\(state) \(message)).")
            }
            return PostgresQueryError(sqlState: state, message: message, detail: info[.detail])
        }
        var reason = "\(error.code)"
        if let underlying = error.underlying { reason += ": \(underlying)" }
        return RedlineError.transient("The PostgreSQL database is unavailable (\(reason)).")
    }
}
