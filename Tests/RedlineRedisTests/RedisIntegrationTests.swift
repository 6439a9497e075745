import Foundation
import Logging
import RedlineCore
import RedlineRedis
import Testing

enum TestRedis {
    static let url = ProcessInfo.processInfo.environment["REDLINE_TEST_REDIS_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let logger = Logger(label: "redline.redis.test")

    static func client() throws -> RedisClient {
        RedisClient(configuration: try RedisConfiguration(url: try #require(url)), logger: logger)
    }

    /// `redis-server` next to the configured one (the outage test stops and restarts its own).
    static var serverBinary: String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") + ["/usr/bin", "/usr/local/bin"]
        return paths.map { "\($0)/redis-server" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

@Suite(.enabled(if: TestRedis.url != nil, "set REDLINE_TEST_REDIS_URL"))
struct RedisIntegrationTests {
    @Test func commandsAndPipelining() async throws {
        let client = try TestRedis.client()
        defer { Task { await client.close() } }
        let key = "test:\(UUID().uuidString)"
        #expect(try await client.command(["SET", key, "v"]) == .simpleString("OK"))
        #expect(try await client.command(["GET", key]).string == "v")
        #expect(try await client.command(["GET", key + ":missing"]) == .null)
        await #expect(throws: RedisError.self) { try await client.command(["INCR", key]) }  // not an integer
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<200 { group.addTask { try await client.command(["INCR", key + ":n"]) } }
            try await group.waitForAll()
        }
        #expect(try await client.command(["GET", key + ":n"]).int == 200)
        try await client.command(["DEL", key, key + ":n"])
    }

    @Test func rateLimiterEnforcesTheLimitAcrossClients() async throws {
        let first = RedisRateLimiter(client: try TestRedis.client())
        let second = RedisRateLimiter(client: try TestRedis.client())
        let key = "acct-\(UUID().uuidString)"
        // Connect both first: a connect slower than the command timeout would fail open (by design) and count as allowed.
        _ = try await first.client.command(["PING"])
        _ = try await second.client.command(["PING"])
        var allowed = 0
        for i in 0..<10 where await (i.isMultiple(of: 2) ? first : second).allow(key: key, limit: 6, window: 60) { allowed += 1 }
        #expect(allowed == 6)
    }

    @Test func cacheRoundTripsBinaryAndExpires() async throws {
        let cache = RedisCache(client: try TestRedis.client())
        let key = UUID().uuidString
        let value = Data([0, 13, 10, 255, 36, 42])
        // Long enough that a loaded machine cannot expire it between set and get; the expiry itself
        // is checked on a second key with a short TTL, waited out generously.
        await cache.set(key, value: value, ttl: 30)
        #expect(await cache.get(key) == value)
        let short = UUID().uuidString
        await cache.set(short, value: value, ttl: 0.2)
        try await Task.sleep(for: .milliseconds(1200))
        #expect(await cache.get(short) == nil)
    }

    @Test(.enabled(if: TestRedis.serverBinary != nil, "needs redis-server"))
    func outageFailsOpenAndRecovers() async throws {
        let port = Int.random(in: 20_000..<60_000)
        var server = try startServer(port: port)
        defer { stop(server) }
        var configuration = RedisConfiguration(host: "127.0.0.1", port: port)
        configuration.commandTimeout = .milliseconds(500)
        let client = RedisClient(configuration: configuration, logger: TestRedis.logger)
        let limiter = RedisRateLimiter(client: client)
        let cache = RedisCache(client: client)
        try await waitUntilReachable(client)

        await cache.set("k", value: Data("v".utf8), ttl: 60)
        #expect(await cache.get("k") == Data("v".utf8))
        #expect(await limiter.allow(key: "x", limit: 1, window: 60))
        #expect(await !limiter.allow(key: "x", limit: 1, window: 60))

        stop(server)
        let clock = ContinuousClock()
        let started = clock.now
        for _ in 0..<20 {
            #expect(await limiter.allow(key: "x", limit: 1, window: 60))  // fails open
            #expect(await cache.get("k") == nil)  // misses
            await cache.set("k", value: Data(), ttl: 1)  // dropped, no throw
        }
        #expect(clock.now - started < .seconds(5))

        server = try startServer(port: port)
        try await waitUntilReachable(client)
        await cache.set("k", value: Data("back".utf8), ttl: 60)
        #expect(await cache.get("k") == Data("back".utf8))
        #expect(await limiter.allow(key: "y", limit: 1, window: 60))
        #expect(await !limiter.allow(key: "y", limit: 1, window: 60))
        await client.close()
    }

    /// SIGKILL: a crash, and the test process may have SIGTERM blocked (children inherit the mask).
    func stop(_ process: Process) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func startServer(port: Int) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(TestRedis.serverBinary))
        process.arguments = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel", "warning"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Retries PING for up to 10 s (the server is starting, or the client is backing off).
    func waitUntilReachable(_ client: RedisClient) async throws {
        for _ in 0..<100 {
            if (try? await client.command(["PING"])) == .simpleString("PONG") { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("redis-server did not answer")
    }
}
