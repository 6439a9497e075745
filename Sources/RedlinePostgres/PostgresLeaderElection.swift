import Logging
import PostgresNIO
import RedlineCore
import RedlineStorage

/// Leadership through a session-level `pg_try_advisory_lock` held on one pooled connection: the
/// lock lives exactly as long as that connection, so a leader that dies frees it at once and
/// another replica takes over on its next try.
public struct PostgresLeaderElection: LeaderElection {
    public let database: PostgresDatabase
    public let key: Int64

    /// - Parameter key: the lock's identity; every replica of one role must use the same key.
    public init(database: PostgresDatabase, key: Int64) {
        self.database = database
        self.key = key
    }

    /// The scheduler's lock ("sched" in ASCII).
    public static let schedulerKey: Int64 = 0x73_63_68_65_64

    public func runAsLeader(_ body: @Sendable () async throws -> Void) async throws -> Bool {
        let key = self.key
        let logger = database.logger
        return try await PostgresDatabase.mapErrors {
            try await database.client.withConnection { connection in
                let rows = try await PostgresDatabase.run(connection, "SELECT pg_try_advisory_lock(?) AS locked", [.int(key)], logger: logger)
                guard rows.first?["locked"].int == 1 else { return false }
                do {
                    try await body()
                } catch {
                    _ = try? await PostgresDatabase.run(connection, "SELECT pg_advisory_unlock(?)", [.int(key)], logger: logger)
                    throw error
                }
                _ = try? await PostgresDatabase.run(connection, "SELECT pg_advisory_unlock(?)", [.int(key)], logger: logger)
                return true
            }
        }
    }
}
