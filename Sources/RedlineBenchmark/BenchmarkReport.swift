import Foundation

/// One target of issue 3 and whether this run met it.
public struct TargetCheck: Sendable {
    public var target: String
    public var met: Bool
    public var detail: String
}

/// Renders a run as Markdown (the `## Comparison engine` section of docs/benchmarks.md) and evaluates the
/// targets.
public enum BenchmarkReport {
    public static let heading = "## Comparison engine"

    /// Targets: recall ≥ 0.995, precision ≥ 0.98, style recall ≥ 0.9, no reflow-only change and the move
    /// reported as a move at every size; at the largest size create→result ≤ 1.3 × pdftotext on both
    /// files and peak memory ≤ 300 MB; the diff stage linear (its time per 1,000 words at the largest size
    /// at most 1.5 × that at the next smaller size).
    public static func targets(_ run: BenchmarkRun) -> [TargetCheck] {
        let results = run.results
        var checks: [TargetCheck] = []
        func every(_ name: String, _ value: (SizeResult) -> String, _ ok: (SizeResult) -> Bool) {
            let failing = results.filter { !ok($0) }
            checks.append(
                TargetCheck(
                    target: name, met: failing.isEmpty,
                    detail: results.map { "\($0.requestedPages) p: \(value($0))" }.joined(separator: ", ")))
        }
        every("Recall ≥ 0.995 at every size", { f4($0.score.recall) }, { $0.score.recall >= 0.995 })
        every("Precision ≥ 0.98 at every size", { f4($0.score.precision) }, { $0.score.precision >= 0.98 })
        every("Style recall ≥ 0.9 at every size", { f3($0.score.styleRecall) }, { $0.score.styleRecall >= 0.9 })
        every("Zero reflow-only changes reported", { "\($0.score.reflowOnlyReported)" }, { $0.score.reflowOnlyReported == 0 })
        every("Moved paragraph reported as a move", { yesNo($0.score.moveReportedAsMove) }, { $0.score.moveReportedAsMove == true })
        if let largest = results.max(by: { $0.requestedPages < $1.requestedPages }) {
            checks.append(
                TargetCheck(
                    target: "\(largest.requestedPages)-page create→result ≤ 1.3 × pdftotext (both files)",
                    met: largest.speedRatio <= 1.3,
                    detail: "\(f3(largest.engine.compareSeconds)) s vs \(f3(largest.pdftotextSeconds)) s = \(f2(largest.speedRatio))×"))
            checks.append(
                TargetCheck(
                    target: "Peak memory of the comparison ≤ 300 MB", met: largest.peakRSSBytes <= 300 << 20,
                    detail: "\(largest.peakRSSBytes >> 20) MB at \(largest.requestedPages) pages"))
            let sorted = results.sorted { $0.requestedPages < $1.requestedPages }
            if sorted.count >= 2 {
                let previous = sorted[sorted.count - 2]
                let ratio = largest.diffMicrosecondsPerThousandWords / max(previous.diffMicrosecondsPerThousandWords, 1e-9)
                checks.append(
                    TargetCheck(
                        target: "Diff stage linear (µs per 1k words at \(largest.requestedPages) p ≤ 1.5 × at \(previous.requestedPages) p)",
                        met: ratio <= 1.5,
                        detail: sorted.map { "\($0.requestedPages) p: \(f1($0.diffMicrosecondsPerThousandWords)) µs" }.joined(separator: ", ")
                            + " (ratio \(f2(ratio)))"))
            }
        }
        return checks
    }

    /// The section, starting with `heading`.
    public static func markdown(_ run: BenchmarkRun) -> String {
        let configuration = run.configuration
        let dateFormatter = ISO8601DateFormatter()
        dateFormatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withSpaceBetweenDateAndTime]
        var lines: [String] = [heading, ""]
        let sizes = configuration.sizes.map(String.init).joined(separator: ",")
        lines.append(
            "Measured by `redline bench --sizes \(sizes) --seed \(configuration.seed)\(configuration.peers ? " --peers" : "")` "
                + "on \(dateFormatter.string(from: run.date)) UTC: \(run.cores) cores (\(run.cpu)), \(run.buildConfiguration) build, "
                + "1-minute load average \(f2(run.loadBefore)) before and \(f2(run.loadAfter)) after the run"
                + (max(run.loadBefore, run.loadAfter) > Double(run.cores) * 0.5
                    ? " (**the machine was busy**: other work was running, so times are pessimistic)."
                    : " (machine otherwise idle)."))
        lines.append("")
        lines.append(
            "Each size is a seeded, generated contract pair (numbered clauses, bold defined terms, amounts, dates, names, "
                + "italic phrases, fee tables, running header with the title and footer \"Page n of N\") whose right side "
                + "applies a ground-truth edit list; some paragraphs only reflow (narrower measure or indent on one side) "
                + "and later edits shift pagination. Times are medians of \(configuration.repetitions) runs, `pdftotext` and the engine "
                + "alternating; the engine runs in a child process (`redline bench --single`: read both PDFs, compare, encode the "
                + "JSON) so its peak RSS (VmHWM) is its own.")
        lines.append("")

