/// A run of equal tokens: `a[a..<a+length] == b[b..<b+length]`.
struct MatchRun: Sendable, Equatable {
    var a: Int
    var b: Int
    var length: Int
}

/// Aligns two sequences of interned tokens and returns their common runs.
///
/// Patience/histogram style: strip the common prefix and suffix, anchor on tokens that occur equally
/// rarely in both sides (first unique ones, then up to `maxAnchorCount` occurrences paired in order),
/// grow anchors into runs of equal tokens, keep the increasing chain of runs covering the most tokens,
/// and recurse into the gaps. Gaps without anchors, and
/// every gap of at most `smallRange` tokens, go to Myers' O(ND) linear-space algorithm, which finds a
/// shortest edit script. Nothing is cut off by time, so the answer never degrades; real documents
/// are near-linear because anchors split them into small gaps.
struct TokenAligner {
    let vocabularySize: Int
    var smallRange = 2_000
    var maxAnchorCount = 8

    func align(_ a: [Int], _ b: [Int]) -> [MatchRun] {
        var state = State(a: a, b: b, vocabularySize: vocabularySize, smallRange: smallRange, maxAnchorCount: maxAnchorCount)
        state.run()
        var runs = state.matches.filter { $0.length > 0 }
        runs.sort { $0.a < $1.a }
        var merged: [MatchRun] = []
        merged.reserveCapacity(runs.count)
        for run in runs {
            if let last = merged.last, last.a + last.length == run.a, last.b + last.length == run.b {
                merged[merged.count - 1].length += run.length
            } else {
                merged.append(run)
            }
        }
        return merged
    }

    private struct Work {
        var a0: Int
        var a1: Int
        var b0: Int
        var b1: Int
    }

    private struct State {
        let a: [Int]
        let b: [Int]
        let smallRange: Int
        let maxAnchorCount: Int
        var matches: [MatchRun] = []
        var stack: [Work] = []
        var countA: [Int32]
        var countB: [Int32]
        var lastB: [Int32]
        var touched: [Int] = []

        init(a: [Int], b: [Int], vocabularySize: Int, smallRange: Int, maxAnchorCount: Int) {
            self.a = a
            self.b = b
            self.smallRange = smallRange
            self.maxAnchorCount = maxAnchorCount
            let size = max(vocabularySize, (a.max() ?? 0) + 1, (b.max() ?? 0) + 1)
            countA = [Int32](repeating: 0, count: size)
            countB = [Int32](repeating: 0, count: size)
            lastB = [Int32](repeating: 0, count: size)
        }

        mutating func run() {
            stack.append(Work(a0: 0, a1: a.count, b0: 0, b1: b.count))
            while let work = stack.popLast() {
                process(work)
            }
        }

        mutating func process(_ work: Work) {
            var (a0, a1, b0, b1) = (work.a0, work.a1, work.b0, work.b1)
            var prefix = 0
            while a0 + prefix < a1, b0 + prefix < b1, a[a0 + prefix] == b[b0 + prefix] { prefix += 1 }
            if prefix > 0 {
                matches.append(MatchRun(a: a0, b: b0, length: prefix))
                a0 += prefix
                b0 += prefix
            }
            var suffix = 0
            while a1 - suffix > a0, b1 - suffix > b0, a[a1 - 1 - suffix] == b[b1 - 1 - suffix] { suffix += 1 }
            if suffix > 0 {
                matches.append(MatchRun(a: a1 - suffix, b: b1 - suffix, length: suffix))
                a1 -= suffix
                b1 -= suffix
            }
            if a0 == a1 || b0 == b1 { return }
            if (a1 - a0) + (b1 - b0) > smallRange, splitOnAnchors(a0, a1, b0, b1) { return }
            splitOnMiddleSnake(a0, a1, b0, b1)
        }

