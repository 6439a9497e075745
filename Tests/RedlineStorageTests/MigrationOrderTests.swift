import Foundation
import RedlineCore
import Testing

@testable import RedlineStorage

/// Migration versions were reserved out of order (4 landed before 3): a database migrated by a
/// build that had 1, 2 and 4 must still get 3, and is refused until it has.
@Suite struct MigrationOrderTests {
    @Test(arguments: StoreBackend.available)
    func aLowerVersionLandingLaterIsStillApplied(_ backend: StoreBackend) async throws {
        try await withDatabase(backend) { database in
            let migrator = Migrator(database: database)
            _ = try await migrator.currentVersion()  // creates schema_migrations
            // What the build with migrations 1, 2 and 4 (but not 3) left behind.
            for migration in Migrations.all where migration.version != 3 {
                for statement in migration.statements(database.dialect) { try await database.query(statement) }
                try await database.query(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    [.int(Int64(migration.version)), .text(migration.name), .int(0)])
            }
            #expect(try await migrator.currentVersion() == Migrator.latestVersion)
            await #expect(throws: SchemaMismatch.self) { try await migrator.checkCompatible() }
            #expect(try await migrator.migrate() == [3])
            try await migrator.checkCompatible()
            #expect(try await migrator.migrate() == [])
        }
    }
}
