import Foundation
import RedlinePDF

/// A generated document pair: both documents, their PDFs with word positions, and the ground truth.
public struct BenchmarkPair: Sendable {
    public var pages: Int
    public var seed: UInt64
    public var left: BenchDocument
    public var right: BenchDocument
    public var leftSide: RenderedSide
    public var rightSide: RenderedSide
    public var truth: GroundTruth

    /// Body words per requested page; calibrated so `pages` is about the page count of the left PDF.
    public static let wordsPerPage = 555

    /// Generates the pair for `pages` (about that many pages per side) from `seed`. Same arguments, same
    /// documents, edits and PDFs.
    public static func generate(pages: Int, seed: UInt64) throws(PDFError) -> BenchmarkPair {
        var random = SeededRandom(seed: seed &* 0x2545_F491_4F6C_DD1D &+ UInt64(max(pages, 1)))
        var writer = ContractWriter(random: random.fork())
        let original = writer.document(targetWords: max(pages, 1) * wordsPerPage)
        var planner = EditPlanner(random: random.fork(), writer: writer, pages: pages)
        let planned = planner.plan(left: original)
        let renderer = DocumentRenderer()
        return BenchmarkPair(
            pages: pages, seed: seed, left: planned.left, right: planned.right,
            leftSide: try renderer.render(planned.left), rightSide: try renderer.render(planned.right),
            truth: planned.truth)
    }
}
