import Foundation
import PostgresNIO
import RedlineStorage

extension PostgresDatabase {
    /// The advisory-lock key migrations hold ("redline" in ASCII).
    public static let migrationLockKey: Int64 = 0x72_65_64_6C_69_6E_65

    /// Applies pending migrations while holding a session-level `pg_advisory_lock`, so several
    /// `redline migrate` runs (or replicas starting together) apply each migration exactly once:
    /// the others wait, then find nothing left to do. Returns the versions this call applied.
    ///
    /// Everything runs on one leased connection that holds the lock for the whole run (PostgreSQL
    /// drops it if that connection dies), so a pool of one connection is enough.
    @discardableResult
    public func migrateWithLock() async throws -> [Int] {
        try await Self.mapErrors {
            try await client.withConnection { lockConnection in
                try await Self.run(lockConnection, "SELECT pg_advisory_lock(?)", [.int(Self.migrationLockKey)], logger: logger)
                do {
                    let session = PostgresConnectionDatabase(connection: lockConnection, logger: logger, inTransaction: false)
                    let applied = try await Migrator(database: session).migrate()
                    try await Self.run(lockConnection, "SELECT pg_advisory_unlock(?)", [.int(Self.migrationLockKey)], logger: logger)
                    return applied
                } catch {
                    _ = try? await Self.run(lockConnection, "SELECT pg_advisory_unlock(?)", [.int(Self.migrationLockKey)], logger: logger)
                    throw error
                }
            }
        }
    }
}
