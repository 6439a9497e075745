import Foundation

/// Derives the right document of a pair from the left one by applying a seeded mix of edits, and records
/// the ground truth while doing so.
///
/// Edits are spread so that each one stays a separate change: at most one edit per block, in-paragraph
/// edits keep at least `edge` unchanged words to either paragraph end, and whole-paragraph edits (insert,
/// delete, move) are never next to each other. Reflow-only paragraphs get a different measure on one
/// side and no edit. An added sentence or paragraph is never a near-copy of a removed one (see
/// `isAmbiguous`): text deleted in one place and re-inserted almost verbatim elsewhere *is* a move, so
/// such a pair would make the ground truth ambiguous.
struct EditPlanner {
    private var random: SeededRandom
    private var writer: ContractWriter
    /// Pages of the document, which scales the number of edits.
    private let pages: Int
    /// Unchanged words kept between an in-paragraph edit and the paragraph's ends.
    private let edge = 4

    init(random: SeededRandom, writer: ContractWriter, pages: Int) {
        self.random = random
        self.writer = writer
        self.pages = max(pages, 1)
    }

    struct Result {
        var left: BenchDocument
        var right: BenchDocument
        var truth: GroundTruth
    }

    private struct TaggedWord {
        var word: BenchWord
        var leftID: Int?
        var edit: Int?
    }

    private struct TaggedBlock {
        var id: Int
        var kind: BlockKind
        var cells: [[TaggedWord]]
        var inset: Double
    }

    // Planning state.
    private var blocks: [TaggedBlock] = []
    private var kinds: [EditKind] = []
    private var touchedLeft: [[Int]] = []
    private var used: Set<Int> = []
    private var wholeBlocked: Set<Int> = []
    /// Word multisets of removed and of added blocks (sentences, paragraphs, the moved paragraph).
    private var removedBlocks: [[String: Int]] = []
    private var addedBlocks: [[String: Int]] = []

    mutating func plan(left original: BenchDocument) -> Result {
        var left = original
        var nextID = 0
        blocks = left.blocks.map { block in
            TaggedBlock(
                id: block.id, kind: block.kind,
                cells: block.cells.map { cell in
                    cell.map { word in
                        defer { nextID += 1 }
                        return TaggedWord(word: word, leftID: nextID, edit: nil)
                    }
                }, inset: block.inset)
        }
        let clauseCount = left.blocks.filter { $0.kind == .heading }.count
        let pageCount = Double(pages)
        let scaled = { (perPage: Double, minimum: Int) in max(minimum, Int(pageCount * perPage)) }

        // Whole-paragraph edits first: they need free neighbours.
        let move = planMove()
        var deletions: [(edit: Int, id: Int)] = []
        for _ in 0..<scaled(0.05, 1) {
            if let deletion = planParagraphDelete() { deletions.append(deletion) }
        }
        var insertions: [(edit: Int, after: Int, block: TaggedBlock)] = []
        for _ in 0..<scaled(0.05, 1) {
            if let insertion = planParagraphInsert(clauseCount: clauseCount) { insertions.append(insertion) }
        }
        // Reflow-only paragraphs: chosen before in-paragraph edits so long paragraphs stay available.
        var reflowIDs: [Int] = []
        for index in 0..<scaled(1.0 / 15, 2) {
            guard let block = pickBlock(where: { $0.kind == .paragraph && $0.cells[0].count >= 40 }) else { break }
            used.insert(block)
            let inset = Double(random.int(in: 24...72))
            if index.isMultiple(of: 2) {
                blocks[block].inset = inset  // the right side is narrower
            } else if let leftIndex = left.blocks.firstIndex(where: { $0.id == blocks[block].id }) {
                left.blocks[leftIndex].inset = inset  // the left side is narrower
            }
            reflowIDs.append(blocks[block].id)
        }
        for _ in 0..<scaled(0.6, 3) { planWordChange() }
        for _ in 0..<scaled(1.0 / 6, 1) { planAmountChange() }
        for _ in 0..<scaled(0.1, 1) { planDateChange() }
        for _ in 0..<scaled(0.1, 1) { planNameChange() }
        for _ in 0..<scaled(0.1, 1) { planSentenceInsert(clauseCount: clauseCount) }
        for _ in 0..<scaled(0.1, 1) { planSentenceDelete() }
        for _ in 0..<scaled(1.0 / 6, 2) { planStyleToggle() }
        for _ in 0..<scaled(1.0 / 15, 1) { planTableCellEdit() }

        // Structural edits, by block ID (indices shift from here on).
        var moved: TaggedBlock?
        if let move, let index = blocks.firstIndex(where: { $0.id == move.id }) {
            var block = blocks.remove(at: index)
            retag(&block, edit: move.edit)
            moved = block
        }
        for deletion in deletions {
            guard let index = blocks.firstIndex(where: { $0.id == deletion.id }) else { continue }
            touchedLeft[deletion.edit] += blocks[index].cells.flatMap { $0.compactMap(\.leftID) }
            blocks.remove(at: index)
        }
        for insertion in insertions {
            guard let index = blocks.firstIndex(where: { $0.id == insertion.after }) else { continue }
            blocks.insert(insertion.block, at: index + 1)
        }
        if let move, let moved, let index = blocks.firstIndex(where: { $0.id == move.after }) {
            blocks.insert(moved, at: index + 1)
        }
        return finish(left: left, reflowIDs: reflowIDs)
    }

