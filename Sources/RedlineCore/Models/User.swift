import Foundation

/// What a person may do in the web app: admins manage their account's users, tokens, limits and
/// viewer settings; members compare and manage their account's comparisons.
public enum UserRole: String, Sendable, Codable, CaseIterable {
    case admin, member
}

/// A person who signs in to the web app. Belongs to exactly one account, the same account that
/// owns API tokens and comparisons, so people and integrations see the same history.
public struct User: Sendable, Equatable {
    public var id: String
    public var accountID: String
    /// Lower-cased; unique across the installation (it is what people sign in with).
    public var email: String
    public var name: String
    public var role: UserRole
    /// bcrypt hash; nil until the person sets a password through their one-time link.
    public var passwordHash: String?
    public var disabled: Bool
    /// Consecutive wrong passwords since the last successful sign-in.
    public var failedLogins: Int
    public var lockedUntil: Date?
    /// SHA-256 of the pending one-time set-password link (invite or reset), if any.
    public var passwordTokenHash: String?
    public var passwordTokenExpires: Date?
    public var createdAt: Date
    public var lastLoginAt: Date?

    public init(
        id: String, accountID: String, email: String, name: String, role: UserRole, passwordHash: String? = nil,
        disabled: Bool = false, failedLogins: Int = 0, lockedUntil: Date? = nil, passwordTokenHash: String? = nil,
        passwordTokenExpires: Date? = nil, createdAt: Date, lastLoginAt: Date? = nil
    ) {
        self.id = id
        self.accountID = accountID
        self.email = email
        self.name = name
        self.role = role
        self.passwordHash = passwordHash
        self.disabled = disabled
        self.failedLogins = failedLogins
        self.lockedUntil = lockedUntil
        self.passwordTokenHash = passwordTokenHash
        self.passwordTokenExpires = passwordTokenExpires
        self.createdAt = createdAt
        self.lastLoginAt = lastLoginAt
    }

    public var isAdmin: Bool { role == .admin }
}

/// A signed-in browser. Stored server-side under the SHA-256 of the cookie's random id, so a
/// leaked database or Redis dump cannot be replayed as cookies; sign-out deletes it.
public struct WebSession: Sendable, Equatable, Codable {
    public var idHash: String
    public var userID: String
    /// The synchronizer token every state-changing form and fetch must echo.
    public var csrfToken: String
    public var createdAt: Date
    public var expiresAt: Date

    public init(idHash: String, userID: String, csrfToken: String, createdAt: Date, expiresAt: Date) {
        self.idHash = idHash
        self.userID = userID
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}