        lines.append("### Accuracy")
        lines.append("")
        lines.append("| Size | Pages L/R | Words L/R | Edits (text + style) | Recall | Precision | Style recall | Reflow-only reported | Move as move | False positives |")
        lines.append("|---|---|---|---|---|---|---|---|---|---|")
        for result in run.results {
            let score = result.score
            lines.append(
                "| \(result.requestedPages) p | \(result.leftPages)/\(result.rightPages) | \(result.leftWords)/\(result.rightWords) | "
                    + "\(score.textEdits) + \(score.styleEdits) | \(f4(score.recall)) (\(score.textRecalled)/\(score.textEdits)) | "
                    + "\(f4(score.precision)) (\(score.truePositives)/\(score.reported)) | \(f3(score.styleRecall)) (\(score.styleRecalled)/\(score.styleEdits)) | "
                    + "\(score.reflowOnlyReported) (of \(result.reflowParagraphs) paragraphs) | \(yesNo(score.moveReportedAsMove)) | \(falsePositives(score)) |")
        }
        if let largest = run.results.max(by: { $0.requestedPages < $1.requestedPages }) {
            let kinds = EditKind.allCases.compactMap { kind in largest.edits[kind].map { "\(kind.rawValue) \($0)" } }
            lines.append("")
            lines.append("Edits at \(largest.requestedPages) pages: \(kinds.joined(separator: ", ")).")
        }
        lines.append("")

        lines.append("### Speed and memory")
        lines.append("")
        lines.append(
            "| Size | pdftotext, both files (s) | Engine create→result (s) | Ratio | extract | tokenize | align | postprocess | build | Diff stage µs / 1k words | Peak RSS (MB) | JSON encode (s) |")
        lines.append("|---|---|---|---|---|---|---|---|---|---|---|---|")
        for result in run.results {
            let timings = result.engine.timings
            lines.append(
                "| \(result.requestedPages) p | \(f3(result.pdftotextSeconds)) | \(f3(result.engine.compareSeconds)) | \(f2(result.speedRatio))× | "
                    + ["extract", "tokenize", "align", "postprocess", "build"].map { f3(timings[$0] ?? 0) }.joined(separator: " | ")
                    + " | \(f1(result.diffMicrosecondsPerThousandWords)) | \(result.peakRSSBytes >> 20) | \(f3(result.engine.jsonSeconds)) |")
        }
        lines.append("")
        lines.append(
            "Stage times are the engine's own (`ComparisonResult.timings`, in seconds, each the median over the runs); "
                + "extraction runs the two documents on two threads. The diff stage is align + postprocess (moves and style "
                + "changes); its column per 1,000 words (left + right) is the fastest of several in-process comparisons of the "
                + "extracted documents, since single runs of a few milliseconds mostly measure the machine's other load.")
        lines.append("")

        if run.results.contains(where: { !$0.peers.isEmpty }) {
            lines.append("### Peers on the same files, same run")
            lines.append("")
            lines.append(
                "Peers diff the words of `pdftotext -layout` output (extraction time not included in their times). "
                    + "They have no kinds, styles or moves, so only text recall and precision are scored, with the same rules; "
                    + "their output includes running headers, footers and page numbers interleaved with the text, which "
                    + "count as false positives (\"furniture\"), and a moved paragraph comes out as a delete plus an insert.")
            lines.append("")
            lines.append("| Size | Tool | Diff time (s) | Recall | Precision | False positives |")
            lines.append("|---|---|---|---|---|---|")
            for result in run.results {
                lines.append(
                    "| \(result.requestedPages) p | Redline engine (create→result) | \(f3(result.engine.compareSeconds)) | "
                        + "\(f4(result.score.recall)) | \(f4(result.score.precision)) | \(falsePositives(result.score)) |")
                lines.append("| \(result.requestedPages) p | pdftotext, both files (extraction only) | \(f3(result.pdftotextSeconds)) | – | – | – |")
                for peer in result.peers {
                    lines.append(
                        "| \(result.requestedPages) p | \(peer.name == "diff-match-patch" ? "diff-match-patch, no time limit, word mode" : "Python difflib (defaults)") | "
                            + "\(f3(peer.seconds)) | \(f4(peer.score.recall)) | \(f4(peer.score.precision)) | \(falsePositives(peer.score)) |")
                }
            }
            lines.append("")
        }