    // MARK: - Choosing blocks

    /// A random unused block index satisfying `condition`.
    private mutating func pickBlock(wholeBlock: Bool = false, where condition: (TaggedBlock) -> Bool) -> Int? {
        var indices = Array(blocks.indices)
        for index in stride(from: indices.count - 1, to: 0, by: -1) {
            indices.swapAt(index, random.int(index + 1))
        }
        return indices.first { index in
            !used.contains(index) && (!wholeBlock || !wholeBlocked.contains(index)) && condition(blocks[index])
        }
    }

    private mutating func newEdit(_ kind: EditKind) -> Int {
        kinds.append(kind)
        touchedLeft.append([])
        return kinds.count - 1
    }

    private mutating func claimWhole(_ index: Int) {
        used.insert(index)
        for neighbour in (index - 1)...(index + 1) { wholeBlocked.insert(neighbour) }
    }

    private func words(_ block: TaggedBlock) -> [BenchWord] { block.cells[0].map(\.word) }

    private static func isPlain(_ word: BenchWord) -> Bool {
        !word.bold && !word.italic && !word.text.isEmpty && word.text.allSatisfy { $0.isLetter && $0.isASCII }
    }

    /// Replaces `range` of a paragraph (cell `cell`) with new words belonging to a new edit.
    private mutating func replace(_ block: Int, cell: Int = 0, _ range: Range<Int>, with replacement: [BenchWord], kind: EditKind) {
        let edit = newEdit(kind)
        touchedLeft[edit] = blocks[block].cells[cell][range].compactMap(\.leftID)
        blocks[block].cells[cell].replaceSubrange(range, with: replacement.map { TaggedWord(word: $0, leftID: nil, edit: edit) })
        used.insert(block)
    }

    private mutating func retag(_ block: inout TaggedBlock, edit: Int) {
        for cell in block.cells.indices {
            for index in block.cells[cell].indices {
                block.cells[cell][index].edit = edit
                if let id = block.cells[cell][index].leftID { touchedLeft[edit].append(id) }
            }
        }
    }

    // MARK: - Ambiguity

    private static func multiset(_ words: [BenchWord]) -> [String: Int] {
        words.reduce(into: [:]) { $0[$1.text, default: 0] += 1 }
    }

    /// True when at least 90% of the smaller block's words (as a multiset) also occur in one of `others`:
    /// the pair would be a (near-)verbatim move, not an unrelated deletion and insertion.
    private static func isAmbiguous(_ words: [BenchWord], against others: [[String: Int]]) -> Bool {
        let counts = multiset(words)
        return others.contains { other in
            let common = counts.reduce(0) { $0 + min($1.value, other[$1.key] ?? 0) }
            let smaller = min(words.count, other.values.reduce(0, +))
            return smaller > 0 && Double(common) >= 0.9 * Double(smaller)
        }
    }

