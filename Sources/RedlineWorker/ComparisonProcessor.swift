import Foundation
import Logging
import RedlineCore
import RedlineEngine
import RedlinePDF
import Tracing

/// Runs one comparison job: originals → PDFs → engine → change details → ready (or failed).
///
/// Document problems end the comparison `failed` with a message people can act on; transient
/// problems (storage, network) are retried with backoff until the job's attempts run out.
public struct ComparisonProcessor<Comparisons: ComparisonRepository, Blobs: BlobStore>: JobHandler {
    public let comparisons: Comparisons
    public let blobs: Blobs
    public let queue: any JobQueue
    public let converter: any DocumentConverter
    public let fetcher: any SourceFetcher
    public let engine: ComparisonEngine
    public let maxFileBytes: Int
    public let maxPages: Int
    public let logger: Logger
    /// Per-account page limits set by administrators (they only tighten `maxPages`).
    public let settings: (any AccountSettingsRepository)?

    public init(
        comparisons: Comparisons, blobs: Blobs, queue: any JobQueue, converter: any DocumentConverter, fetcher: any SourceFetcher,
        engine: ComparisonEngine = ComparisonEngine(), maxFileBytes: Int, maxPages: Int, logger: Logger,
        settings: (any AccountSettingsRepository)? = nil
    ) {
        self.settings = settings
        self.comparisons = comparisons
        self.blobs = blobs
        self.queue = queue
        self.converter = converter
        self.fetcher = fetcher
        self.engine = engine
        self.maxFileBytes = maxFileBytes
        self.maxPages = maxPages
        self.logger = logger
    }

    /// Processes a claimed job and settles it in the queue (complete or retry).
    public func process(_ job: Job) async {
        let metadata: Logger.Metadata = ["job": "\(job.id)", "identifier": "\(job.identifier)", "attempt": "\(job.attempts)"]
        do {
            guard var comparison = try await comparisons.find(accountID: job.accountID, identifier: job.identifier) else {
                try await queue.complete(jobID: job.id)  // deleted meanwhile
                return
            }
            if comparison.status.isFinished {
                try await queue.complete(jobID: job.id)
                return
            }
            let settlement = JobSettlement(queue: queue, logger: logger)
            if settlement.isExhausted(job) {
                try await fail(&comparison, "The comparison did not finish after \(job.maxAttempts) attempts and was stopped.")
                try await queue.complete(jobID: job.id)
                return
            }
            comparison.status = .processing
            try await comparisons.update(comparison)
            do {
                let clock = ContinuousClock()
                let started = clock.now
                try await run(&comparison)
                try await queue.complete(jobID: job.id)
                let total = clock.now - started
                WorkerMetrics.stage("total", seconds: total.inSeconds)
                WorkerMetrics.outcome("ready")
                logger.info("comparison ready", metadata: metadata)
            } catch {
                var failing = comparison
                try await settlement.settle(job, after: error) { message in
                    try await fail(&failing, message)
                } requeue: {
                    failing.status = .queued
                    try await comparisons.update(failing)
                }
            }
        } catch {
            // The database itself failed; the lease will expire and another attempt will follow.
            logger.error("could not settle job", metadata: metadata.merging(["error": "\(error)"]) { $1 })
        }
    }

    private func run(_ comparison: inout Comparison) async throws {
        let snapshot = comparison
        let clock = ContinuousClock()
        let started = clock.now
        async let leftPDF = pdf(for: snapshot, side: .left)
        async let rightPDF = pdf(for: snapshot, side: .right)
        let (left, right) = try await (leftPDF, rightPDF)
        let converted = clock.now - started
        WorkerMetrics.stage("convert", seconds: converted.inSeconds)
        comparison.left = left.side
        comparison.right = right.side
        // Stored now: people watching see "comparing", and a retry reuses the converted PDFs.
        try await comparisons.update(comparison)
        let engine = self.engine
        let compared = Date()
        let result = try await offload { try engine.compare(left: left.pdf, right: right.pdf) }
        for (stage, seconds) in result.timings { WorkerMetrics.stage(stage, seconds: seconds) }
        var stages = StageSpans(startingAt: compared)
        let extract = result.timings["extract"] ?? 0
        var pages = SpanAttributes()
        pages["redline.pages"] = result.leftPageCount + result.rightPageCount
        stages.record("extract", seconds: extract, attributes: pages)
        stages.record("diff", seconds: max(0, (result.timings["total"] ?? extract) - extract))
        let accountLimit = try await settings?.settings(accountID: comparison.accountID).maxPages
        let maxPages = min(self.maxPages, accountLimit ?? .max)
        for (side, pages) in [("left", result.leftPageCount), ("right", result.rightPageCount)] where pages > maxPages {
            throw RedlineError.badDocument("The \(side) document has \(pages) pages; the limit is \(maxPages) pages.")
        }
        comparison.left.pageCount = result.leftPageCount
        comparison.right.pageCount = result.rightPageCount
        let key = BlobKeys.changeDetails(comparison)
        try await withSpan("render") { span in
            span.attributes["redline.output"] = "change details"
            try await blobs.put(key, data: try result.changeDetails.jsonData())
        }
        comparison.changeCount = result.changeDetails.changes.filter { $0.kind != .match }.count
        comparison.status = .ready
        comparison.readyTime = Timestamp.now()
        comparison.errorMessage = nil
        try await comparisons.update(comparison)
        // Deleted (or deleted and re-created) while we worked: remove what this run wrote after the delete.
        let current = try await comparisons.find(accountID: comparison.accountID, identifier: comparison.identifier)
        if current?.creationTime != comparison.creationTime {
            try await blobs.deleteAll(prefix: comparison.blobPrefix)
        }
    }

    /// The PDF of one side: fetched or uploaded original, converted, stored.
    private func pdf(for comparison: Comparison, side: Side) async throws -> (side: ComparisonSide, pdf: Data) {
        var info = comparison.side(side)
        if let pdfKey = info.pdfKey, let pdf = try await blobs.get(pdfKey) { return (info, pdf) }
        let original: Data
        if let key = info.originalKey {
            guard let data = try await blobs.get(key) else { throw RedlineError.badDocument("The uploaded \(side.rawValue) file is missing.") }
            original = data
        } else if let url = info.sourceURL {
            original = try await fetcher.fetch(url, maxBytes: maxFileBytes)
            let key = BlobKeys.original(comparison, side, nonce: "fetched")
            try await blobs.put(key, data: original)
            info.originalKey = key
        } else {
            throw RedlineError.badDocument("The \(side.rawValue) side has neither a file nor a source_url.")
        }
        let pdf: Data
        do {
            let converter = self.converter
            pdf = try await withSpan("convert") { span in
                span.attributes["redline.side"] = side.rawValue
                span.attributes["redline.file_type"] = info.fileType.rawValue
                return try await converter.convertToPDF(original, fileType: info.fileType)
            }
        } catch RedlineError.badDocument(let message) {
            throw RedlineError.badDocument("\(side.rawValue.capitalized) document: \(message)")
        }
        let key = BlobKeys.pdf(comparison, side)
        if info.fileType != .pdf { try await blobs.put(key, data: pdf) }
        info.pdfKey = info.fileType == .pdf ? info.originalKey : key
        return (info, pdf)
    }

    private func fail(_ comparison: inout Comparison, _ message: String) async throws {
        comparison.status = .failed
        comparison.errorMessage = message
        comparison.readyTime = Timestamp.now()
        try await comparisons.update(comparison)
    }
}