        /// Anchors on tokens with equal, small occurrence counts on both sides; pushes the gaps.
        mutating func splitOnAnchors(_ a0: Int, _ a1: Int, _ b0: Int, _ b1: Int) -> Bool {
            for index in a0..<a1 {
                let key = a[index]
                if countA[key] == 0 && countB[key] == 0 { touched.append(key) }
                countA[key] += 1
            }
            for index in b0..<b1 {
                let key = b[index]
                if countA[key] == 0 && countB[key] == 0 { touched.append(key) }
                countB[key] += 1
            }
            var anchors: [(a: Int, b: Int)] = []
            var limit: Int32 = 1
            while anchors.isEmpty && limit <= Int32(maxAnchorCount) {
                anchors = collectAnchors(a0, a1, b0, b1, limit: limit, equalCounts: true)
                limit *= 2
            }
            if anchors.isEmpty {
                anchors = collectAnchors(a0, a1, b0, b1, limit: 64, equalCounts: false)
            }
            if anchors.isEmpty && (a1 - a0) + (b1 - b0) > 4 * smallRange {
                // Only very frequent tokens in a huge range: pair them by rank rather than run Myers with a huge D.
                anchors = collectAnchors(a0, a1, b0, b1, limit: Int32.max, equalCounts: false)
            }
            for key in touched {
                countA[key] = 0
                countB[key] = 0
            }
            touched.removeAll(keepingCapacity: true)
            let chain = heaviestChain(of: blocks(around: anchors, a0, a1, b0, b1), b0: b0, b1: b1)
            if chain.isEmpty { return false }
            var nextA = a0
            var nextB = b0
            for block in chain {
                stack.append(Work(a0: nextA, a1: block.a, b0: nextB, b1: block.b))
                matches.append(block)
                nextA = block.a + block.length
                nextB = block.b + block.length
            }
            stack.append(Work(a0: nextA, a1: a1, b0: nextB, b1: b1))
            return true
        }

        /// Grows every anchor into the maximal run of equal tokens around it (one block per run).
        func blocks(around anchors: [(a: Int, b: Int)], _ a0: Int, _ a1: Int, _ b0: Int, _ b1: Int) -> [MatchRun] {
            var blocks: [MatchRun] = []
            var diagonalEnd: [Int: Int] = [:]
            for (i, j) in anchors {
                if let end = diagonalEnd[i - j], end > i { continue }
                var before = 0
                while i - before > a0, j - before > b0, a[i - before - 1] == b[j - before - 1] { before += 1 }
                var after = 1
                while i + after < a1, j + after < b1, a[i + after] == b[j + after] { after += 1 }
                blocks.append(MatchRun(a: i - before, b: j - before, length: before + after))
                diagonalEnd[i - j] = i + after
            }
            return blocks
        }

        /// The chain of non-overlapping blocks, increasing on both sides, that matches the most tokens.
        ///
        /// Plain patience diff keeps the chain with the most anchors, which can trade a long unchanged
        /// stretch for a few unique words that merely moved (a heading that crossed a page break);
        /// weighting by run length keeps the long stretch. Fenwick tree over right positions: O(k log n).
        func heaviestChain(of blocks: [MatchRun], b0: Int, b1: Int) -> [MatchRun] {
            guard !blocks.isEmpty else { return [] }
            let byStart = blocks.indices.sorted { blocks[$0].a < blocks[$1].a }
            let byEnd = blocks.indices.sorted { blocks[$0].a + blocks[$0].length < blocks[$1].a + blocks[$1].length }
            let size = b1 - b0 + 1
            var treeValue = [Int](repeating: 0, count: size + 1)
            var treeIndex = [Int](repeating: -1, count: size + 1)
            var best = [Int](repeating: 0, count: blocks.count)
            var previous = [Int](repeating: -1, count: blocks.count)
            var inserted = 0
            for k in byStart {
                let block = blocks[k]
                while inserted < byEnd.count, blocks[byEnd[inserted]].a + blocks[byEnd[inserted]].length <= block.a {
                    let done = byEnd[inserted]
                    var position = blocks[done].b + blocks[done].length - b0
                    while position <= size {
                        if best[done] > treeValue[position] {
                            treeValue[position] = best[done]
                            treeIndex[position] = done
                        }
                        position += position & -position
                    }
                    inserted += 1
                }
                var position = block.b - b0
                var value = 0
                var index = -1
                while position > 0 {
                    if treeValue[position] > value {
                        value = treeValue[position]
                        index = treeIndex[position]
                    }
                    position -= position & -position
                }
                best[k] = value + block.length
                previous[k] = index
            }
            var cursor = best.indices.max { best[$0] < best[$1] } ?? -1
            var chain: [MatchRun] = []
            while cursor >= 0 {
                chain.append(blocks[cursor])
                cursor = previous[cursor]
            }
            return chain.reversed()
        }

