import Foundation
import Logging
import PostgresNIO
import RedlineCore
import RedlineStorage

/// Cross-process wake-ups for the job queue: a long-running task that LISTENs on
/// `JobQueueChannel.name` and signals `signal` on every notification.
///
/// `AsyncSignal` only wakes workers in the process that enqueued; with PostgreSQL several API and
/// worker processes share one queue. Enqueuers notify through RedlineStorage's
/// `SQLDatabase.notifyJobQueue()` inside the enqueuing transaction, so it is delivered on commit.
///
/// It holds one pool connection while listening. When the connection drops it reconnects with
/// exponential backoff (0.5 s doubling to 30 s) and signals once after every (re)connect, because
/// notifications sent while it was away are lost and work may be waiting. `run()` returns when its
/// task is cancelled; under ServiceLifecycle wrap it in `cancelWhenGracefulShutdown`.
public struct PostgresJobListener: Sendable {
    public let database: PostgresDatabase
    public let signal: AsyncSignal
    public let logger: Logger

    public init(database: PostgresDatabase, signal: AsyncSignal, logger: Logger) {
        self.database = database
        self.signal = signal
        self.logger = logger
    }

    public func run() async {
        var backoff = Duration.milliseconds(500)
        while !Task.isCancelled {
            do {
                try await database.client.withConnection { connection in
                    try await connection.listen(on: JobQueueChannel.name) { notifications in
                        logger.debug("listening for job notifications")
                        backoff = .milliseconds(500)
                        signal.signal()
                        for try await _ in notifications { signal.signal() }
                    }
                }
                if Task.isCancelled { return }
                logger.warning("job notification stream ended; reconnecting")
            } catch {
                if Task.isCancelled { return }
                logger.warning("job notification listener failed; retrying in \(backoff)", metadata: ["error": "\(Self.describe(error))"])
            }
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, .seconds(30))
        }
    }

    private static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError { return "\(PostgresErrors.translate(error))" }
        return "\(error)"
    }
}
