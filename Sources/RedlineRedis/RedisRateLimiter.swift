import Foundation
import Logging
import RedlineCore

/// `RateLimiter` shared by every replica through Redis: a sliding-window estimate over two fixed
/// windows, counted atomically by a Lua script (INCR + PEXPIRE, read the previous window).
///
/// Fails open: if Redis cannot be reached the request is allowed (and the outage logged once).
public struct RedisRateLimiter: RateLimiter {
    public let client: RedisClient
    public let prefix: String

    static let script = """
        local n = redis.call('INCR', KEYS[1])
        if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        local p = redis.call('GET', KEYS[2])
        return {n, tonumber(p or '0')}
        """

    public init(client: RedisClient, prefix: String = "redline:rl:") {
        self.client = client
        self.prefix = prefix
    }

    public func allow(key: String, limit: Int, window: TimeInterval) async -> Bool {
        let window = max(window, 0.001)
        let position = Date().timeIntervalSince1970 / window
        let index = Int64(position.rounded(.down))
        let ttl = Int64(window * 2_000) + 1_000  // the window is read again as "previous"
        do {
            let reply = try await client.command([
                "EVAL", Self.script, "2", "\(prefix)\(key):\(index)", "\(prefix)\(key):\(index - 1)", String(ttl),
            ])
            client.noteSuccess()
            guard case .array(let values) = reply, values.count == 2, let current = values[0].int, let previous = values[1].int else {
                return true
            }
            return SlidingWindow.estimate(previous: Int(previous), current: Int(current), elapsedFraction: position - Double(index))
                <= Double(limit)
        } catch {
            client.noteFailure(error)
            return true
        }
    }
}

/// `Cache` in Redis (GET / SET … PX). Misses and drops writes while Redis is unreachable.
public struct RedisCache: Cache {
    public let client: RedisClient
    public let prefix: String

    public init(client: RedisClient, prefix: String = "redline:cache:") {
        self.client = client
        self.prefix = prefix
    }

    public func get(_ key: String) async -> Data? {
        do {
            let reply = try await client.command(["GET", prefix + key])
            client.noteSuccess()
            if case .bulkString(let bytes) = reply { return Data(bytes) }
            return nil
        } catch {
            client.noteFailure(error)
            return nil
        }
    }

    public func set(_ key: String, value: Data, ttl: TimeInterval) async {
        do {
            try await client.command(bytes: [
                Array("SET".utf8), Array((prefix + key).utf8), Array(value), Array("PX".utf8), Array(String(max(1, Int64(ttl * 1000))).utf8),
            ])
            client.noteSuccess()
        } catch {
            client.noteFailure(error)
        }
    }

    public func delete(_ key: String) async {
        do {
            try await client.command(["DEL", prefix + key])
            client.noteSuccess()
        } catch {
            client.noteFailure(error)
        }
    }
}
