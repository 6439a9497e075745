import Foundation

/// A page of an account's comparisons, newest first.
public struct ComparisonPage: Sendable {
    public var totalCount: Int
    public var comparisons: [Comparison]

    public init(totalCount: Int, comparisons: [Comparison]) {
        self.totalCount = totalCount
        self.comparisons = comparisons
    }
}

/// Persistence of comparisons.
///
/// `insertAndEnqueue` writes the comparison and its job in one transaction: a comparison can never
/// exist without the work that will finish it.
public protocol ComparisonRepository: Sendable {
    /// Throws `RedlineError.conflict` when the identifier is taken in this account.
    func insertAndEnqueue(_ comparison: Comparison, priority: Int) async throws
    func find(accountID: String, identifier: String) async throws -> Comparison?
    func list(accountID: String, limit: Int?, offset: Int) async throws -> ComparisonPage
    /// Updates this incarnation only: a comparison deleted and re-created under the same identifier
    /// (different creation time) is left alone, so a late worker cannot overwrite its successor.
    func update(_ comparison: Comparison) async throws
    func delete(accountID: String, identifier: String) async throws -> Bool
    /// Comparisons whose expiry time is at or before `date`.
    func expired(before date: Date, limit: Int) async throws -> [Comparison]
}
