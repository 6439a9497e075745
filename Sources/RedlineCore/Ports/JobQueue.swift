import Foundation

/// The background work queue.
///
/// Claiming leases a job for `lease` seconds; a live worker extends the lease with `heartbeat`.
/// An expired lease makes the job claimable again, so a killed worker loses nothing.
public protocol JobQueue: Sendable {
    func claim(workerID: String, lease: TimeInterval) async throws -> Job?
    func heartbeat(jobID: Int64, workerID: String, lease: TimeInterval) async throws -> Bool
    func complete(jobID: Int64) async throws
    /// Returns the job to the queue to run again after `retryAfter` seconds.
    func retry(jobID: Int64, after retryAfter: TimeInterval, error: String) async throws
    /// Gives the lease back without counting an attempt (graceful shutdown).
    func release(jobID: Int64, workerID: String) async throws
    /// Waits until new work may be available or `timeout` passes.
    func waitForWork(timeout: TimeInterval) async
    /// Jobs not finished yet and the age of the oldest, for readiness, metrics and alerts.
    func stats() async throws -> QueueStats
}

/// How much work waits in the queue.
public struct QueueStats: Sendable, Equatable {
    public var depth: Int
    /// Seconds since the oldest unfinished job was enqueued (0 when empty).
    public var oldestAgeSeconds: Double

    public init(depth: Int, oldestAgeSeconds: Double) {
        self.depth = depth
        self.oldestAgeSeconds = oldestAgeSeconds
    }
}
