import RedlineEngine

/// Turns the engine's `ChangeDetails` into `ReportedChange`s by geometry: a word belongs to a change's
/// side when its centre lies inside one of the region's rectangles (1 pt tolerance) on the region's page.
/// Independent of the engine's own word extraction: word positions come from the generator's layout.
public struct ChangeMapper: Sendable {
    private let left: PageIndex
    private let right: PageIndex

    public init(left: RenderedSide, right: RenderedSide) {
        self.left = PageIndex(left)
        self.right = PageIndex(right)
    }

    /// Non-match changes, mapped, with pieces split at page breaks joined.
    public func reportedChanges(_ details: ChangeDetails) -> [ReportedChange] {
        Scorer.joinPageSplits(details.changes.filter { $0.kind != .match }.map(map))
    }

    public func map(_ change: Change) -> ReportedChange {
        let leftWords = change.leftRegion.map { left.words(in: $0) } ?? (body: [], furniture: 0, texts: [])
        let rightWords = change.rightRegion.map { right.words(in: $0) } ?? (body: [], furniture: 0, texts: [])
        let mismatches = Self.mismatches(text: change.leftText, words: leftWords.texts)
            + Self.mismatches(text: change.rightText ?? (change.kind == .match ? change.text : nil), words: rightWords.texts)
        let shown = [change.leftText, change.rightText].compactMap { $0 }.map { String($0.prefix(60)) }.joined(separator: " -> ")
        return ReportedChange(
            kind: change.kind, left: leftWords.body, right: rightWords.body,
            furnitureWords: leftWords.furniture + rightWords.furniture,
            stylesDiffer: change.stylesInfo.leftStyles != change.stylesInfo.rightStyles && change.leftText != nil && change.rightText != nil,
            leftPage: change.leftRegion?.pageIndex, rightPage: change.rightRegion?.pageIndex,
            textMismatches: mismatches, summary: "\(change.kind.rawValue) \"\(shown)\"")
    }

    /// Words in the text but not among the mapped words, plus the reverse (multisets).
    static func mismatches(text: String?, words: [String]) -> Int {
        guard let text else { return words.count }
        var counts: [Substring: Int] = [:]
        for word in text.split(whereSeparator: \.isWhitespace) { counts[word, default: 0] += 1 }
        var extra = 0
        for word in words {
            if let count = counts[Substring(word)], count > 0 { counts[Substring(word)] = count - 1 } else { extra += 1 }
        }
        return extra + counts.values.reduce(0, +)
    }

    /// Words of a rendered side grouped by page.
    private struct PageIndex: Sendable {
        var pages: [[(ref: WordRef, word: PlacedWord)]]

        init(_ side: RenderedSide) {
            pages = Array(repeating: [], count: side.pageCount)
            for (id, word) in side.body.enumerated() where word.page < pages.count { pages[word.page].append((.body(id), word)) }
            for (index, word) in side.furniture.enumerated() where word.page < pages.count {
                pages[word.page].append((.furniture(index), word))
            }
        }

        func words(in region: ChangeRegion) -> (body: [Int], furniture: Int, texts: [String]) {
            guard region.pageIndex >= 0, region.pageIndex < pages.count else { return ([], 0, []) }
            var body: [Int] = []
            var furniture = 0
            var texts: [String] = []
            for (ref, word) in pages[region.pageIndex] {
                let inside = region.rectangles.contains { rect in
                    word.centerX >= rect.left - 1 && word.centerX <= rect.right + 1
                        && word.centerY >= rect.top - 1 && word.centerY <= rect.bottom + 1
                }
                guard inside else { continue }
                texts.append(word.text)
                switch ref {
                case .body(let id): body.append(id)
                case .furniture: furniture += 1
                }
            }
            body.sort()
            return (body, furniture, texts)
        }
    }
}

/// Maps the words of a `pdftotext -layout` output onto a rendered side, so a peer's word-level diff of
/// that text can be scored: the i-th whitespace-separated word of the text is matched to the i-th word
/// of `RenderedSide.layoutOrder`, resynchronising greedily (within a small window) where they differ.
public struct TextWordMapping: Sendable {
    /// `refs[i]`: the word the i-th text word is, or nil when it could not be matched.
    public var refs: [WordRef?]
    /// Text words that could not be matched.
    public var unmatched: Int

    public init(textWords: [String], side: RenderedSide, window: Int = 40) {
        let expected = side.layoutOrder
        var refs = [WordRef?](repeating: nil, count: textWords.count)
        var unmatched = 0
        var i = 0
        var j = 0
        while i < textWords.count && j < expected.count {
            if textWords[i] == side.text(of: expected[j]) {
                refs[i] = expected[j]
                i += 1
                j += 1
                continue
            }
            // Resynchronise: the nearest offset at which either stream matches the other again.
            var advanced = false
            search: for offset in 1...window {
                if j + offset < expected.count, textWords[i] == side.text(of: expected[j + offset]) {
                    j += offset
                    advanced = true
                    break search
                }
                if i + offset < textWords.count, textWords[i + offset] == side.text(of: expected[j]) {
                    unmatched += offset
                    i += offset
                    advanced = true
                    break search
                }
            }
            if !advanced {
                unmatched += 1
                i += 1
                j += 1
            }
        }
        unmatched += textWords.count - i
        self.refs = refs
        self.unmatched = unmatched
    }

    /// A peer's diff operation over text-word indices as a `ReportedChange`.
    public static func change(
        kind: ChangeKind, left: Range<Int>, right: Range<Int>, leftMapping: TextWordMapping, rightMapping: TextWordMapping,
        leftWords: [String], rightWords: [String]
    ) -> ReportedChange {
        var result = ReportedChange(kind: kind, left: [], right: [])
        for index in left where index < leftMapping.refs.count {
            switch leftMapping.refs[index] {
            case .body(let id): result.left.append(id)
            case .furniture: result.furnitureWords += 1
            case nil: result.textMismatches += 1
            }
        }
        for index in right where index < rightMapping.refs.count {
            switch rightMapping.refs[index] {
            case .body(let id): result.right.append(id)
            case .furniture: result.furnitureWords += 1
            case nil: result.textMismatches += 1
            }
        }
        let shownLeft = leftWords[left.clamped(to: 0..<leftWords.count)].prefix(8).joined(separator: " ")
        let shownRight = rightWords[right.clamped(to: 0..<rightWords.count)].prefix(8).joined(separator: " ")
        result.summary = "\(kind.rawValue) \"\(shownLeft)\" -> \"\(shownRight)\""
        return result
    }
}