        lines.append("### Targets (issue 3)")
        lines.append("")
        for check in targets(run) {
            lines.append("- \(check.met ? "✅ met" : "❌ not met"): \(check.target) — \(check.detail)")
        }
        lines.append("")

        let misses = run.results.flatMap { result in
            (result.score.missed + result.score.missedStyle).map { "\(result.requestedPages) p: \($0.kind.rawValue) \"\($0.leftText.prefix(50))\" → \"\($0.rightText.prefix(50))\"" }
        }
        let noise = run.results.flatMap { result in result.score.falsePositiveExamples.map { "\(result.requestedPages) p: \($0)" } }
        if !misses.isEmpty || !noise.isEmpty {
            lines.append("### Engine misses and false positives")
            lines.append("")
            for miss in misses.prefix(30) { lines.append("- missed: \(miss)") }
            for example in noise.prefix(30) { lines.append("- false positive: \(example)") }
            lines.append("")
        }

        lines.append("### Method")
        lines.append("")
        lines.append(
            "- Generator: `Sources/RedlineBenchmark` (`BenchmarkPair.generate(pages:seed:)`): same seed, same PDFs. Edits per pair scale with "
                + "the size: word changes, amounts, dates, names, sentence and paragraph inserts/deletes, one moved paragraph, "
                + "bold/italic toggles, table cell edits; each edit keeps at least 4 unchanged words from other edits.")
        lines.append(
            "- Scoring (`Scorer`): changes are mapped to generated words by geometry (a word belongs to a change when its centre "
                + "lies in one of the change's rectangles), peers' word ranges by aligning the `pdftotext -layout` words with "
                + "the generated ones. An edit is recalled when compatible changes cover at least half of its words on each side; "
                + "a change is a true positive when it overlaps an edit, is not oversized (unchanged words ≤ max(3, edited words)) "
                + "and does not merely repeat an edit already reported (a split); pieces the engine splits at page breaks are "
                + "joined first. Header/footer churn, reflow noise and unchanged text count against precision.")
        lines.append(
            "- Not covered here: the generated paragraph is moved verbatim. Edits inside a moved block are reported by the "
                + "engine (its unchanged stretches as `move`, the edits as insert/delete/replace at the new place) and checked "
                + "by the engine's own tests, not scored by this benchmark.")
        lines.append(
            "- Peers: diff-match-patch from PyPI in `.venv-bench` (created by the benchmark), words encoded one character each "
                + "(its linesToChars trick), `Diff_Timeout = 0`; difflib's `SequenceMatcher` with default settings (autojunk on). "
                + "Helper: `tests/benchmark/engine/peer_diff.py`.")
        lines.append("- Reproduce: `swift build -c release --product redline` then `.build/release/redline bench --peers` from the repository root.")
        lines.append("")
        return lines.joined(separator: "\n")
    }

    /// Replaces the `## Comparison engine` section of `document` (up to the next `## ` heading) with
    /// `section`, or appends it; creates a titled document when `document` is empty.
    public static func replaceSection(in document: String, with section: String) -> String {
        var section = section
        if !section.hasSuffix("\n") { section += "\n" }
        guard !document.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            return "# Benchmarks\n\nMeasured results of Redline's benchmarks. Each section belongs to one benchmark.\n\n" + section
        }
        var lines = document.components(separatedBy: "\n")
        if let start = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == heading }) {
            var end = start + 1
            while end < lines.count && !lines[end].hasPrefix("## ") && !lines[end].hasPrefix("# ") { end += 1 }
            var replacement = section.components(separatedBy: "\n")
            if replacement.last == "" { replacement.removeLast() }
            if end < lines.count { replacement.append("") }
            lines.replaceSubrange(start..<end, with: replacement)
            return lines.joined(separator: "\n")
        }
        var result = document
        if !result.hasSuffix("\n") { result += "\n" }
        return result + "\n" + section
    }

    private static func falsePositives(_ score: Score) -> String {
        let parts = score.falsePositives.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key.rawValue)" }
        return parts.isEmpty ? "none" : parts.joined(separator: ", ")
    }

    private static func yesNo(_ value: Bool?) -> String {
        switch value {
        case .some(true): return "yes"
        case .some(false): return "no"
        case nil: return "n/a"
        }
    }

    static func f1(_ value: Double) -> String { String(format: "%.1f", value) }
    static func f2(_ value: Double) -> String { String(format: "%.2f", value) }
    static func f3(_ value: Double) -> String { String(format: "%.3f", value) }
    static func f4(_ value: Double) -> String { String(format: "%.4f", value) }
}
