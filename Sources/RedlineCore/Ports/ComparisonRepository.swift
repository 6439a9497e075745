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

/// What the history page filters on.
public struct ComparisonSearch: Sendable {
    /// Matched, case-insensitively, against identifiers and display names.
    public var text: String?
    public var status: ComparisonStatus?
    public var limit: Int
    public var offset: Int

    public init(text: String? = nil, status: ComparisonStatus? = nil, limit: Int = 50, offset: Int = 0) {
        self.text = text
        self.status = status
        self.limit = limit
        self.offset = offset
    }
}

/// The history page's queries and edits; kept apart from the worker's whole-row `update` so that
/// neither can overwrite the other's fields.
public protocol ComparisonHistory: Sendable {
    func search(accountID: String, _ search: ComparisonSearch) async throws -> ComparisonPage
    func setPublic(accountID: String, identifier: String, isPublic: Bool) async throws -> Bool
    func setExpiry(accountID: String, identifier: String, expiryTime: Date?) async throws -> Bool
}
