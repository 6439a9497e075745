import Foundation
import RedlineCore

/// Web-app users in SQL (SQLite or PostgreSQL).
public struct SQLUserRepository: UserRepository {
    public let database: any SQLDatabase

    public init(database: any SQLDatabase) {
        self.database = database
    }

    public func insert(_ user: User) async throws {
        do {
            try await database.query(
                """
                INSERT INTO users (id, account_id, email, name, role, password_hash, disabled, failed_logins, locked_until,
                    password_token_hash, password_token_expires, created_at, last_login_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [.text(user.id), .text(user.accountID), .text(user.email), .text(user.name), .text(user.role.rawValue), Self.text(user.passwordHash),
                       .int(user.disabled ? 1 : 0), .int(Int64(user.failedLogins)), Self.time(user.lockedUntil),
                       Self.text(user.passwordTokenHash), Self.time(user.passwordTokenExpires), .int(Timestamp.microseconds(user.createdAt)),
                       Self.time(user.lastLoginAt)])
        } catch is SQLUniqueViolation {
            throw RedlineError.conflict(detail: "A user with email '\(user.email)' already exists.", field: "email")
        }
    }

    public func find(id: String) async throws -> User? {
        try await database.query("SELECT * FROM users WHERE id = ?", [.text(id)]).first.map(Self.decode)
    }

    public func find(email: String) async throws -> User? {
        try await database.query("SELECT * FROM users WHERE email = ?", [.text(email.lowercased())]).first.map(Self.decode)
    }

    public func find(passwordTokenHash: String) async throws -> User? {
        try await database.query("SELECT * FROM users WHERE password_token_hash = ?", [.text(passwordTokenHash)]).first.map(Self.decode)
    }

    public func list(accountID: String) async throws -> [User] {
        try await database.query("SELECT * FROM users WHERE account_id = ? ORDER BY created_at, id", [.text(accountID)]).map(Self.decode)
    }

    public func count() async throws -> Int {
        Int(try await database.query("SELECT COUNT(*) AS n FROM users").first?["n"].int ?? 0)
    }

    public func update(_ user: User) async throws {
        try await database.query(
            """
            UPDATE users SET name = ?, role = ?, password_hash = ?, disabled = ?, failed_logins = ?, locked_until = ?,
                password_token_hash = ?, password_token_expires = ?, last_login_at = ?
            WHERE id = ?
            """,
            Self.mutableColumns(user) + [.text(user.id)])
    }

    public func recordFailedLogin(userID: String, threshold: Int, lockUntil: Date) async throws -> User? {
        try await database.transaction { db in
            try await db.query("UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ?", [.text(userID)])
            try await db.query(
                "UPDATE users SET locked_until = ?, failed_logins = 0 WHERE id = ? AND failed_logins >= ?",
                [.int(Timestamp.microseconds(lockUntil)), .text(userID), .int(Int64(threshold))])
            return try await db.query("SELECT * FROM users WHERE id = ?", [.text(userID)]).first.map(Self.decode)
        }
    }

    static func mutableColumns(_ user: User) -> [SQLValue] {
        [.text(user.name), .text(user.role.rawValue), text(user.passwordHash), .int(user.disabled ? 1 : 0), .int(Int64(user.failedLogins)),
         time(user.lockedUntil), text(user.passwordTokenHash), time(user.passwordTokenExpires), time(user.lastLoginAt)]
    }

    static func text(_ value: String?) -> SQLValue { value.map { .text($0) } ?? .null }
    static func time(_ value: Date?) -> SQLValue { value.map { .int(Timestamp.microseconds($0)) } ?? .null }

    static func decode(_ row: SQLRow) -> User {
        func date(_ column: String) -> Date? { row[column].int.map(Timestamp.date(microseconds:)) }
        return User(
            id: row["id"].string ?? "", accountID: row["account_id"].string ?? "", email: row["email"].string ?? "",
            name: row["name"].string ?? "", role: UserRole(rawValue: row["role"].string ?? "") ?? .member,
            passwordHash: row["password_hash"].string, disabled: (row["disabled"].int ?? 0) != 0,
            failedLogins: Int(row["failed_logins"].int ?? 0), lockedUntil: date("locked_until"),
            passwordTokenHash: row["password_token_hash"].string, passwordTokenExpires: date("password_token_expires"),
            createdAt: date("created_at") ?? Date(timeIntervalSince1970: 0), lastLoginAt: date("last_login_at"))
    }
}

/// Web sessions in SQL: the default store, shared by every replica through the database.
public struct SQLSessionStore: SessionStore {
    public let database: any SQLDatabase

    public init(database: any SQLDatabase) {
        self.database = database
    }

    public func create(_ session: WebSession) async throws {
        try await database.query(
            "INSERT INTO web_sessions (id_hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
            [.text(session.idHash), .text(session.userID), .text(session.csrfToken), .int(Timestamp.microseconds(session.createdAt)),
             .int(Timestamp.microseconds(session.expiresAt))])
        // Sign-ins are rare: sweeping expired sessions here keeps the table small without a job.
        try await database.query("DELETE FROM web_sessions WHERE expires_at < ?", [.int(Timestamp.microseconds(Date()))])
    }

    public func find(idHash: String) async throws -> WebSession? {
        guard let row = try await database.query("SELECT * FROM web_sessions WHERE id_hash = ?", [.text(idHash)]).first else { return nil }
        let session = WebSession(
            idHash: row["id_hash"].string ?? "", userID: row["user_id"].string ?? "", csrfToken: row["csrf_token"].string ?? "",
            createdAt: Timestamp.date(microseconds: row["created_at"].int ?? 0),
            expiresAt: Timestamp.date(microseconds: row["expires_at"].int ?? 0))
        return session.expiresAt > Date() ? session : nil
    }

    public func delete(idHash: String) async throws {
        try await database.query("DELETE FROM web_sessions WHERE id_hash = ?", [.text(idHash)])
    }

    public func deleteAll(userID: String) async throws {
        try await database.query("DELETE FROM web_sessions WHERE user_id = ?", [.text(userID)])
    }
}