    /// Records a removed block unless it is a near-copy of an added one.
    private mutating func claimRemoved(_ words: [BenchWord]) -> Bool {
        guard !Self.isAmbiguous(words, against: addedBlocks) else { return false }
        removedBlocks.append(Self.multiset(words))
        return true
    }

    /// Records an added block unless it is a near-copy of a removed one.
    private mutating func claimAdded(_ words: [BenchWord]) -> Bool {
        guard !Self.isAmbiguous(words, against: removedBlocks) else { return false }
        addedBlocks.append(Self.multiset(words))
        return true
    }

    // MARK: - Whole-paragraph edits

    private mutating func planMove() -> (edit: Int, id: Int, after: Int)? {
        guard let source = pickBlock(wholeBlock: true, where: { $0.kind == .paragraph && $0.cells[0].count >= 25 }) else { return nil }
        let distance = max(6, blocks.count / 4)
        // Scan from a random start for a far paragraph whose own and next block are free.
        let start = random.int(blocks.count)
        let target = (0..<blocks.count).map { (start + $0) % blocks.count }.first { index in
            abs(index - source) >= distance && index + 1 < blocks.count
                && blocks[index].kind == .paragraph
                && ![index, index + 1].contains(where: { used.contains($0) || wholeBlocked.contains($0) })
        }
        guard let target, claimRemoved(words(blocks[source])) else { return nil }
        let edit = newEdit(.move)
        claimWhole(source)
        claimWhole(target)
        used.insert(target + 1)
        return (edit, blocks[source].id, blocks[target].id)
    }

    private mutating func planParagraphDelete() -> (edit: Int, id: Int)? {
        var index: Int?
        for _ in 0..<20 {
            guard let candidate = pickBlock(wholeBlock: true, where: { $0.kind == .paragraph }) else { return nil }
            if claimRemoved(words(blocks[candidate])) {
                index = candidate
                break
            }
        }
        guard let index else { return nil }
        claimWhole(index)
        return (newEdit(.paragraphDelete), blocks[index].id)
    }

    private mutating func planParagraphInsert(clauseCount: Int) -> (edit: Int, after: Int, block: TaggedBlock)? {
        guard
            let index = pickBlock(
                wholeBlock: true,
                where: { $0.kind == .paragraph && ($0.cells[0].first?.word.text.contains(".") ?? false) })
        else { return nil }
        guard index + 1 < blocks.count, !used.contains(index + 1), !wholeBlocked.contains(index + 1) else { return nil }
        let label = (blocks[index].cells[0].first?.word.text ?? "1.1") + "A"
        var fresh: BenchBlock?
        for _ in 0..<20 {
            let candidate = writer.newSubClause(label: label, clauseCount: clauseCount)
            if claimAdded(candidate.words) {
                fresh = candidate
                break
            }
        }
        guard let block = fresh else { return nil }
        claimWhole(index)
        claimWhole(index + 1)
        let edit = newEdit(.paragraphInsert)
        let tagged = TaggedBlock(
            id: 1_000_000 + block.id, kind: .paragraph,
            cells: [block.cells[0].map { TaggedWord(word: $0, leftID: nil, edit: edit) }], inset: 0)
        return (edit, blocks[index].id, tagged)
    }

    // MARK: - In-paragraph edits

    private static let replacements: [String: [String]] = [
        "shall": ["may"], "may": ["shall"], "reasonable": ["appropriate"], "written": ["documented"],
        "promptly": ["without", "undue", "delay"], "monthly": ["weekly"], "quarterly": ["monthly"], "annually": ["biennially"],
        "relevant": ["applicable"], "prior": ["advance"], "party": ["signatory"], "fraud": ["wilful", "misconduct"],
        "courier": ["registered", "post"], "hand": ["email"], "reputable": ["regulated"], "unreasonably": ["arbitrarily"],
        "performance": ["quality"], "confidential": ["secret"], "solely": ["only"], "applicable": ["relevant"],
        "access": ["entry"], "normal": ["usual"], "delay": ["failure"], "premises": ["offices"], "reports": ["statements"],
        "consent": ["approval"], "removed": ["reassigned"], "diligently": ["carefully"], "efficiently": ["economically"],
        "liable": ["responsible"], "submitted": ["presented"], "issued": ["raised"], "insurer": ["underwriter"],
        "exclude": ["restrict"], "comply": ["conform"], "reject": ["refuse"], "laws": ["statutes"], "tests": ["trials"],
        "meetings": ["sessions"], "attend": ["chair"], "business": ["office"], "bank": ["escrow"],
    ]

