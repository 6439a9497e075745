import Foundation
import RedlineEngine

/// Settings of a benchmark run (`redline bench`).
public struct BenchmarkConfiguration: Sendable {
    /// Approximate page counts of the generated pairs.
    public var sizes: [Int] = [5, 50, 300]
    public var seed: UInt64 = 1
    /// Timed runs of `pdftotext` and of the engine per size; the median is reported.
    public var repetitions = 3
    /// Also run diff-match-patch and difflib on the `pdftotext -layout` text.
    public var peers = false
    /// Where pairs, texts and change details are written.
    public var workDirectory: String
    /// The `redline` executable, re-invoked as `redline bench --single` for each comparison.
    public var executablePath: String
    /// The peers' Python helper and the virtual environment holding diff-match-patch.
    public var peerScript = "tests/benchmark/engine/peer_diff.py"
    public var venvPath = ".venv-bench"

    public init(workDirectory: String, executablePath: String) {
        self.workDirectory = workDirectory
        self.executablePath = executablePath
    }
}

/// A peer's result on one size.
public struct PeerResult: Sendable {
    public var name: String
    /// Diff time reported by the helper (encoding + diff; no interpreter start-up, no file reading).
    public var seconds: Double
    public var score: Score
    /// Words of the `pdftotext` text that could not be matched to generated words (scoring diagnostic).
    public var unmatchedWords: Int
}

/// Everything measured for one size.
public struct SizeResult: Sendable {
    public var requestedPages: Int
    public var leftPages: Int
    public var rightPages: Int
    public var leftWords: Int
    public var rightWords: Int
    public var edits: [EditKind: Int]
    public var reflowParagraphs: Int
    public var generationSeconds: Double
    /// `pdftotext` (default mode) on both files one after the other, median of the repetitions.
    public var pdftotextSeconds: Double
    /// `pdftotext -layout` on both files (the peers' input), one run.
    public var pdftotextLayoutSeconds: Double
    /// The engine's figures, each the median over the runs, and all create-to-result times.
    public var engine: SingleComparisonReport
    public var compareRuns: [Double]
    /// Diff stage (align + postprocess) measured in this process on the already extracted documents: the
    /// fastest of several runs, which is far less sensitive to other load than a single run's stage time.
    public var diffStageSeconds: Double
    /// Largest peak RSS over the engine runs.
    public var peakRSSBytes: Int
    public var score: Score
    public var peers: [PeerResult]

    /// Time of the diff stage (`diffStageSeconds`: alignment + moves/styles post-processing), microseconds
    /// per 1,000 words of the two documents together.
    public var diffMicrosecondsPerThousandWords: Double {
        diffStageSeconds * 1e6 / (Double(leftWords + rightWords) / 1000)
    }

    public var speedRatio: Double { pdftotextSeconds > 0 ? engine.compareSeconds / pdftotextSeconds : .infinity }
}

/// A whole run: results per size plus the conditions they were measured under.
public struct BenchmarkRun: Sendable {
    public var configuration: BenchmarkConfiguration
    public var results: [SizeResult]
    public var date: Date
    public var cores: Int
    public var cpu: String
    public var buildConfiguration: String
    /// /proc/loadavg 1-minute averages before and after the run.
    public var loadBefore: Double
    public var loadAfter: Double
}

/// Generates, measures and scores each size (see `BenchmarkConfiguration`).
public struct BenchmarkRunner: Sendable {
    public var configuration: BenchmarkConfiguration
    public var log: @Sendable (String) -> Void

    public init(configuration: BenchmarkConfiguration, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.configuration = configuration
        self.log = log
    }

    public enum Failure: Error, CustomStringConvertible {
        case missingTool(String)
        case badOutput(String)

        public var description: String {
            switch self {
            case .missingTool(let tool): return "\(tool) not found on PATH"
            case .badOutput(let detail): return detail
            }
        }
    }

    public func run() throws -> BenchmarkRun {
        guard let pdftotext = ChildProcess.which("pdftotext") else { throw Failure.missingTool("pdftotext (poppler-utils)") }
        try FileManager.default.createDirectory(atPath: configuration.workDirectory, withIntermediateDirectories: true)
        let loadBefore = Self.loadAverage()
        var python: (dmp: String?, difflib: String?) = (nil, nil)
        if configuration.peers { python = preparePython() }
        var results: [SizeResult] = []
        for size in configuration.sizes {
            results.append(try measure(size: size, pdftotext: pdftotext, python: python))
        }
        return BenchmarkRun(
            configuration: configuration, results: results, date: Date(), cores: ProcessInfo.processInfo.activeProcessorCount,
            cpu: Self.cpuModel(), buildConfiguration: Self.buildConfiguration, loadBefore: loadBefore, loadAfter: Self.loadAverage())
    }

