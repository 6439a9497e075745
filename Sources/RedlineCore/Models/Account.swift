import Foundation

/// A tenant: owns comparisons and one API token.
///
/// The token itself is never stored in clear: `tokenHash` finds the account for a request and
/// `sealedToken` (encrypted with the server secret) lets the viewer verify HMAC signatures, which
/// Draftable keys with the token.
public struct Account: Sendable, Equatable {
    public var id: String
    public var name: String
    public var tokenHash: String
    public var sealedToken: Data
    public var createdAt: Date
    /// Revoked: the API token was replaced by a secret nobody was shown, so API calls fail while
    /// the web app can still sign viewer links; rotating issues a new usable token.
    public var tokenRevoked: Bool
    public var tokenUpdatedAt: Date?

    public init(
        id: String, name: String, tokenHash: String, sealedToken: Data, createdAt: Date, tokenRevoked: Bool = false,
        tokenUpdatedAt: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.tokenHash = tokenHash
        self.sealedToken = sealedToken
        self.createdAt = createdAt
        self.tokenRevoked = tokenRevoked
        self.tokenUpdatedAt = tokenUpdatedAt
    }
}
