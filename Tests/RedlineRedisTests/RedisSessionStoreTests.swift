import Foundation
import RedlineCore
import RedlineRedis
import Testing

/// Web sessions in a real Redis: shared, expiring, and ended per user.
@Suite(.enabled(if: TestRedis.url != nil, "set REDLINE_TEST_REDIS_URL"))
struct RedisSessionStoreTests {
    @Test func sessionsRoundTripExpireAndEndPerUser() async throws {
        let client = try TestRedis.client()
        let store = RedisSessionStore(client: client)
        let user = "user-\(UUID().uuidString)"
        let now = Timestamp.now()
        let first = WebSession(idHash: "s-\(UUID().uuidString)", userID: user, csrfToken: "c1", createdAt: now, expiresAt: now.addingTimeInterval(60))
        let second = WebSession(idHash: "s-\(UUID().uuidString)", userID: user, csrfToken: "c2", createdAt: now, expiresAt: now.addingTimeInterval(60))
        let brief = WebSession(idHash: "s-\(UUID().uuidString)", userID: "other", csrfToken: "c3", createdAt: now, expiresAt: now.addingTimeInterval(30))
        for session in [first, second, brief] { try await store.create(session) }
        #expect(try await store.find(idHash: first.idHash) == first)
        // Redis expires each session by its own TTL: after its lifetime it is gone without any sweep.
        let ttl = try await client.command(["TTL", "redline:session:\(brief.idHash)"])
        #expect((1...30).contains(ttl.int ?? -1))
        try await store.delete(idHash: first.idHash)
        #expect(try await store.find(idHash: first.idHash) == nil)
        #expect(try await store.find(idHash: second.idHash) != nil)
        try await store.deleteAll(userID: user)
        #expect(try await store.find(idHash: second.idHash) == nil)
        #expect(try await store.find(idHash: brief.idHash) != nil, "other users' sessions stay")
        await client.close()
    }
}
