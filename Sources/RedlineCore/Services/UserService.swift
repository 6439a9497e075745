import Foundation
import Logging

/// Sign-in rules: how long sessions and one-time links live, when wrong passwords lock a user.
public struct WebAuthPolicy: Sendable {
    public var sessionLifetime: TimeInterval = 12 * 3600
    public var passwordLinkLifetime: TimeInterval = 72 * 3600
    /// Consecutive wrong passwords that lock the user…
    public var lockoutThreshold = 5
    /// …for this long.
    public var lockoutDuration: TimeInterval = 15 * 60
    public var minPasswordLength = 10

    public init() {}
}

/// The outcome of a sign-in attempt.
public enum SignInResult: Sendable {
    /// `cookieToken` is the session's secret: it goes into the cookie and nowhere else.
    case signedIn(user: User, session: WebSession, cookieToken: String)
    case invalid
    case locked(until: Date)
    case disabled
}

/// People in the web app: the first-run administrator, invitations, passwords, sign-in with
/// lock-out, and sessions.
public struct UserService<Users: UserRepository, Accounts: AccountRepository>: Sendable {
    public let users: Users
    public let sessions: any SessionStore
    public let accounts: AccountService<Accounts>
    public let hasher: any PasswordHasher
    public let policy: WebAuthPolicy
    public let logger: Logger

    public init(
        users: Users, sessions: any SessionStore, accounts: AccountService<Accounts>, hasher: any PasswordHasher,
        policy: WebAuthPolicy = WebAuthPolicy(), logger: Logger
    ) {
        self.users = users
        self.sessions = sessions
        self.accounts = accounts
        self.hasher = hasher
        self.policy = policy
        self.logger = logger
    }

    /// True until the first user exists: the web app then offers the first-run page.
    public func needsSetup() async throws -> Bool {
        try await users.count() == 0
    }

    /// First run: creates an account and its first administrator. Refused once any user exists.
    public func setUp(accountName: String, email: String, name: String, password: String) async throws -> User {
        guard try await needsSetup() else {
            throw RedlineError.conflict(detail: "Redline is already set up; sign in instead.", field: "email")
        }
        try validate(password: password)
        let credentials = try await accounts.create(name: accountName)
        let (user, _) = try await create(accountID: credentials.accountID, email: email, name: name, role: .admin, password: password)
        return user
    }

    /// Creates a user. Without a password, returns the one-time set-password token to hand over.
    public func create(accountID: String, email: String, name: String, role: UserRole, password: String?) async throws -> (User, String?) {
        let normalized = try Self.normalize(email: email)
        let trimmedName = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmedName.count <= 200 else { throw RedlineError.invalid("name", "must be at most 200 characters") }
        guard try await accounts.accounts.find(id: accountID) != nil else {
            throw RedlineError.notFound("No account with id '\(accountID)'.")
        }
        if try await users.find(email: normalized) != nil {
            throw RedlineError.conflict(detail: "A user with email '\(normalized)' already exists.", field: "email")
        }
        let now = Timestamp.now()
        var user = User(
            id: RandomToken.identifier(length: 16), accountID: accountID, email: normalized,
            name: trimmedName.isEmpty ? normalized : trimmedName, role: role, createdAt: now)
        var linkToken: String?
        if let password {
            try validate(password: password)
            user.passwordHash = try await hasher.hash(password)
        } else {
            let token = WebToken.make()
            user.passwordTokenHash = TokenHasher.hash(token)
            user.passwordTokenExpires = now.addingTimeInterval(policy.passwordLinkLifetime)
            linkToken = token
        }
        try await users.insert(user)
        logger.info("user created", metadata: ["account": "\(accountID)", "user": "\(user.id)", "role": "\(role.rawValue)"])
        return (user, linkToken)
    }

    /// An administrator's reset: a new one-time link, and every session of the user ends.
    public func issuePasswordLink(userID: String, accountID: String) async throws -> String {
        var user = try await member(userID, of: accountID)
        let token = WebToken.make()
        user.passwordTokenHash = TokenHasher.hash(token)
        user.passwordTokenExpires = Timestamp.now().addingTimeInterval(policy.passwordLinkLifetime)
        try await users.update(user)
        try await sessions.deleteAll(userID: user.id)
        return token
    }

    /// The user a one-time link belongs to, while it is valid.
    public func user(forPasswordToken token: String) async throws -> User? {
        guard !token.isEmpty, let user = try await users.find(passwordTokenHash: TokenHasher.hash(token)),
            let expires = user.passwordTokenExpires, expires > Timestamp.now(), !user.disabled
        else { return nil }
        return user
    }