    private func measure(size: Int, pdftotext: String, python: (dmp: String?, difflib: String?)) throws -> SizeResult {
        let directory = "\(configuration.workDirectory)/pages-\(size)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        log("[\(size) pages] generating (seed \(configuration.seed))")
        let generationStart = DispatchTime.now()
        let pair = try BenchmarkPair.generate(pages: size, seed: configuration.seed)
        let generationSeconds = Self.seconds(since: generationStart)
        let paths = (left: "\(directory)/left.pdf", right: "\(directory)/right.pdf")
        try pair.leftSide.pdf.write(to: URL(fileURLWithPath: paths.left))
        try pair.rightSide.pdf.write(to: URL(fileURLWithPath: paths.right))
        try pair.left.plainText.write(toFile: "\(directory)/left.txt", atomically: true, encoding: .utf8)
        try pair.right.plainText.write(toFile: "\(directory)/right.txt", atomically: true, encoding: .utf8)
        log("[\(size) pages] \(pair.leftSide.pageCount)/\(pair.rightSide.pageCount) pages, \(pair.left.words.count)/\(pair.right.words.count) words, \(pair.truth.edits.count) edits, generated in \(Self.format(generationSeconds)) s")

        // pdftotext and the engine alternate, so both see the same machine conditions.
        var extractionTimes: [Double] = []
        var reports: [SingleComparisonReport] = []
        let detailsPath = "\(directory)/change-details.json"
        for _ in 0..<max(1, configuration.repetitions) {
            let left = try ChildProcess.run(pdftotext, [paths.left, "\(directory)/left.pdftotext.txt"])
            let right = try ChildProcess.run(pdftotext, [paths.right, "\(directory)/right.pdftotext.txt"])
            extractionTimes.append(left.seconds + right.seconds)
            let outcome = try ChildProcess.run(
                configuration.executablePath, ["bench", "--single", paths.left, paths.right, "--details", detailsPath],
                stderrPath: "\(directory)/single.stderr")
            guard let line = String(decoding: outcome.output, as: UTF8.self).split(separator: "\n").last,
                let report = try? JSONDecoder().decode(SingleComparisonReport.self, from: Data(line.utf8))
            else { throw Failure.badOutput("redline bench --single printed no report") }
            reports.append(report)
        }
        log("[\(size) pages] pdftotext both files: \(Self.format(Self.median(extractionTimes))) s")
        let layoutTexts = (left: "\(directory)/left.layout.txt", right: "\(directory)/right.layout.txt")
        let layoutSeconds = try ChildProcess.run(pdftotext, ["-layout", paths.left, layoutTexts.left]).seconds
            + ChildProcess.run(pdftotext, ["-layout", paths.right, layoutTexts.right]).seconds
        // Medians per figure over the runs (each stage on its own: a stage of a few milliseconds is noisy).
        var engine = reports[0]
        engine.compareSeconds = Self.median(reports.map(\.compareSeconds))
        engine.jsonSeconds = Self.median(reports.map(\.jsonSeconds))
        for stage in engine.timings.keys {
            engine.timings[stage] = Self.median(reports.compactMap { $0.timings[stage] })
        }
        log("[\(size) pages] engine create→result: \(Self.format(engine.compareSeconds)) s, peak RSS \((reports.map(\.peakRSSBytes).max() ?? 0) >> 20) MB")

        let diffStageSeconds = try measureDiffStage(left: pair.leftSide.pdf, right: pair.rightSide.pdf)

        let details = try JSONDecoder().decode(ChangeDetails.self, from: Data(contentsOf: URL(fileURLWithPath: detailsPath)))
        let scorer = Scorer(truth: pair.truth, leftWordCount: pair.left.words.count, rightWordCount: pair.right.words.count)
        let score = scorer.score(ChangeMapper(left: pair.leftSide, right: pair.rightSide).reportedChanges(details))
        log("[\(size) pages] recall \(Self.format(score.recall, 4)), precision \(Self.format(score.precision, 4)), style recall \(Self.format(score.styleRecall, 3))")

        var peers: [PeerResult] = []
        if configuration.peers {
            let leftWords = try String(contentsOfFile: layoutTexts.left, encoding: .utf8).split(whereSeparator: \.isWhitespace).map(String.init)
            let rightWords = try String(contentsOfFile: layoutTexts.right, encoding: .utf8).split(whereSeparator: \.isWhitespace).map(String.init)
            let leftMapping = TextWordMapping(textWords: leftWords, side: pair.leftSide)
            let rightMapping = TextWordMapping(textWords: rightWords, side: pair.rightSide)
            for (name, interpreter) in [("diff-match-patch", python.dmp), ("difflib", python.difflib)] {
                guard let interpreter else {
                    log("[\(size) pages] \(name): no Python environment, skipped")
                    continue
                }
                log("[\(size) pages] running \(name)")
                let outcome = try ChildProcess.run(
                    interpreter, [configuration.peerScript, name == "difflib" ? "difflib" : "dmp", layoutTexts.left, layoutTexts.right],
                    stderrPath: "\(directory)/\(name).stderr")
                let output = try JSONDecoder().decode(PeerOutput.self, from: outcome.output)
                let changes = output.ops.compactMap { op -> ReportedChange? in
                    guard op.count == 5, case .string(let tag) = op[0], case .int(let i1) = op[1], case .int(let i2) = op[2],
                        case .int(let j1) = op[3], case .int(let j2) = op[4]
                    else { return nil }
                    let kind: ChangeKind = tag == "insert" ? .insert : (tag == "delete" ? .delete : .replace)
                    return TextWordMapping.change(
                        kind: kind, left: i1..<i2, right: j1..<j2, leftMapping: leftMapping, rightMapping: rightMapping,
                        leftWords: leftWords, rightWords: rightWords)
                }
                let peerScore = scorer.score(changes)
                peers.append(PeerResult(name: name, seconds: output.seconds, score: peerScore, unmatchedWords: leftMapping.unmatched + rightMapping.unmatched))
                log(
                    "[\(size) pages] \(name): \(Self.format(output.seconds)) s, recall \(Self.format(peerScore.recall, 4)), "
                        + "precision \(Self.format(peerScore.precision, 4)) (\(leftMapping.unmatched + rightMapping.unmatched) text words unmatched)")
            }
        }
        return SizeResult(
            requestedPages: size, leftPages: pair.leftSide.pageCount, rightPages: pair.rightSide.pageCount,
            leftWords: pair.left.words.count, rightWords: pair.right.words.count, edits: pair.truth.countsByKind,
            reflowParagraphs: pair.truth.reflowLeft.count, generationSeconds: generationSeconds,
            pdftotextSeconds: Self.median(extractionTimes), pdftotextLayoutSeconds: layoutSeconds, engine: engine,
            compareRuns: reports.map(\.compareSeconds), diffStageSeconds: diffStageSeconds, peakRSSBytes: reports.map(\.peakRSSBytes).max() ?? 0, score: score, peers: peers)
    }

