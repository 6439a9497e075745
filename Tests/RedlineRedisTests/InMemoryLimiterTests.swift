import Foundation
import RedlineCore
import Testing

@Suite struct InMemoryLimiterAndCacheTests {
    @Test func limiterAllowsUpToTheLimitPerKey() async {
        let limiter = InMemoryRateLimiter()
        var allowed = 0
        for _ in 0..<10 where await limiter.allow(key: "a", limit: 5, window: 60) { allowed += 1 }
        #expect(allowed == 5)
        #expect(await limiter.allow(key: "b", limit: 5, window: 60))
    }

    @Test func cacheExpires() async throws {
        let cache = InMemoryCache()
        await cache.set("k", value: Data([1, 2]), ttl: 0.1)
        #expect(await cache.get("k") == Data([1, 2]))
        try await Task.sleep(for: .milliseconds(150))
        #expect(await cache.get("k") == nil)
        await cache.set("k", value: Data([3]), ttl: 60)
        await cache.delete("k")
        #expect(await cache.get("k") == nil)
    }
}
