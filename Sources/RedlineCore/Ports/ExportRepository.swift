/// Persistence of exports; inserting one enqueues its rendering job in the same transaction.
public protocol ExportRepository: Sendable {
    func insertAndEnqueue(_ export: Export) async throws
    func find(accountID: String, identifier: String) async throws -> Export?
    func update(_ export: Export) async throws
}
