import Foundation
import Logging
import RedlineCore
import RedlinePostgres
import RedlineStorage
import Testing

/// The SQLite storage behaviours (Tests/RedlineStorageTests) against a real PostgreSQL.
@Suite(.enabled(if: TestPostgres.isConfigured, "set REDLINE_TEST_POSTGRES_URL"))
struct PostgresMigrationTests {
    @Test func migrateIsIdempotentAndVersioned() async throws {
        try await TestPostgres.withDatabase { database, _ in
            let migrator = Migrator(database: database)
            #expect(try await migrator.currentVersion() == 0)
            await #expect(throws: SchemaMismatch.self) { try await migrator.checkCompatible() }
            #expect(try await database.migrateWithLock() == Array(1...Migrator.latestVersion))
            #expect(try await migrator.migrate() == [])
            try await migrator.checkCompatible()
        }
    }

    @Test func refusesNewerSchema() async throws {
        try await TestPostgres.withDatabase { database, _ in
            let migrator = Migrator(database: database)
            try await migrator.migrate()
            try await database.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)")
            await #expect { try await migrator.migrate() } throws: { "\($0)".contains("newer") }
            await #expect { try await migrator.checkCompatible() } throws: { "\($0)".contains("999") }
        }
    }

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
}

@Suite(.enabled(if: TestPostgres.isConfigured, "set REDLINE_TEST_POSTGRES_URL"))
struct PostgresComparisonRepositoryTests {
    @Test func roundTripsEveryField() async throws {
        try await TestPostgres.withDatabase { database, _ in
            let (repository, _, _) = try await TestPostgres.makeStore(database)
            var comparison = sampleComparison("one", expiry: Timestamp.date(microseconds: 4_000_000_000_123_456))
            try await repository.insertAndEnqueue(comparison, priority: 0)
            #expect(try await repository.find(accountID: "acct", identifier: "one") == comparison)
            comparison.status = .failed
            comparison.errorMessage = "broken"
            comparison.readyTime = Timestamp.now()
            comparison.left.pageCount = 3
            comparison.changeCount = 7
            try await repository.update(comparison)
            #expect(try await repository.find(accountID: "acct", identifier: "one") == comparison)
            #expect(try await repository.find(accountID: "other", identifier: "one") == nil)
        }
    }