        /// Pairs the k-th occurrence in `a` with the k-th in `b` for keys occurring at most `limit` times on
        /// both sides (and equally often when `equalCounts`).
        mutating func collectAnchors(_ a0: Int, _ a1: Int, _ b0: Int, _ b1: Int, limit: Int32, equalCounts: Bool) -> [(a: Int, b: Int)] {
            func eligible(_ key: Int) -> Bool {
                let inA = countA[key]
                let inB = countB[key]
                guard inA > 0, inB > 0, inA <= limit, inB <= limit else { return false }
                return !equalCounts || inA == inB
            }
            var anchors: [(a: Int, b: Int)] = []
            if limit == 1 {
                for index in b0..<b1 where eligible(b[index]) { lastB[b[index]] = Int32(index) }
                for index in a0..<a1 where eligible(a[index]) { anchors.append((index, Int(lastB[a[index]]))) }
                return anchors
            }
            var positionsB: [Int: [Int]] = [:]
            for index in b0..<b1 where eligible(b[index]) { positionsB[b[index], default: []].append(index) }
            if positionsB.isEmpty { return [] }
            var seen: [Int: Int] = [:]
            for index in a0..<a1 {
                let key = a[index]
                guard let positions = positionsB[key] else { continue }
                let occurrence = seen[key, default: 0]
                seen[key] = occurrence + 1
                if occurrence < positions.count { anchors.append((index, positions[occurrence])) }
            }
            return anchors
        }

        /// Myers' middle snake: splits the range into two smaller diff problems around a common run.
        mutating func splitOnMiddleSnake(_ a0: Int, _ a1: Int, _ b0: Int, _ b1: Int) {
            let n = a1 - a0
            let m = b1 - b0
            let delta = n - m
            let odd = delta & 1 != 0
            let maxD = (n + m + 1) / 2
            let offset = maxD + 1
            var forward = [Int](repeating: 0, count: 2 * maxD + 3)
            var backward = [Int](repeating: 0, count: 2 * maxD + 3)
            for d in 0...maxD {
                var k = -d
                while k <= d {
                    var x: Int
                    if k == -d || (k != d && forward[offset + k - 1] < forward[offset + k + 1]) {
                        x = forward[offset + k + 1]
                    } else {
                        x = forward[offset + k - 1] + 1
                    }
                    var y = x - k
                    let startX = x
                    let startY = y
                    while x < n, y < m, a[a0 + x] == b[b0 + y] {
                        x += 1
                        y += 1
                    }
                    forward[offset + k] = x
                    let backK = delta - k
                    if odd, backK >= -(d - 1), backK <= d - 1, x + backward[offset + backK] >= n {
                        split(a0, a1, b0, b1, snakeX: startX, snakeY: startY, endX: x, endY: y)
                        return
                    }
                    k += 2
                }
                k = -d
                while k <= d {
                    var x: Int
                    if k == -d || (k != d && backward[offset + k - 1] < backward[offset + k + 1]) {
                        x = backward[offset + k + 1]
                    } else {
                        x = backward[offset + k - 1] + 1
                    }
                    var y = x - k
                    let startX = x
                    let startY = y
                    while x < n, y < m, a[a1 - 1 - x] == b[b1 - 1 - y] {
                        x += 1
                        y += 1
                    }
                    backward[offset + k] = x
                    let forwardK = delta - k
                    if !odd, forwardK >= -d, forwardK <= d, x + forward[offset + forwardK] >= n {
                        split(a0, a1, b0, b1, snakeX: n - x, snakeY: m - y, endX: n - startX, endY: m - startY)
                        return
                    }
                    k += 2
                }
            }
            // Unreachable for non-empty ranges; keep the answer correct anyway (all changed).
        }

        mutating func split(_ a0: Int, _ a1: Int, _ b0: Int, _ b1: Int, snakeX: Int, snakeY: Int, endX: Int, endY: Int) {
            if endX > snakeX {
                matches.append(MatchRun(a: a0 + snakeX, b: b0 + snakeY, length: endX - snakeX))
            }
            stack.append(Work(a0: a0, a1: a0 + snakeX, b0: b0, b1: b0 + snakeY))
            stack.append(Work(a0: a0 + endX, a1: a1, b0: b0 + endY, b1: b1))
        }
    }
}
