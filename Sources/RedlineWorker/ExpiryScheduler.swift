import Foundation
import Logging
import RedlineCore
import ServiceLifecycle

/// The scheduler role: deletes comparisons (rows and blobs) whose expiry time has passed.
///
/// Replicas are safe: only the leader (see `LeaderElection`) sweeps; the others wait and take over
/// when the leader goes away.
public struct ExpiryScheduler<Comparisons: ComparisonRepository, Blobs: BlobStore>: Service {
    public let comparisons: Comparisons
    public let blobs: Blobs
    public let interval: TimeInterval
    public let election: any LeaderElection
    public let logger: Logger

    public init(
        comparisons: Comparisons, blobs: Blobs, interval: TimeInterval, election: any LeaderElection = SoleLeader(), logger: Logger
    ) {
        self.comparisons = comparisons
        self.blobs = blobs
        self.interval = interval
        self.election = election
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let led = try await election.runAsLeader {
                    logger.info("scheduler is the leader")
                    await sweepUntilShutdown()
                }
                if !led { logger.debug("another scheduler leads; waiting") }
            } catch {
                logger.error("scheduler leadership failed", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(interval)) }
        }
    }

    private func sweepUntilShutdown() async {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let deleted = try await sweep()
                if deleted > 0 { logger.info("expired comparisons deleted", metadata: ["count": "\(deleted)"]) }
            } catch {
                logger.error("expiry sweep failed", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(interval)) }
        }
    }

    /// Deletes everything expired as of `now`; returns how many comparisons went.
    @discardableResult
    public func sweep(now: Date = Date()) async throws -> Int {
        var total = 0
        while true {
            let batch = try await comparisons.expired(before: now, limit: 100)
            if batch.isEmpty { return total }
            for comparison in batch {
                _ = try await comparisons.delete(accountID: comparison.accountID, identifier: comparison.identifier)
                try await blobs.deleteAll(prefix: comparison.blobPrefix)
                total += 1
            }
        }
    }
}