    private mutating func planWordChange() {
        for _ in 0..<20 {
            guard let block = pickBlock(where: { $0.kind == .paragraph }) else { return }
            let text = words(blocks[block])
            guard text.count > 2 * edge + 1 else { continue }
            let positions = (edge..<(text.count - edge)).filter {
                Self.isPlain(text[$0]) && Self.replacements[text[$0].text] != nil
            }
            guard !positions.isEmpty else { continue }
            let index = random.pick(positions)
            let replacement = (Self.replacements[text[index].text] ?? []).map { BenchWord($0) }
            guard let first = replacement.first, let last = replacement.last,
                first.text != text[index - 1].text, last.text != text[index + 1].text
            else { continue }
            replace(block, index..<(index + 1), with: replacement, kind: .word)
            return
        }
    }

    /// "52,100.00," -> (52100, 0, ","), or nil when the text is not an amount.
    static func parseAmount(_ text: String) -> (euros: Int, cents: Int, suffix: String)? {
        var core = Substring(text)
        var suffix = ""
        if let last = core.last, ",;)".contains(last) || (last == "." && core.dropLast().last?.isNumber == true && core.dropLast().split(separator: ".").last?.count == 2) {
            suffix = String(last)
            core = core.dropLast()
        }
        let parts = core.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[1].count == 2, let cents = Int(parts[1]), !parts[0].isEmpty,
            parts[0].allSatisfy({ $0.isNumber || $0 == "," }), let euros = Int(parts[0].replacingOccurrences(of: ",", with: ""))
        else { return nil }
        return (euros, cents, suffix)
    }

    private mutating func changedAmount(_ text: String) -> String? {
        guard let amount = Self.parseAmount(text) else { return nil }
        let delta = random.pick([100, 1_000, 10, 2_500, 50])
        let euros = amount.euros > delta && random.chance(0.5) ? amount.euros - delta : amount.euros + delta
        return ContractWriter.formatAmount(euros: euros, cents: amount.cents) + amount.suffix
    }

    private mutating func planAmountChange() {
        for _ in 0..<30 {
            guard let block = pickBlock(where: { $0.kind == .paragraph }) else { return }
            let text = words(blocks[block])
            guard text.count > 2 * edge + 1 else { continue }
            let positions = (edge..<(text.count - edge)).filter { Self.parseAmount(text[$0].text) != nil }
            guard !positions.isEmpty else { continue }
            let index = random.pick(positions)
            guard let changed = changedAmount(text[index].text) else { continue }
            replace(block, index..<(index + 1), with: [BenchWord(changed)], kind: .amount)
            return
        }
    }

    private mutating func planDateChange() {
        for _ in 0..<30 {
            guard let block = pickBlock(where: { $0.kind == .paragraph }) else { return }
            let text = words(blocks[block])
            guard text.count > 2 * edge + 1 else { continue }
            let positions = (edge..<(text.count - edge)).filter { index in
                Vocabulary.months.contains(text[index].text) && Int(text[index - 1].text) != nil
            }
            guard !positions.isEmpty else { continue }
            let month = random.pick(positions)
            guard let day = Int(text[month - 1].text) else { continue }
            var newDay = day
            while newDay == day { newDay = random.int(in: 1...28) }
            replace(block, (month - 1)..<month, with: [BenchWord(String(newDay))], kind: .date)
            return
        }
    }

