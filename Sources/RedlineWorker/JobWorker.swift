import Foundation
import Logging
import RedlineCore
import ServiceLifecycle
import Tracing

/// The worker role: claims jobs (comparisons, exports) from the queue and runs them, `concurrency` at a time.
///
/// A claimed job's lease is renewed by a heartbeat while it runs. On graceful shutdown the worker
/// stops claiming and lets running jobs finish; a process killed outright leaves leases that
/// expire, and the jobs run again elsewhere.
public struct JobWorker: Service {
    /// The handler of each job kind.
    public let handlers: [Job.Kind: any JobHandler]
    public let queue: any JobQueue
    public let concurrency: Int
    public let lease: TimeInterval
    public let workerID: String
    public let logger: Logger

    public init(handlers: [Job.Kind: any JobHandler], queue: any JobQueue, concurrency: Int, lease: TimeInterval, logger: Logger) {
        self.handlers = handlers
        self.queue = queue
        self.concurrency = concurrency
        self.lease = lease
        self.workerID = "\(ProcessInfo.processInfo.hostName)-\(getpid())-\(UUID().uuidString.prefix(8))"
        self.logger = logger
    }

    public func run() async throws {
        logger.info("worker started", metadata: ["worker": "\(workerID)", "concurrency": "\(concurrency)"])
        await withDiscardingTaskGroup { group in
            for slot in 0..<concurrency {
                group.addTask { await self.loop(slot: slot) }
            }
        }
        let reason = Task.isShuttingDownGracefully ? "graceful shutdown" : Task.isCancelled ? "cancelled" : "unexpected"
        logger.info("worker stopped", metadata: ["worker": "\(workerID)", "reason": "\(reason)"])
    }

    private func loop(slot: Int) async {
        let id = "\(workerID)/\(slot)"
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let job: Job?
            do {
                job = try await queue.claim(workerID: id, lease: lease)
            } catch {
                logger.error("claiming a job failed", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(2))
                continue
            }
            guard let job else {
                if slot == 0, let stats = try? await queue.stats() {
                    WorkerMetrics.queue(depth: stats.depth, oldestAgeSeconds: stats.oldestAgeSeconds)
                }
                await cancelWhenGracefulShutdown { await queue.waitForWork(timeout: 2) }
                continue
            }
            logger.info("job claimed", metadata: ["job": "\(job.id)", "kind": "\(job.kind.rawValue)", "identifier": "\(job.identifier)", "attempt": "\(job.attempts)"])
            await runWithHeartbeat(job, leaseOwner: id)
        }
    }

    private func runWithHeartbeat(_ job: Job, leaseOwner: String) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(max(1, lease / 3)))
                    if Task.isCancelled { break }
                    _ = try? await queue.heartbeat(jobID: job.id, workerID: leaseOwner, lease: lease)
                }
            }
            // Shielded from graceful-shutdown cancellation: a started job finishes.
            if let handler = handlers[job.kind] {
                // Continues the trace of the request that enqueued the job (a new one if none was stored).
                await withSpan("job.\(job.kind.rawValue)", context: TraceContext.context(traceparent: job.traceparent), ofKind: .consumer) { span in
                    span.attributes["redline.job.id"] = Int(job.id)
                    span.attributes["redline.job.attempt"] = job.attempts
                    span.attributes["redline.comparison.identifier"] = job.identifier
                    await handler.process(job)
                }
            } else {
                try? await queue.retry(jobID: job.id, after: 60, error: "this worker cannot run \(job.kind.rawValue) jobs")
            }
            group.cancelAll()
        }
    }
}
