import Dispatch
import Foundation
import RedlinePDF

/// What a comparison produced, plus how long each stage took.
public struct ComparisonResult: Sendable {
    public var changeDetails: ChangeDetails
    public var leftPageCount: Int
    public var rightPageCount: Int
    /// Stage name ("extract", "align", "build", "total") -> seconds.
    public var timings: [String: Double]

    public init(changeDetails: ChangeDetails, leftPageCount: Int, rightPageCount: Int, timings: [String: Double]) {
        self.changeDetails = changeDetails
        self.leftPageCount = leftPageCount
        self.rightPageCount = rightPageCount
        self.timings = timings
    }
}

/// Compares two PDFs word by word and describes every matched and changed stretch with page regions
/// and styles. Stateless and `Sendable`: one instance can serve many concurrent comparisons.
public struct ComparisonEngine: Sendable {
    public var options: ComparisonOptions

    public init(options: ComparisonOptions = .init()) {
        self.options = options
    }

    /// Compares two PDFs. Throws `PDFError` (with a human message) when either side cannot be read.
    public func compare(left: Data, right: Data) throws -> ComparisonResult {
        let start = Date()
        let (leftText, rightText) = try extract(left, right)
        let extracted = Date()
        var result = compare(left: leftText, right: rightText)
        result.timings["extract"] = extracted.timeIntervalSince(start)
        result.timings["total"] = Date().timeIntervalSince(start)
        return result
    }

    /// Compares already extracted documents.
    public func compare(left: DocumentText, right: DocumentText) -> ComparisonResult {
        var timings: [String: Double] = [:]
        var clock = Date()
        func lap(_ name: String) {
            let now = Date()
            timings[name] = now.timeIntervalSince(clock)
            clock = now
        }
        var interner = KeyInterner()
        let tokenizer = Tokenizer(options: options)
        let leftStreams = tokenizer.tokenize(left, interner: &interner)
        let rightStreams = tokenizer.tokenize(right, interner: &interner)
        lap("tokenize")

        let aligner = TokenAligner(vocabularySize: interner.count)
        var bodySegments = segments(aligner, leftStreams.body, rightStreams.body)
        var furnitureSegments = segments(aligner, leftStreams.furniture, rightStreams.furniture)
        lap("align")

        if options.detectMoves {
            bodySegments = MoveDetector(
                minimumTokens: options.minimumMoveWords, similarity: options.moveSimilarity, vocabularySize: interner.count
            ).detect(bodySegments, leftTokens: leftStreams.body, rightTokens: rightStreams.body)
        }
        if options.detectStyleChanges {
            bodySegments = SegmentBuilder.splitStyleChanges(
                bodySegments, leftTokens: leftStreams.body, rightTokens: rightStreams.body, options: options)
            furnitureSegments = SegmentBuilder.splitStyleChanges(
                furnitureSegments, leftTokens: leftStreams.furniture, rightTokens: rightStreams.furniture, options: options)
        }
        lap("postprocess")

        let bodyChanges = ChangeBuilder(
            left: ComparisonSide(document: left, tokens: leftStreams.body),
            right: ComparisonSide(document: right, tokens: rightStreams.body)
        ).changes(for: bodySegments)
        let furnitureChanges = ChangeBuilder(
            left: ComparisonSide(document: left, tokens: leftStreams.furniture),
            right: ComparisonSide(document: right, tokens: rightStreams.furniture)
        ).changes(for: furnitureSegments)
        let built = Self.interleave(body: bodyChanges, furniture: furnitureChanges, left: left, right: right)
        let summary = Self.summary(of: built, left: left, right: right)
        let changes = built.map(\.change)
        lap("build")

        return ComparisonResult(
            changeDetails: ChangeDetails(changes: changes, summary: summary),
            leftPageCount: left.pageCount, rightPageCount: right.pageCount, timings: timings)
    }

    private func segments(_ aligner: TokenAligner, _ left: [Token], _ right: [Token]) -> [Segment] {
        let runs = aligner.align(left.map(\.key), right.map(\.key))
        var segments = SegmentBuilder.segments(from: runs, leftCount: left.count, rightCount: right.count)
        if options.mergeSmallIslands {
            segments = SegmentBuilder.mergeSmallIslands(segments, leftTokens: left, rightTokens: right)
        }
        return segments
    }