    private mutating func planNameChange() {
        for _ in 0..<30 {
            guard let block = pickBlock(where: { $0.kind == .paragraph }) else { return }
            let text = words(blocks[block])
            guard text.count > 2 * edge + 2 else { continue }
            let positions = (edge..<(text.count - edge - 1)).filter { index in
                Vocabulary.firstNames.contains(text[index].text)
                    && Vocabulary.lastNames.contains(String(text[index + 1].text.filter { $0.isLetter }))
            }
            guard !positions.isEmpty else { continue }
            let index = random.pick(positions)
            let oldLast = text[index + 1].text
            let suffix = String(oldLast.drop { $0.isLetter })
            var first = text[index].text
            var last = String(oldLast.prefix { $0.isLetter })
            let oldFirst = first
            let oldLastName = last
            while first == oldFirst { first = random.pick(Vocabulary.firstNames) }
            while last == oldLastName { last = random.pick(Vocabulary.lastNames) }
            replace(block, index..<(index + 2), with: [BenchWord(first), BenchWord(last + suffix)], kind: .name)
            return
        }
    }

    /// Indices where a sentence starts, excluding the paragraph's first sentence.
    private static func sentenceStarts(_ text: [BenchWord]) -> [Int] {
        (2..<max(2, text.count)).filter { index in
            text[index - 1].text.hasSuffix(".") && (text[index].text.first?.isUppercase ?? false)
        }
    }

    private mutating func planSentenceInsert(clauseCount: Int) {
        for _ in 0..<30 {
            guard let block = pickBlock(where: { $0.kind == .paragraph }) else { return }
            let text = words(blocks[block])
            let starts = Self.sentenceStarts(text).filter { $0 >= edge && $0 <= text.count - edge }
            guard !starts.isEmpty else { continue }
            let index = random.pick(starts)
            let sentence = writer.sentence(clauseCount: clauseCount)
            guard sentence.first?.text != text[index].text, sentence.last?.text != text[index - 1].text, claimAdded(sentence)
            else { continue }
            replace(block, index..<index, with: sentence, kind: .sentenceInsert)
            return
        }
    }

    private mutating func planSentenceDelete() {
        for _ in 0..<30 {
            guard let block = pickBlock(where: { $0.kind == .paragraph }) else { return }
            let text = words(blocks[block])
            let starts = Self.sentenceStarts(text)
            guard starts.count >= 2 else { continue }
            let which = random.int(starts.count - 1)
            let range = starts[which]..<starts[which + 1]
            guard range.lowerBound >= edge, text.count - range.upperBound >= edge, claimRemoved(Array(text[range])) else { continue }
            replace(block, range, with: [], kind: .sentenceDelete)
            return
        }
    }

    private mutating func planStyleToggle() {
        for _ in 0..<30 {
            if random.chance(0.3),
                let block = pickBlock(where: { $0.kind == .paragraph && $0.cells[0].count > 3 && $0.cells[0][1].word.bold })
            {
                // Un-bold a defined term in its definition.
                let terms = blocks[block].cells[0].indices.filter { blocks[block].cells[0][$0].word.bold }
                guard let first = terms.first, let last = terms.last, terms.count == last - first + 1 else { continue }
                restyle(block, first..<(last + 1), bold: false, italic: false)
                return
            }
            guard let block = pickBlock(where: { $0.kind == .paragraph }) else { return }
            let text = words(blocks[block])
            guard text.count > 2 * edge + 3 else { continue }
            let length = random.int(in: 1...3)
            let starts = (edge..<(text.count - edge - length)).filter { start in
                (start..<(start + length)).allSatisfy { Self.isPlain(text[$0]) }
            }
            guard !starts.isEmpty else { continue }
            let start = random.pick(starts)
            let bold = random.chance(0.6)
            restyle(block, start..<(start + length), bold: bold, italic: !bold)
            return
        }
    }

    private mutating func restyle(_ block: Int, _ range: Range<Int>, bold: Bool, italic: Bool) {
        let edit = newEdit(.style)
        for index in range {
            blocks[block].cells[0][index].word.bold = bold
            blocks[block].cells[0][index].word.italic = italic
            blocks[block].cells[0][index].edit = edit
            if let id = blocks[block].cells[0][index].leftID { touchedLeft[edit].append(id) }
        }
        used.insert(block)
    }

