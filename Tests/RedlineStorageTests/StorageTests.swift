import Foundation
import Logging
import RedlineCore
import Testing

@testable import RedlineStorage

/// The database backends the storage behaviours run against: SQLite always, PostgreSQL when
/// `REDLINE_TEST_POSTGRES_URL` names a server (scripts/test.sh starts one).
enum StoreBackend: String, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    static var available: [StoreBackend] { TestPostgres.isConfigured ? [.sqlite, .postgres] : [.sqlite] }
    var testDescription: String { rawValue }
}

/// Runs `body` with a fresh database of `backend` (schema applied, one account), removed afterwards.
func withStore(
    _ backend: StoreBackend,
    _ body: @escaping @Sendable (any SQLDatabase, SQLComparisonRepository, SQLJobQueue, SQLAccountRepository) async throws -> Void
) async throws {
    try await withDatabase(backend) { database in
        try await Migrator(database: database).migrate()
        let signal = AsyncSignal()
        let accounts = SQLAccountRepository(database: database)
        try await accounts.insert(Account(id: "acct", name: "Test", tokenHash: "hash", sealedToken: Data([1, 2, 3]), createdAt: Timestamp.now()))
        try await body(
            database, SQLComparisonRepository(database: database, maxAttempts: 3, workSignal: signal),
            SQLJobQueue(database: database, workSignal: signal), accounts)
    }
}

/// Runs `body` with an empty database of `backend` and removes it, whatever happens.
func withDatabase(_ backend: StoreBackend, _ body: @escaping @Sendable (any SQLDatabase) async throws -> Void) async throws {
    if backend == .postgres {
        try await TestPostgres.withDatabase { database, _ in try await body(database) }
        return
    }
    let database = try await SQLiteDatabase.open(path: nil, logger: Logger(label: "test"))
    do {
        try await body(database)
    } catch {
        try await database.close()
        throw error
    }
    try await database.close()
}

func sampleComparison(_ identifier: String, created: Date = Timestamp.now(), expiry: Date? = nil) -> Comparison {
    Comparison(
        accountID: "acct", identifier: identifier, left: ComparisonSide(fileType: .pdf, displayName: "l.pdf", originalKey: "k/l"),
        right: ComparisonSide(fileType: .txt, sourceURL: "https://example.com/r.txt"), isPublic: false, creationTime: created,
        expiryTime: expiry)
}

@Suite struct MigrationTests {
    @Test(arguments: StoreBackend.available) func migrateIsIdempotentAndVersioned(_ backend: StoreBackend) async throws {
        try await withDatabase(backend) { database in
            let migrator = Migrator(database: database)
            #expect(try await migrator.currentVersion() == 0)
            await #expect(throws: SchemaMismatch.self) { try await migrator.checkCompatible() }
            let versions = Migrations.all.map(\.version)
            #expect(versions == Array(1...versions.count), "versions are contiguous")
            #expect(try await migrator.migrate() == versions)
            #expect(try await migrator.migrate() == [])
            try await migrator.checkCompatible()
        }
    }

    @Test(arguments: StoreBackend.available) func refusesNewerSchema(_ backend: StoreBackend) async throws {
        try await withDatabase(backend) { database in
            let migrator = Migrator(database: database)
            try await migrator.migrate()
            try await database.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)")
            await #expect { try await migrator.migrate() } throws: { "\($0)".contains("newer") }
            await #expect { try await migrator.checkCompatible() } throws: { "\($0)".contains("999") }
        }
    }
}

@Suite struct ComparisonRepositoryTests {
    @Test(arguments: StoreBackend.available) func roundTripsEveryField(_ backend: StoreBackend) async throws {
        try await withStore(backend) { _, repository, _, _ in
            var comparison = sampleComparison("one", expiry: Timestamp.date(microseconds: 4_000_000_000_123_456))
            try await repository.insertAndEnqueue(comparison, priority: 0)
            #expect(try await repository.find(accountID: "acct", identifier: "one") == comparison)
            comparison.status = .failed
            comparison.errorMessage = "broken"
            comparison.readyTime = Timestamp.now()
            comparison.left.pageCount = 3
            try await repository.update(comparison)
            #expect(try await repository.find(accountID: "acct", identifier: "one") == comparison)
            #expect(try await repository.find(accountID: "other", identifier: "one") == nil)
        }
    }

    @Test(arguments: StoreBackend.available) func duplicateIdentifierIsAConflictAndEnqueuesNothing(_ backend: StoreBackend) async throws {
        try await withStore(backend) { _, repository, queue, _ in
            try await repository.insertAndEnqueue(sampleComparison("dup"), priority: 0)
            await #expect(throws: RedlineError.self) { try await repository.insertAndEnqueue(sampleComparison("dup"), priority: 0) }
            #expect(try await queue.stats().depth == 1)
        }
    }