    @Test func duplicateIdentifierIsAConflictAndEnqueuesNothing() async throws {
        try await TestPostgres.withDatabase { database, _ in
            let (repository, queue, _) = try await TestPostgres.makeStore(database)
            try await repository.insertAndEnqueue(sampleComparison("dup"), priority: 0)
            await #expect(throws: RedlineError.self) { try await repository.insertAndEnqueue(sampleComparison("dup"), priority: 0) }
            #expect(try await queue.stats().depth == 1)
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

    @Test func listsNewestFirstWithPaging() async throws {
        try await TestPostgres.withDatabase { database, _ in
            let (repository, _, _) = try await TestPostgres.makeStore(database)
            let base = Timestamp.now()
            for i in 0..<5 {
                try await repository.insertAndEnqueue(sampleComparison("c\(i)", created: base.addingTimeInterval(Double(i))), priority: 0)
            }
            let all = try await repository.list(accountID: "acct", limit: nil, offset: 0)
            #expect(all.totalCount == 5)
            #expect(all.comparisons.map(\.identifier) == ["c4", "c3", "c2", "c1", "c0"])
            let page = try await repository.list(accountID: "acct", limit: 2, offset: 1)
            #expect(page.totalCount == 5)
            #expect(page.comparisons.map(\.identifier) == ["c3", "c2"])
            #expect(try await repository.list(accountID: "acct", limit: nil, offset: 4).comparisons.map(\.identifier) == ["c0"])
        }
    }

    @Test func expiredAndDelete() async throws {
        try await TestPostgres.withDatabase { database, _ in
            let (repository, queue, _) = try await TestPostgres.makeStore(database)
            let now = Timestamp.now()
            try await repository.insertAndEnqueue(sampleComparison("old", expiry: now.addingTimeInterval(-1)), priority: 0)
            try await repository.insertAndEnqueue(sampleComparison("new", expiry: now.addingTimeInterval(3600)), priority: 0)
            try await repository.insertAndEnqueue(sampleComparison("never"), priority: 0)
            #expect(try await repository.expired(before: now, limit: 10).map(\.identifier) == ["old"])
            #expect(try await repository.delete(accountID: "acct", identifier: "old"))
            #expect(try await !repository.delete(accountID: "acct", identifier: "old"))
            #expect(try await queue.stats().depth == 2)
        }
    }

    @Test func accountsRotateAndDeleteCascades() async throws {
        try await TestPostgres.withDatabase { database, _ in
            let (repository, queue, accounts) = try await TestPostgres.makeStore(database)
            #expect(try await accounts.find(tokenHash: "hash")?.id == "acct")
            #expect(try await accounts.updateToken(accountID: "acct", tokenHash: "new", sealedToken: Data([9])))
            #expect(try await accounts.find(tokenHash: "new")?.sealedToken == Data([9]))
            try await repository.insertAndEnqueue(sampleComparison("c"), priority: 0)
            #expect(try await accounts.delete(id: "acct"))
            #expect(try await repository.find(accountID: "acct", identifier: "c") == nil)
            #expect(try await queue.stats().depth == 0)
        }
    }
}

@Suite(.enabled(if: TestPostgres.isConfigured, "set REDLINE_TEST_POSTGRES_URL"))
struct PostgresJobQueueTests {
    @Test func claimsByPriorityAndLeases() async throws {
        try await TestPostgres.withDatabase { database, _ in
            let (repository, queue, _) = try await TestPostgres.makeStore(database)
            try await repository.insertAndEnqueue(sampleComparison("big"), priority: 2)
            try await repository.insertAndEnqueue(sampleComparison("small"), priority: 0)
            let first = try #require(try await queue.claim(workerID: "w1", lease: 60))
            #expect(first.identifier == "small")
            #expect(first.attempts == 1)
            let second = try #require(try await queue.claim(workerID: "w2", lease: 60))
            #expect(second.identifier == "big")
            #expect(try await queue.claim(workerID: "w3", lease: 60) == nil)
            try await queue.complete(jobID: first.id)
            #expect(try await queue.stats().depth == 1)
        }
    }

    @Test func expiredLeaseIsClaimedAgainAndHeartbeatKeepsIt() async throws {
        try await TestPostgres.withDatabase { database, _ in
            let (repository, queue, _) = try await TestPostgres.makeStore(database)
            try await repository.insertAndEnqueue(sampleComparison("job"), priority: 0)
            let job = try #require(try await queue.claim(workerID: "dead", lease: 0.05))
            try await Task.sleep(for: .milliseconds(120))
            #expect(try await !queue.heartbeat(jobID: job.id, workerID: "someone-else", lease: 60))
            let again = try #require(try await queue.claim(workerID: "alive", lease: 60))
            #expect(again.id == job.id)
            #expect(again.attempts == 2)
            #expect(try await queue.heartbeat(jobID: again.id, workerID: "alive", lease: 60))
            #expect(try await queue.claim(workerID: "third", lease: 60) == nil)
        }
    }

    @Test func retryWaitsAndReleaseDoesNotCountAnAttempt() async throws {
        try await TestPostgres.withDatabase { database, _ in
            let (repository, queue, _) = try await TestPostgres.makeStore(database)
            try await repository.insertAndEnqueue(sampleComparison("job"), priority: 0)
            let job = try #require(try await queue.claim(workerID: "w", lease: 60))
            try await queue.retry(jobID: job.id, after: 3600, error: "storage down")
            #expect(try await queue.claim(workerID: "w", lease: 60) == nil)
            try await repository.insertAndEnqueue(sampleComparison("job2"), priority: 0)
            let second = try #require(try await queue.claim(workerID: "w", lease: 60))
            try await queue.release(jobID: second.id, workerID: "w")
            let reclaimed = try #require(try await queue.claim(workerID: "w", lease: 60))
            #expect(reclaimed.id == second.id)
            #expect(reclaimed.attempts == 1)
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
