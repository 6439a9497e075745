import Foundation
import Logging
import RedlineCore
import RedlineExport
import RedlinePDF

/// Something that runs one kind of job and settles it in the queue.
public protocol JobHandler: Sendable {
    func process(_ job: Job) async
}

/// The retry policy every job shares: a document problem ends the work `failed` at once with its
/// message; a transient problem (storage, network, a crashed converter) is retried with exponential
/// backoff until the job's attempts run out, then fails with the last message.
struct JobSettlement {
    let queue: any JobQueue
    let logger: Logger

    func settle(
        _ job: Job, after error: any Error, fail: (String) async throws -> Void, requeue: () async throws -> Void
    ) async throws {
        let (message, permanent) = Self.classify(error)
        if permanent || job.attempts >= job.maxAttempts {
            try await fail(permanent ? message : "Failed after \(job.attempts) attempts: \(message)")
            try await queue.complete(jobID: job.id)
            WorkerMetrics.outcome("failed")
            logger.notice("job failed", metadata: ["job": "\(job.id)", "kind": "\(job.kind.rawValue)", "error": "\(message)"])
        } else {
            try await requeue()
            try await queue.retry(jobID: job.id, after: min(60, pow(2, Double(job.attempts))), error: message)
            WorkerMetrics.outcome("retried")
            logger.warning("job will be retried", metadata: ["job": "\(job.id)", "kind": "\(job.kind.rawValue)", "error": "\(message)"])
        }
    }

    /// A job whose lease expired on every attempt: the worker died each time (e.g. a hostile document).
    func isExhausted(_ job: Job) -> Bool { job.attempts > job.maxAttempts }

    static func classify(_ error: any Error) -> (message: String, permanent: Bool) {
        switch error {
        case RedlineError.transient(let message): (message, false)
        case let error as RedlineError: (error.description, true)
        case let error as PDFError: ("The document could not be read: \(error)", true)
        case let error as ExportError: (error.description, true)
        case let error as ExportFailure: (error.description, true)
        default: ("\(error)", false)
        }
    }
}
