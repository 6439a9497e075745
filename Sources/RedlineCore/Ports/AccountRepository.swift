import Foundation

/// Persistence of accounts. Implementations: SQL (SQLite embedded, PostgreSQL in production).
public protocol AccountRepository: Sendable {
    func insert(_ account: Account) async throws
    func find(id: String) async throws -> Account?
    func find(tokenHash: String) async throws -> Account?
    func list() async throws -> [Account]
    func updateToken(accountID: String, tokenHash: String, sealedToken: Data, revoked: Bool) async throws -> Bool
    /// Deletes the account row and its comparisons' rows; blobs are removed by the caller.
    func delete(id: String) async throws -> Bool
}
