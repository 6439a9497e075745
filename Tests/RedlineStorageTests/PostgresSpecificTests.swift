import Foundation
import Logging
import RedlineCore
import RedlinePostgres
import RedlineStorage
import Testing

/// What only PostgreSQL does: advisory-locked migrations from several processes, SQLSTATE
/// mapping, concurrent `SKIP LOCKED` claims and cross-process LISTEN/NOTIFY wake-ups. The
/// behaviours both backends share are in StorageTests.swift, run against each.
@Suite(.enabled(if: TestPostgres.isConfigured, "set REDLINE_TEST_POSTGRES_URL"))
struct PostgresSpecificTests {
    @Test func concurrentMigratorsApplyTheSchemaOnce() async throws {
        try await TestPostgres.withDatabase { database, url in
            // Two processes' worth: separate pools, started together.
            let other = try PostgresDatabase(url: url, maximumConnections: 1, logger: TestPostgres.logger)  // one connection is enough
            try await TestPostgres.withRunning(other) {
                async let first = database.migrateWithLock()
                async let second = other.migrateWithLock()
                let applied = try await [first, second]
                #expect(applied.flatMap { $0 }.sorted() == Array(1...Migrator.latestVersion))
            }
            let rows = try await database.query("SELECT COUNT(*) AS n FROM schema_migrations")
            #expect(rows.first?["n"].int == Int64(Migrator.latestVersion))
            try await Migrator(database: database).checkCompatible()
        }
    }

    @Test func uniqueViolationsAreMappedAndOtherErrorsAreReadable() async throws {
        try await TestPostgres.withDatabase { database, _ in
            try await database.query("CREATE TABLE u (k TEXT PRIMARY KEY, b BYTEA, d DOUBLE PRECISION, n BIGINT)")
            _ = try await database.query("INSERT INTO u VALUES (?, ?, ?, ?)", [.text("a"), .blob(Data([0, 255, 7])), .double(1.5), .null])
            await #expect(throws: SQLUniqueViolation.self) { try await database.query("INSERT INTO u (k) VALUES (?)", [.text("a")]) }
            let row = try #require(try await database.query("SELECT * FROM u WHERE k = ?", [.text("a")]).first)
            #expect(row["b"] == .blob(Data([0, 255, 7])))
            #expect(row["d"] == .double(1.5))
            #expect(row["n"] == .null)
            await #expect { try await database.query("SELECT * FROM missing") } throws: { "\($0)".contains("42P01") }
            // A failed transaction rolls back and the connection stays usable.
            await #expect(throws: SQLUniqueViolation.self) {
                try await database.transaction { db in
                    try await db.query("INSERT INTO u (k) VALUES (?)", [.text("b")])
                    try await db.query("INSERT INTO u (k) VALUES (?)", [.text("a")])
                }
            }
            #expect(try await database.query("SELECT k FROM u").count == 1)
        }
    }

    @Test func concurrentClaimersNeverGetTheSameJob() async throws {
        try await TestPostgres.withDatabase(maximumConnections: 8) { database, _ in
            let (repository, queue, _) = try await TestPostgres.makeStore(database)
            for i in 0..<20 { try await repository.insertAndEnqueue(sampleComparison("j\(i)"), priority: i % 3) }
            let claimed = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for worker in 0..<4 {
                    group.addTask {
                        var mine: [Int64] = []
                        while let job = try await queue.claim(workerID: "w\(worker)", lease: 60) { mine.append(job.id) }
                        return mine
                    }
                }
                return try await group.reduce(into: [Int64]()) { $0 += $1 }
            }
            #expect(claimed.count == 20)
            #expect(Set(claimed).count == 20)
        }
    }

    @Test func notificationsWakeAListenerInAnotherPool() async throws {
        try await TestPostgres.withDatabase { database, url in
            let signal = AsyncSignal()
            let listener = PostgresJobListener(database: database, signal: signal, logger: TestPostgres.logger)
            let listening = Task { await listener.run() }
            defer { listening.cancel() }
            await signal.wait(timeout: 10)  // the listener signals once it is LISTENing
            let enqueuer = try PostgresDatabase(url: url, maximumConnections: 2, logger: TestPostgres.logger)
            try await TestPostgres.withRunning(enqueuer) {
                let clock = ContinuousClock()
                let started = clock.now
                async let woke: Void = signal.wait(timeout: 10)
                try await Task.sleep(for: .milliseconds(50))
                try await enqueuer.transaction { db in try await db.notifyJobQueue() }
                await woke
                #expect(clock.now - started < .seconds(2))
            }
        }
    }
}
