import Foundation
import Synchronization

/// Shared request budgets (per account, per IP…). Implementations: in memory (one process) and
/// Redis (every replica shares the budget).
///
/// Never throws: a limiter whose backend is down lets requests through (fail open) rather than
/// turning a cache outage into an API outage.
public protocol RateLimiter: Sendable {
    /// Counts one request for `key`; true while it is within `limit` requests per sliding `window`.
    func allow(key: String, limit: Int, window: TimeInterval) async -> Bool
}

/// A best-effort byte cache shared by replicas. Never throws: when the backend is down, reads miss
/// and writes are dropped.
public protocol Cache: Sendable {
    func get(_ key: String) async -> Data?
    func set(_ key: String, value: Data, ttl: TimeInterval) async
    func delete(_ key: String) async
}

/// Sliding-window estimate both limiters use: the previous fixed window's count, weighted by how
/// much of it still overlaps the sliding window, plus the current window's count.
public enum SlidingWindow {
    public static func estimate(previous: Int, current: Int, elapsedFraction: Double) -> Double {
        Double(previous) * max(0, 1 - elapsedFraction) + Double(current)
    }
}

/// The single-process `RateLimiter`.
public final class InMemoryRateLimiter: RateLimiter {
    private struct Counter { var window: Int64; var current: Int; var previous: Int }
    private let counters = Mutex([String: Counter]())

    public init() {}

    public func allow(key: String, limit: Int, window: TimeInterval) async -> Bool {
        allow(key: key, limit: limit, window: window, now: Date())
    }

    func allow(key: String, limit: Int, window: TimeInterval, now: Date) -> Bool {
        let position = now.timeIntervalSince1970 / max(window, 0.001)
        let index = Int64(position.rounded(.down))
        return counters.withLock { counters in
            var counter = counters[key] ?? Counter(window: index, current: 0, previous: 0)
            if counter.window != index {
                counter.previous = counter.window == index - 1 ? counter.current : 0
                counter.current = 0
                counter.window = index
            }
            counter.current += 1
            counters[key] = counter
            if counters.count > 100_000 { counters = counters.filter { $0.value.window >= index - 1 } }
            return SlidingWindow.estimate(previous: counter.previous, current: counter.current, elapsedFraction: position - Double(index))
                <= Double(limit)
        }
    }
}

/// The single-process `Cache`, with expiry and a size cap (oldest-expiring entries go first).
public final class InMemoryCache: Cache {
    private let entries = Mutex([String: (value: Data, expires: Date)]())
    private let maxEntries: Int

    public init(maxEntries: Int = 10_000) { self.maxEntries = maxEntries }

    public func get(_ key: String) async -> Data? {
        entries.withLock { entries in
            guard let entry = entries[key] else { return nil }
            if entry.expires <= Date() {
                entries[key] = nil
                return nil
            }
            return entry.value
        }
    }

    public func set(_ key: String, value: Data, ttl: TimeInterval) async {
        entries.withLock { entries in
            entries[key] = (value, Date().addingTimeInterval(ttl))
            if entries.count > maxEntries {
                let now = Date()
                entries = entries.filter { $0.value.expires > now }
                while entries.count > maxEntries, let oldest = entries.min(by: { $0.value.expires < $1.value.expires }) {
                    entries[oldest.key] = nil
                }
            }
        }
    }

    public func delete(_ key: String) async {
        _ = entries.withLock { $0.removeValue(forKey: key) }
    }
}