    /// Opens and extracts both PDFs, on two threads when allowed (each thread owns its document).
    private func extract(_ left: Data, _ right: Data) throws(PDFError) -> (DocumentText, DocumentText) {
        guard options.parallelExtraction else {
            return (try DocumentText(pdf: left), try DocumentText(pdf: right))
        }
        let box = ExtractionBox()
        let inputs = [left, right]
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            let result: Result<DocumentText, PDFError>
            do throws(PDFError) {
                result = .success(try DocumentText(pdf: inputs[index]))
            } catch {
                result = .failure(error)
            }
            box.set(index, result)
        }
        let results = box.results
        guard let first = results[0], let second = results[1] else { throw PDFError.invalidPDF("extraction failed") }
        return (try first.get(), try second.get())
    }

    /// Places header/footer changes among body changes: headers before the body of their page,
    /// footers after it; body order (right-document order) is kept.
    static func interleave(body: [BuiltChange], furniture: [BuiltChange], left: DocumentText, right: DocumentText) -> [BuiltChange] {
        guard !furniture.isEmpty else { return body }
        func page(_ change: Change) -> Int {
            change.rightRegion?.pageIndex ?? change.deletionMark?.pageIndex ?? change.leftRegion?.pageIndex ?? 0
        }
        func band(_ change: Change) -> Int {
            if let region = change.rightRegion, let rect = region.rectangles.first {
                return rect.top < right.pageSize(region.pageIndex).height / 2 ? 0 : 2
            }
            if let region = change.leftRegion, let rect = region.rectangles.first {
                return rect.top < left.pageSize(region.pageIndex).height / 2 ? 0 : 2
            }
            return 2
        }
        // Left page -> right page where its body text ended up, for header/footer text only the left has.
        var rightPageForLeft: [Int: Int] = [:]
        for built in body {
            if let leftPage = built.change.leftRegion?.pageIndex, let rightPage = built.change.rightRegion?.pageIndex,
                rightPageForLeft[leftPage] == nil
            {
                rightPageForLeft[leftPage] = rightPage
            }
        }
        func mappedPage(_ leftPage: Int) -> Int {
            for candidate in stride(from: leftPage, through: 0, by: -1) {
                if let page = rightPageForLeft[candidate] { return min(page + (leftPage - candidate), max(right.pageCount - 1, 0)) }
            }
            return min(leftPage, max(right.pageCount - 1, 0))
        }
        var keyed: [(page: Int, band: Int, order: Int, change: BuiltChange)] = []
        keyed.reserveCapacity(body.count + furniture.count)
        var lastPage = 0
        for (order, change) in body.enumerated() {
            lastPage = max(lastPage, page(change.change))
            keyed.append((lastPage, 1, order, change))
        }
        for (order, var built) in furniture.enumerated() {
            if built.change.kind == .delete, let region = built.change.leftRegion, let rect = region.rectangles.first {
                // A header/footer only the left has: mark the same spot on the corresponding right page.
                let target = mappedPage(region.pageIndex)
                built.change.deletionMark = DeletionMark(pageIndex: target, point: [rect.left, rect.top])
                keyed.append((target, band(built.change), order, built))
                continue
            }
            keyed.append((page(built.change), band(built.change), order, built))
        }
        keyed.sort { ($0.page, $0.band, $0.order) < ($1.page, $1.band, $1.order) }
        return keyed.map(\.change)
    }

    static func summary(of changes: [BuiltChange], left: DocumentText, right: DocumentText) -> ChangeSummaryDocument {
        var counts = ChangeSummary()
        for built in changes {
            switch built.change.kind {
            case .match:
                counts.matches += 1
                counts.matchingWords += built.rightWords
            case .delete:
                counts.deletions += 1
                counts.deletedLeftWords += built.leftWords
            case .insert:
                counts.insertions += 1
                counts.insertedRightWords += built.rightWords
            case .replace:
                counts.replacements += 1
                counts.replacedLeftWords += built.leftWords
                counts.replacedRightWords += built.rightWords
            case .style:
                counts.styleChanges += 1
                counts.matchingWords += built.rightWords
            case .move:
                counts.moves += 1
            }
        }
        return ChangeSummaryDocument(
            anyChanges: changes.contains { $0.change.kind != .match },
            anyMatches: counts.matches > 0 || counts.styleChanges > 0,
            changeSummary: counts,
            leftDocumentSummary: left.summary,
            rightDocumentSummary: right.summary)
    }
}

/// Collects the two extraction results across threads.
private final class ExtractionBox: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Result<DocumentText, PDFError>?] = [nil, nil]

    func set(_ index: Int, _ result: Result<DocumentText, PDFError>) {
        lock.withLock { storage[index] = result }
    }

    var results: [Result<DocumentText, PDFError>?] {
        lock.withLock { storage }
    }
}