    /// Sets the password through a one-time link; the link is spent and the lock-out cleared.
    public func setPassword(token: String, password: String) async throws -> User {
        guard var user = try await user(forPasswordToken: token) else {
            throw RedlineError.notFound("This link is invalid, used or expired. Ask an administrator for a new one.")
        }
        try validate(password: password)
        user.passwordHash = try await hasher.hash(password)
        user.passwordTokenHash = nil
        user.passwordTokenExpires = nil
        user.failedLogins = 0
        user.lockedUntil = nil
        try await users.update(user)
        try await sessions.deleteAll(userID: user.id)
        return user
    }

    /// Checks a password. Every outcome costs one bcrypt verification, so timing does not tell
    /// whether an email exists. A success starts a brand-new session (never reusing an old id).
    public func signIn(email: String, password: String, now: Date = Timestamp.now()) async throws -> SignInResult {
        let normalized = (try? Self.normalize(email: email)) ?? ""
        guard let user = try await users.find(email: normalized), let hash = user.passwordHash else {
            _ = try await hasher.verify(password, hash: Self.decoyHash)
            return .invalid
        }
        if let until = user.lockedUntil, until > now {
            _ = try await hasher.verify(password, hash: Self.decoyHash)
            return .locked(until: until)
        }
        guard try await hasher.verify(password, hash: hash) else {
            let updated = try await users.recordFailedLogin(
                userID: user.id, threshold: policy.lockoutThreshold, lockUntil: now.addingTimeInterval(policy.lockoutDuration))
            logger.notice("wrong password", metadata: ["user": "\(user.id)", "failures": "\(updated?.failedLogins ?? 0)"])
            if let until = updated?.lockedUntil, until > now { return .locked(until: until) }
            return .invalid
        }
        if user.disabled { return .disabled }
        var signedIn = user
        signedIn.failedLogins = 0
        signedIn.lockedUntil = nil
        signedIn.lastLoginAt = now
        try await users.update(signedIn)
        let cookieToken = WebToken.make()
        let session = WebSession(
            idHash: TokenHasher.hash(cookieToken), userID: user.id, csrfToken: WebToken.make(), createdAt: now,
            expiresAt: now.addingTimeInterval(policy.sessionLifetime))
        try await sessions.create(session)
        return .signedIn(user: signedIn, session: session, cookieToken: cookieToken)
    }

    /// The live session and its user for a cookie's token; nil for unknown, expired or disabled.
    public func session(cookieToken: String) async throws -> (WebSession, User)? {
        let idHash = TokenHasher.hash(cookieToken)
        guard let session = try await sessions.find(idHash: idHash), session.expiresAt > Timestamp.now(),
            let user = try await users.find(id: session.userID), !user.disabled
        else { return nil }
        return (session, user)
    }

    public func signOut(cookieToken: String) async throws {
        try await sessions.delete(idHash: TokenHasher.hash(cookieToken))
    }

    /// Disables or re-enables a user of the account; disabling ends their sessions at once.
    public func setDisabled(_ disabled: Bool, userID: String, accountID: String) async throws {
        var user = try await member(userID, of: accountID)
        user.disabled = disabled
        try await users.update(user)
        if disabled { try await sessions.deleteAll(userID: user.id) }
    }

    public func list(accountID: String) async throws -> [User] {
        try await users.list(accountID: accountID)
    }

    private func member(_ userID: String, of accountID: String) async throws -> User {
        guard let user = try await users.find(id: userID), user.accountID == accountID else {
            throw RedlineError.notFound("No user '\(userID)' in this account.")
        }
        return user
    }

    private func validate(password: String) throws {
        guard password.count >= policy.minPasswordLength else {
            throw RedlineError.invalid("password", "must be at least \(policy.minPasswordLength) characters")
        }
        guard password.utf8.count <= 72 else {
            throw RedlineError.invalid("password", "must be at most 72 bytes (bcrypt ignores anything longer)")
        }
    }

    static func normalize(email: String) throws -> String {
        let trimmed = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        guard trimmed.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !trimmed.contains(" ") else {
            throw RedlineError.invalid("email", "must be an email address like name@example.com")
        }
        return trimmed
    }

    /// A valid bcrypt hash of a random string: what unknown emails are checked against.
    static var decoyHash: String { "$2b$12$K8pQ8mJ0yB1pTz9Yb6cW6eG1tQe0oNQ1a3v0vQm7oJ8m2sS7n2b3K" }
}
