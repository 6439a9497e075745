import Foundation
import RedlineCore

/// One forward-only schema step. Statements are portable SQL except where a dialect differs.
struct Migration: Sendable {
    var version: Int
    var name: String
    var statements: @Sendable (SQLDialect) -> [String]
}

/// The schema, in order. Append only: a released migration is never edited.
enum Migrations {
    static let all: [Migration] = [
        Migration(version: 1, name: "accounts, comparisons and jobs") { dialect in
            let blob = dialect == .postgres ? "BYTEA" : "BLOB"
            let serial = dialect == .postgres ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT"
            return [
                """
                CREATE TABLE accounts (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    token_hash TEXT NOT NULL UNIQUE,
                    sealed_token \(blob) NOT NULL,
                    created_at BIGINT NOT NULL
                )
                """,
                """
                CREATE TABLE comparisons (
                    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                    identifier TEXT NOT NULL,
                    left_side TEXT NOT NULL,
                    right_side TEXT NOT NULL,
                    is_public INTEGER NOT NULL,
                    creation_time BIGINT NOT NULL,
                    expiry_time BIGINT,
                    status TEXT NOT NULL,
                    ready_time BIGINT,
                    error_message TEXT,
                    change_count INTEGER,
                    PRIMARY KEY (account_id, identifier)
                )
                """,
                "CREATE INDEX comparisons_by_account_newest ON comparisons (account_id, creation_time DESC)",
                "CREATE INDEX comparisons_by_expiry ON comparisons (expiry_time) WHERE expiry_time IS NOT NULL",
                """
                CREATE TABLE jobs (
                    id \(serial),
                    kind TEXT NOT NULL,
                    account_id TEXT NOT NULL,
                    identifier TEXT NOT NULL,
                    priority INTEGER NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    max_attempts INTEGER NOT NULL,
                    run_after BIGINT NOT NULL,
                    lease_owner TEXT,
                    lease_expires BIGINT,
                    last_error TEXT,
                    created_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX jobs_by_claim_order ON jobs (priority, run_after, id)",
            ]
        },
        Migration(version: 2, name: "exports") { _ in
            [
                """
                CREATE TABLE exports (
                    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                    identifier TEXT NOT NULL,
                    comparison_identifier TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    include_cover_page INTEGER NOT NULL,
                    status TEXT NOT NULL,
                    error_message TEXT,
                    creation_time BIGINT NOT NULL,
                    ready_time BIGINT,
                    blob_key TEXT,
                    PRIMARY KEY (account_id, identifier)
                )
                """,
                "CREATE INDEX exports_by_comparison ON exports (account_id, comparison_identifier)",
            ]
        },
        Migration(version: 3, name: "web app: users, sessions, settings, share links, usage") { _ in
            [
                "ALTER TABLE accounts ADD COLUMN token_revoked INTEGER NOT NULL DEFAULT 0",
                "ALTER TABLE accounts ADD COLUMN token_updated_at BIGINT",
                "ALTER TABLE comparisons ADD COLUMN stored_bytes BIGINT NOT NULL DEFAULT 0",
                """
                CREATE TABLE users (
                    id TEXT PRIMARY KEY,
                    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                    email TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    role TEXT NOT NULL,
                    password_hash TEXT,
                    disabled INTEGER NOT NULL DEFAULT 0,
                    failed_logins INTEGER NOT NULL DEFAULT 0,
                    locked_until BIGINT,
                    password_token_hash TEXT UNIQUE,
                    password_token_expires BIGINT,
                    created_at BIGINT NOT NULL,
                    last_login_at BIGINT
                )
                """,
                "CREATE INDEX users_by_account ON users (account_id, created_at)",
                """
                CREATE TABLE web_sessions (
                    id_hash TEXT PRIMARY KEY,
                    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    csrf_token TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    expires_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX web_sessions_by_user ON web_sessions (user_id)",
                "CREATE INDEX web_sessions_by_expiry ON web_sessions (expires_at)",
                """
                CREATE TABLE account_settings (
                    account_id TEXT PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
                    settings TEXT NOT NULL
                )
                """,
                """
                CREATE TABLE share_links (
                    id TEXT PRIMARY KEY,
                    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                    identifier TEXT NOT NULL,
                    comparison_creation_time BIGINT NOT NULL,
                    token_hash TEXT NOT NULL UNIQUE,
                    created_at BIGINT NOT NULL,
                    expires_at BIGINT NOT NULL,
                    revoked_at BIGINT,
                    created_by TEXT NOT NULL
                )
                """,
                "CREATE INDEX share_links_by_comparison ON share_links (account_id, identifier)",
                """
                CREATE TABLE usage_days (
                    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                    day TEXT NOT NULL,
                    comparisons INTEGER NOT NULL DEFAULT 0,
                    pages INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (account_id, day)
                )
                """,
            ]
        },
        // Version 3 is reserved (users and sessions, in progress on another branch).
        Migration(version: 4, name: "job trace context") { _ in
            // The W3C traceparent of the request that enqueued a job, so the worker continues its trace.
            ["ALTER TABLE jobs ADD COLUMN traceparent TEXT"]
        },
    ]

    static var latestVersion: Int { all.last?.version ?? 0 }
}

/// A database whose schema this build cannot use.
public struct SchemaMismatch: Error, CustomStringConvertible, Sendable {
    public var found: Int
    public var expected: Int

