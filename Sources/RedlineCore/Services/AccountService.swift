import Foundation

/// An account with its token in clear: returned only when the token is created or rotated.
public struct IssuedCredentials: Sendable, Codable, Equatable {
    public var accountID: String
    public var authToken: String

    enum CodingKeys: String, CodingKey {
        case accountID = "account_id"
        case authToken = "auth_token"
    }
}

/// Creates accounts and tokens, and authenticates API requests.
public struct AccountService<Accounts: AccountRepository>: Sendable {
    public let accounts: Accounts
    public let sealer: TokenSealer

    public init(accounts: Accounts, sealer: TokenSealer) {
        self.accounts = accounts
        self.sealer = sealer
    }

    public func create(name: String) async throws -> IssuedCredentials {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= 200 else {
            throw RedlineError.invalid("name", "must be 1 to 200 characters")
        }
        let token = RandomToken.authToken()
        let account = Account(
            id: RandomToken.accountID(), name: trimmed, tokenHash: TokenHasher.hash(token),
            sealedToken: try sealer.seal(token), createdAt: Timestamp.now()
        )
        try await accounts.insert(account)
        return IssuedCredentials(accountID: account.id, authToken: token)
    }

    public func rotateToken(accountID: String) async throws -> IssuedCredentials {
        let token = RandomToken.authToken()
        guard
            try await accounts.updateToken(
                accountID: accountID, tokenHash: TokenHasher.hash(token), sealedToken: try sealer.seal(token), revoked: false)
        else { throw RedlineError.notFound("No account with id '\(accountID)'.") }
        return IssuedCredentials(accountID: accountID, authToken: token)
    }

    /// Revokes the API token: it is replaced by a fresh secret that is never shown, so every API
    /// client using the old token stops at once, while viewer links the web app signs keep working.
    public func revokeToken(accountID: String) async throws {
        let token = RandomToken.authToken()
        guard
            try await accounts.updateToken(
                accountID: accountID, tokenHash: TokenHasher.hash(token), sealedToken: try sealer.seal(token), revoked: true)
        else { throw RedlineError.notFound("No account with id '\(accountID)'.") }
    }

    /// The account an `Authorization: Token …` header belongs to.
    public func authenticate(token: String) async throws -> Account {
        guard !token.isEmpty, let account = try await accounts.find(tokenHash: TokenHasher.hash(token)), !account.tokenRevoked else {
            throw RedlineError.unauthorized("Invalid token.")
        }
        return account
    }

    /// The clear token of an account, to verify viewer signatures.
    public func token(of account: Account) throws -> String {
        try sealer.open(account.sealedToken)
    }
}