    @Test(arguments: StoreBackend.available) func listsNewestFirstWithPaging(_ backend: StoreBackend) async throws {
        try await withStore(backend) { _, repository, _, _ in
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

    @Test(arguments: StoreBackend.available) func expiredAndDelete(_ backend: StoreBackend) async throws {
        try await withStore(backend) { _, repository, queue, _ in
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
}

@Suite struct JobQueueTests {
    @Test(arguments: StoreBackend.available) func claimsByPriorityAndLeases(_ backend: StoreBackend) async throws {
        try await withStore(backend) { _, repository, queue, _ in
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

    @Test(arguments: StoreBackend.available) func expiredLeaseIsClaimedAgainAndHeartbeatKeepsIt(_ backend: StoreBackend) async throws {
        try await withStore(backend) { _, repository, queue, _ in
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

    @Test(arguments: StoreBackend.available) func retryWaitsAndReleaseDoesNotCountAnAttempt(_ backend: StoreBackend) async throws {
        try await withStore(backend) { _, repository, queue, _ in
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

    @Test(arguments: StoreBackend.available) func waitForWorkWakesOnEnqueue(_ backend: StoreBackend) async throws {
        try await withStore(backend) { _, repository, queue, _ in
            let clock = ContinuousClock()
            let started = clock.now
            async let waited: Void = queue.waitForWork(timeout: 30)
            try await Task.sleep(for: .milliseconds(50))
            try await repository.insertAndEnqueue(sampleComparison("wake"), priority: 0)
            await waited
            #expect(clock.now - started < .seconds(10))
        }
    }
}

@Suite struct AccountRepositoryTests {
    @Test(arguments: StoreBackend.available) func findsByTokenHashAndRotates(_ backend: StoreBackend) async throws {
        try await withStore(backend) { (_, _, _, accounts) async throws in
            #expect(try await accounts.find(tokenHash: "hash")?.id == "acct")
            #expect(try await accounts.updateToken(accountID: "acct", tokenHash: "new", sealedToken: Data([9]), revoked: false))
            #expect(try await accounts.find(tokenHash: "hash") == nil)
            #expect(try await accounts.find(tokenHash: "new")?.sealedToken == Data([9]))
            #expect(try await !accounts.updateToken(accountID: "nobody", tokenHash: "x", sealedToken: Data(), revoked: false))
        }
    }

    @Test(arguments: StoreBackend.available) func deleteRemovesComparisonsAndJobs(_ backend: StoreBackend) async throws {
        try await withStore(backend) { _, repository, queue, accounts in
            try await repository.insertAndEnqueue(sampleComparison("c"), priority: 0)
            #expect(try await accounts.delete(id: "acct"))
            #expect(try await repository.find(accountID: "acct", identifier: "c") == nil)
            #expect(try await queue.stats().depth == 0)
        }
    }
}

@Suite struct LocalBlobStoreTests {
    func store() throws -> LocalBlobStore {
        try LocalBlobStore(root: FileManager.default.temporaryDirectory.appendingPathComponent("redline-blobs-\(UUID().uuidString)"))
    }

    @Test func putGetDeleteByPrefix() async throws {
        let blobs = try store()
        try await blobs.put("a/b/one", data: Data("1".utf8))
        try await blobs.put("a/b/two", data: Data("2".utf8))
        try await blobs.put("a/c", data: Data("3".utf8))
        #expect(try await blobs.get("a/b/one") == Data("1".utf8))
        try await blobs.deleteAll(prefix: "a/b/")
        #expect(try await blobs.get("a/b/two") == nil)
        #expect(try await blobs.get("a/c") == Data("3".utf8))
        try await blobs.delete("a/c")
        #expect(try await blobs.get("a/c") == nil)
        try? FileManager.default.removeItem(at: blobs.root)
    }

    @Test(arguments: ["../escape", "a/../../etc/passwd", "/absolute", "a//b", ""])
    func refusesKeysThatEscape(_ key: String) async throws {
        let blobs = try store()
        await #expect(throws: RedlineError.self) { try await blobs.put(key, data: Data()) }
        try? FileManager.default.removeItem(at: blobs.root)
    }
}

@Suite struct IncarnationTests {
    @Test(arguments: StoreBackend.available) func updatesNeverTouchAReCreatedComparison(_ backend: StoreBackend) async throws {
        try await withStore(backend) { _, repository, _, _ in
            var old = sampleComparison("reused", created: Timestamp.now().addingTimeInterval(-60))
            try await repository.insertAndEnqueue(old, priority: 0)
            #expect(try await repository.delete(accountID: "acct", identifier: "reused"))
            let new = sampleComparison("reused")
            try await repository.insertAndEnqueue(new, priority: 0)
            // A worker still holding the deleted comparison finishes it.
            old.status = .ready
            old.changeCount = 99
            try await repository.update(old)
            #expect(try await repository.find(accountID: "acct", identifier: "reused") == new)
            #expect(BlobKeys.comparisonPrefix(old) != BlobKeys.comparisonPrefix(new))
        }
    }
}