    public var description: String {
        if found > expected {
            return "The database schema is at version \(found), newer than this Redline knows (\(expected)). Upgrade Redline or restore a matching backup."
        }
        return "The database schema is at version \(found) but this Redline needs version \(expected). Run `redline migrate` first."
    }
}

/// Applies and checks schema migrations.
public struct Migrator: Sendable {
    public let database: any SQLDatabase

    public init(database: any SQLDatabase) {
        self.database = database
    }

    public static var latestVersion: Int { Migrations.latestVersion }

    /// The version the database is at (0 when empty).
    public func currentVersion() async throws -> Int {
        try await ensureVersionTable()
        let rows = try await database.query("SELECT MAX(version) AS version FROM schema_migrations")
        return Int(rows.first?["version"].int ?? 0)
    }

    /// The versions recorded as applied.
    func appliedVersions() async throws -> Set<Int> {
        try await ensureVersionTable()
        return Set(try await database.query("SELECT version FROM schema_migrations").compactMap { $0["version"].int.map(Int.init) })
    }

    /// Applies every pending migration, each in its own transaction. Returns the versions applied.
    ///
    /// Pending means not recorded, not merely above the highest recorded version: a version
    /// numbered below one already applied (reserved for a branch that lands later) still runs.
    @discardableResult
    public func migrate() async throws -> [Int] {
        try await ensureVersionTable()
        let current = try await currentVersion()
        if current > Migrations.latestVersion { throw SchemaMismatch(found: current, expected: Migrations.latestVersion) }
        let done = try await appliedVersions()
        var applied: [Int] = []
        for migration in Migrations.all where !done.contains(migration.version) {
            let dialect = database.dialect
            try await database.transaction { db in
                for statement in migration.statements(dialect) { try await db.query(statement) }
                try await db.query(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    [.int(Int64(migration.version)), .text(migration.name), .int(Timestamp.microseconds(Date()))])
            }
            applied.append(migration.version)
        }
        return applied
    }

    /// Refuses to run against a schema older or newer than this build.
    public func checkCompatible() async throws {
        let current = try await currentVersion()
        if current != Migrations.latestVersion { throw SchemaMismatch(found: current, expected: Migrations.latestVersion) }
        let done = try await appliedVersions()
        if let missing = Migrations.all.first(where: { !done.contains($0.version) }) {
            throw SchemaMismatch(found: missing.version - 1, expected: Migrations.latestVersion)
        }
    }

    private func ensureVersionTable() async throws {
        try await database.query(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)")
    }
}
