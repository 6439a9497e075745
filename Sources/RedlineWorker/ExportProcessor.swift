import Foundation
import Logging
import RedlineCore
import RedlineExport
import Tracing

/// Renders one export job: the comparison's PDFs and change details → annotated PDF (or Word
/// redline) → blob store → export ready.
public struct ExportProcessor<Exports: ExportRepository, Comparisons: ComparisonRepository, Blobs: BlobStore>: JobHandler {
    public let exports: Exports
    public let comparisons: Comparisons
    public let blobs: Blobs
    public let queue: any JobQueue
    public let logger: Logger

    public init(exports: Exports, comparisons: Comparisons, blobs: Blobs, queue: any JobQueue, logger: Logger) {
        self.exports = exports
        self.comparisons = comparisons
        self.blobs = blobs
        self.queue = queue
        self.logger = logger
    }

    public func process(_ job: Job) async {
        do {
            guard var export = try await exports.find(accountID: job.accountID, identifier: job.identifier), !export.status.isFinished else {
                try await queue.complete(jobID: job.id)
                return
            }
            let settlement = JobSettlement(queue: queue, logger: logger)
            do {
                if settlement.isExhausted(job) { throw ExportFailure("The export did not finish after \(job.maxAttempts) attempts.") }
                let clock = ContinuousClock()
                let started = clock.now
                let (result, comparison) = try await withSpan("render") { span in
                    span.attributes["redline.output"] = "export \(export.kind.rawValue)"
                    return try await render(export)
                }
                let key = BlobKeys.export(export, of: comparison)
                try await blobs.put(key, data: result.data)
                export.blobKey = key
                export.status = .ready
                export.readyTime = Timestamp.now()
                try await exports.update(export)
                try await queue.complete(jobID: job.id)
                WorkerMetrics.stage("export", seconds: (clock.now - started).inSeconds)
            } catch {
                var failing = export
                try await settlement.settle(job, after: error) { message in
                    failing.status = .failed
                    failing.errorMessage = message
                    failing.readyTime = Timestamp.now()
                    try await exports.update(failing)
                } requeue: {}
            }
        } catch {
            logger.error("could not settle export job", metadata: ["job": "\(job.id)", "error": "\(error)"])
        }
    }

    private func render(_ export: Export) async throws -> (ExportResult, Comparison) {
        guard let comparison = try await comparisons.find(accountID: export.accountID, identifier: export.comparisonIdentifier),
            comparison.status == .ready
        else { throw ExportFailure("The comparison is gone or not ready.") }
        func load(_ key: String?, _ what: String) async throws -> Data {
            guard let key, let data = try await blobs.get(key) else { throw ExportFailure("The \(what) of the comparison is missing.") }
            return data
        }
        let request = ExportRequest(
            kind: ExportKind(rawValue: export.kind.rawValue) ?? .right,
            leftPDF: try await load(comparison.left.pdfKey, "left PDF"),
            rightPDF: try await load(comparison.right.pdfKey, "right PDF"),
            changeDetailsJSON: try await load(BlobKeys.changeDetails(comparison), "change details"),
            includeCoverPage: export.includeCoverPage,
            leftName: comparison.left.displayName ?? "Left", rightName: comparison.right.displayName ?? "Right",
            rightOriginalDocx: export.kind == .redlineDocx ? try await load(comparison.right.originalKey, "right document") : nil)
        return (try await offload { try ExportRenderer.render(request) }, comparison)
    }
}

/// An export that cannot be made; ends the export `failed` with this message.
struct ExportFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