    /// Fastest align + postprocess time over `max(5, repetitions)` comparisons of the extracted documents.
    private func measureDiffStage(left: Data, right: Data) throws -> Double {
        let leftText = try DocumentText(pdf: left)
        let rightText = try DocumentText(pdf: right)
        let engine = ComparisonEngine()
        var best = Double.infinity
        for _ in 0..<max(5, configuration.repetitions) {
            let timings = engine.compare(left: leftText, right: rightText).timings
            best = min(best, (timings["align"] ?? 0) + (timings["postprocess"] ?? 0))
        }
        return best
    }

    /// The helper's JSON.
    private struct PeerOutput: Decodable {
        var seconds: Double
        var ops: [[Field]]

        enum Field: Decodable {
            case string(String)
            case int(Int)

            init(from decoder: any Decoder) throws {
                let container = try decoder.singleValueContainer()
                if let value = try? container.decode(Int.self) { self = .int(value) } else { self = .string(try container.decode(String.self)) }
            }
        }
    }

    /// Interpreters for the two peers: the benchmark venv (created with diff-match-patch when missing)
    /// for diff-match-patch, and any python3 for difflib.
    private func preparePython() -> (dmp: String?, difflib: String?) {
        let venvPython = "\(configuration.venvPath)/bin/python"
        let system = ChildProcess.which("python3")
        if !FileManager.default.isExecutableFile(atPath: venvPython), let system {
            log("creating \(configuration.venvPath) with diff-match-patch")
            _ = try? ChildProcess.run(system, ["-m", "venv", configuration.venvPath])
            _ = try? ChildProcess.run("\(configuration.venvPath)/bin/pip", ["install", "--quiet", "diff-match-patch"])
        }
        var dmp: String?
        if FileManager.default.isExecutableFile(atPath: venvPython),
            (try? ChildProcess.run(venvPython, ["-c", "import diff_match_patch"]))?.status == 0
        {
            dmp = venvPython
        } else {
            log("diff-match-patch is not importable from \(venvPython); skipping it")
        }
        return (dmp, dmp ?? system)
    }

    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    static func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }

    static func format(_ value: Double, _ digits: Int = 3) -> String {
        String(format: "%.\(digits)f", value)
    }

    static func loadAverage() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return 0 }
        return Double(text.split(separator: " ").first ?? "") ?? 0
    }

    static func cpuModel() -> String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown CPU" }
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            return line.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
        }
        return "unknown CPU"
    }

    /// How this module was compiled.
    public static var buildConfiguration: String {
        #if DEBUG
            return "debug"
        #else
            return "release"
        #endif
    }
}
