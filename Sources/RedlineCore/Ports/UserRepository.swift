import Foundation

/// Persistence of web-app users. Implementation: SQL (SQLite embedded, PostgreSQL in production).
public protocol UserRepository: Sendable {
    /// Throws `RedlineError.conflict` when the email is taken.
    func insert(_ user: User) async throws
    func find(id: String) async throws -> User?
    func find(email: String) async throws -> User?
    func find(passwordTokenHash: String) async throws -> User?
    func list(accountID: String) async throws -> [User]
    func count() async throws -> Int
    func update(_ user: User) async throws
    /// Counts a wrong password atomically and locks the user when `threshold` is reached; returns the updated user.
    func recordFailedLogin(userID: String, threshold: Int, lockUntil: Date) async throws -> User?
}

/// Server-side web sessions: SQL by default, Redis when `REDLINE_REDIS_URL` is set.
public protocol SessionStore: Sendable {
    func create(_ session: WebSession) async throws
    /// The session, or nil when unknown or expired.
    func find(idHash: String) async throws -> WebSession?
    func delete(idHash: String) async throws
    /// Signs a user out everywhere (password reset, disable).
    func deleteAll(userID: String) async throws
}

/// Per-account limits and viewer settings.
public protocol AccountSettingsRepository: Sendable {
    /// The settings, or the defaults when none were saved.
    func settings(accountID: String) async throws -> AccountSettings
    func save(_ settings: AccountSettings, accountID: String) async throws
}

/// Revocable viewer links.
public protocol ShareLinkRepository: Sendable {
    func insert(_ link: ShareLink) async throws
    func find(tokenHash: String) async throws -> ShareLink?
    func list(accountID: String, identifier: String) async throws -> [ShareLink]
    /// Marks the link revoked; false when it does not exist in this account.
    func revoke(accountID: String, id: String, at date: Date) async throws -> Bool
}

/// What an account used, for the administration page.
public protocol UsageRepository: Sendable {
    /// Days with activity from `since` on, oldest first.
    func days(accountID: String, since: Date) async throws -> [UsageDay]
    /// Bytes of uploaded originals held by the account's live comparisons.
    func storedBytes(accountID: String) async throws -> Int64
}