    private mutating func planTableCellEdit() {
        for _ in 0..<30 {
            guard
                let block = pickBlock(where: { $0.kind == .tableRow && $0.cells.count == 4 && !($0.cells[0].first?.word.bold ?? true) })
            else { return }
            guard !used.contains(block - 1), !used.contains(block + 1) else { continue }
            if random.chance(0.5), let amount = blocks[block].cells[2].first?.word.text, let changed = changedAmount(amount) {
                replace(block, cell: 2, 0..<1, with: [BenchWord(changed)], kind: .tableCell)
            } else {
                let old = blocks[block].cells[1].map(\.word.text)
                let candidates = Vocabulary.milestones.map { $0.split(separator: " ").map(String.init) }.filter {
                    $0.first != old.first && $0.last != old.last
                }
                guard !candidates.isEmpty else { continue }
                let milestone = random.pick(candidates).map { BenchWord($0) }
                replace(block, cell: 1, 0..<old.count, with: milestone, kind: .tableCell)
            }
            used.insert(block - 1)
            used.insert(block + 1)
            return
        }
    }

    // MARK: - Ground truth

    private func finish(left: BenchDocument, reflowIDs: [Int]) -> Result {
        let right = BenchDocument(
            title: left.title,
            blocks: blocks.map { block in
                BenchBlock(id: block.id, kind: block.kind, cells: block.cells.map { $0.map(\.word) }, inset: block.inset)
            })
        let tagged = blocks.flatMap { $0.cells.flatMap { $0 } }
        let leftWords = left.words
        var rightOfLeft = [Int?](repeating: nil, count: leftWords.count)
        var rightRanges = [Range<Int>?](repeating: nil, count: kinds.count)
        for (rightID, word) in tagged.enumerated() {
            if let edit = word.edit {
                let current = rightRanges[edit] ?? rightID..<rightID
                rightRanges[edit] = min(current.lowerBound, rightID)..<max(current.upperBound, rightID + 1)
            } else if let leftID = word.leftID {
                rightOfLeft[leftID] = rightID
            }
        }
        var edits: [GroundTruthEdit] = []
        for edit in kinds.indices {
            let touched = touchedLeft[edit]
            var rightRange = rightRanges[edit]
            var leftRange: Range<Int>
            if let low = touched.min(), let high = touched.max() {
                leftRange = low..<(high + 1)
            } else {
                // Pure insertion: the left position is that of the next unchanged word.
                let after = rightRange?.upperBound ?? 0
                let next = tagged[after...].first { $0.edit == nil && $0.leftID != nil }?.leftID ?? leftWords.count
                leftRange = next..<next
            }
            if rightRange == nil {
                // Pure deletion: the right position is that of the next unchanged left word.
                let next = (leftRange.upperBound..<leftWords.count).lazy.compactMap { rightOfLeft[$0] }.first ?? tagged.count
                rightRange = next..<next
            }
            guard let rightRange else { continue }
            let anchor = tagged[..<rightRange.lowerBound].last { $0.edit == nil && $0.leftID != nil }?.leftID
            edits.append(
                GroundTruthEdit(
                    kind: kinds[edit], left: leftRange, right: rightRange,
                    leftWords: Array(leftWords[leftRange]), rightWords: tagged[rightRange].map(\.word), anchor: anchor))
        }
        edits.sort { ($0.right.lowerBound, $0.left.lowerBound) < ($1.right.lowerBound, $1.left.lowerBound) }
        let leftRanges = left.blockWordRanges
        let rightBlockRanges = right.blockWordRanges
        var reflowLeft: [Range<Int>] = []
        var reflowRight: [Range<Int>] = []
        for id in reflowIDs {
            if let l = left.blocks.firstIndex(where: { $0.id == id }), let r = right.blocks.firstIndex(where: { $0.id == id }) {
                reflowLeft.append(leftRanges[l])
                reflowRight.append(rightBlockRanges[r])
            }
        }
        return Result(left: left, right: right, truth: GroundTruth(edits: edits, reflowLeft: reflowLeft, reflowRight: reflowRight))
    }
}
