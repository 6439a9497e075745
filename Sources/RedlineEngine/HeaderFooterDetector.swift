import Foundation
import RedlinePDF

/// Finds running headers, footers and page numbers: lines in the top or bottom margin band whose text
/// (with digits generalised, so "Page 3 of 9" == "Page 4 of 9") repeats on many pages.
///
/// They are kept out of the body diff (otherwise every page break would interleave them with body text
/// and a changed footer would be reported once per page) and compared once, via one representative each.
struct HeaderFooterDetector {
    /// Fraction of the page height at the top and at the bottom that counts as margin.
    var band: Double
    /// Share of pages a line must repeat on (capped at 3 pages).
    var minimumPageShare: Double

    struct Result {
        /// `isFurniture[i]` is true for words that belong to a running header/footer line.
        var isFurniture: [Bool]
        /// First occurrence of each distinct header/footer line, in document order: word ranges.
        var representatives: [Range<Int>]
    }

    private struct Line {
        var words: Range<Int>
        var page: Int
        var signature: String
        /// Distance of the line's centre from the nearest page edge.
        var edgeDistance: Double
        /// No other line on the page is closer to that edge (within 2 pt).
        var outermost = false
    }

    func detect(in document: DocumentText, caseSensitive: Bool) -> Result {
        let words = document.words
        var isFurniture = [Bool](repeating: false, count: words.count)
        guard document.pageCount >= 2, !words.isEmpty else { return Result(isFurniture: isFurniture, representatives: []) }
        var candidates: [Line] = []
        var start = 0
        while start < words.count {
            var end = start + 1
            while end < words.count, words[end].pageIndex == words[start].pageIndex, words[end].lineID == words[start].lineID {
                end += 1
            }
            let page = words[start].pageIndex
            let height = document.pageSize(page).height
            var top = Double.infinity
            var bottom = -Double.infinity
            for index in start..<end {
                top = min(top, words[index].box.top)
                bottom = max(bottom, words[index].box.bottom)
            }
            let center = (top + bottom) / 2
            let zone: String? = center < band * height ? "H" : (center > (1 - band) * height ? "F" : nil)
            if let zone, height > 0 {
                let text = words[start..<end].map(\.text).joined(separator: " ")
                let signature = zone + KeyNormaliser.key(text, caseSensitive: caseSensitive, generaliseDigits: true)
                let edgeDistance = zone == "H" ? center : height - center
                candidates.append(Line(words: start..<end, page: page, signature: signature, edgeDistance: edgeDistance))
            }
            start = end
        }
        var closest: [String: Double] = [:]  // "page zone" -> smallest edge distance
        for line in candidates {
            let key = "\(line.page)\(line.signature.prefix(1))"
            closest[key] = min(closest[key] ?? .infinity, line.edgeDistance)
        }
        for index in candidates.indices {
            let key = "\(candidates[index].page)\(candidates[index].signature.prefix(1))"
            candidates[index].outermost = candidates[index].edgeDistance <= (closest[key] ?? 0) + 2
        }
        var pagesBySignature: [String: Set<Int>] = [:]
        for line in candidates { pagesBySignature[line.signature, default: []].insert(line.page) }
        // Running heads that change per chapter ("Chapter 3: Utilities") repeat on a few pages only:
        // for the line nearest the page edge three pages are enough in long documents (two always are).
        // A line further in may be the first or last body line of the page, which in repetitive documents
        // (contracts: "Schedule 4 – Fees", template sentences) recurs on a few pages with other numbers;
        // it must repeat on the full page share to be furniture, or body text would drop out of the diff.
        let share = max(2, Int((Double(document.pageCount) * minimumPageShare).rounded(.up)))
        func isRepeated(_ line: Line) -> Bool {
            let pages = pagesBySignature[line.signature]?.count ?? 0
            return line.outermost ? pages >= min(share, 3) || pages >= 2 : pages >= share
        }
        var seen: Set<String> = []
        var representatives: [Range<Int>] = []
        for line in candidates where isRepeated(line) {
            for index in line.words { isFurniture[index] = true }
            if seen.insert(line.signature).inserted { representatives.append(line.words) }
        }
        return Result(isFurniture: isFurniture, representatives: representatives)
    }
}
