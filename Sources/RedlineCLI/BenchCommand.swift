import ArgumentParser
import Foundation
import RedlineBenchmark

/// `redline bench`: the comparison-engine benchmark of issue 3. Generates seeded contract-like PDF pairs
/// with a ground-truth edit list, times `pdftotext` and the engine on them, scores the engine's change
/// details (and, with `--peers`, diff-match-patch and difflib on the `pdftotext -layout` text), prints a
/// Markdown report and writes it into the "## Comparison engine" section of docs/benchmarks.md.
/// Measure with a release build.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark the comparison engine on generated document pairs (accuracy, speed, memory, peers).")

    @Option(name: .long, help: "Approximate page counts to generate, comma-separated.")
    var sizes: String = "5,50,300"

    @Option(name: .long, help: "Seed of the generator: same seed, same documents and edits.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Markdown file whose \"## Comparison engine\" section is written (created when missing).")
    var output: String = "docs/benchmarks.md"

    @Flag(name: .long, help: "Don't write the Markdown file; only print the report.")
    var noWrite = false

    @Flag(name: .long, help: "Also run diff-match-patch (no time limit) and Python difflib on the pdftotext -layout text.")
    var peers = false

    @Option(name: .long, help: "Timed runs of pdftotext and of the engine per size (the median is reported).")
    var repetitions: Int = 3

    @Option(name: .long, help: "Directory for the generated PDFs, texts and change details (default: a new temporary directory).")
    var workdir: String?

    @Option(name: .long, help: "The peers' Python helper.")
    var peerScript: String = "tests/benchmark/engine/peer_diff.py"

    @Option(name: .long, help: "Virtual environment for diff-match-patch (created when missing).")
    var venv: String = ".venv-bench"

    @Option(
        name: .long, parsing: .upToNextOption,
        help: ArgumentHelp("Internal: compare LEFT RIGHT once in this process and print a JSON report.", visibility: .hidden))
    var single: [String] = []

    @Option(name: .long, help: ArgumentHelp("Internal: with --single, write the change details JSON here.", visibility: .hidden))
    var details: String?

    func validate() throws {
        if !single.isEmpty && single.count != 2 { throw ValidationError("--single takes exactly two PDF paths.") }
        if parsedSizes.isEmpty { throw ValidationError("--sizes needs at least one positive page count, e.g. 5,50,300.") }
        if repetitions < 1 { throw ValidationError("--repetitions must be at least 1.") }
    }

    private var parsedSizes: [Int] {
        sizes.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.filter { $0 > 0 }
    }

    func run() async throws {
        if single.count == 2 {
            let report = try SingleComparisonReport.run(leftPath: single[0], rightPath: single[1], detailsPath: details)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
            return
        }
        let directory = workdir ?? FileManager.default.temporaryDirectory.appendingPathComponent("redline-bench-\(ProcessInfo.processInfo.processIdentifier)").path
        var configuration = BenchmarkConfiguration(workDirectory: directory, executablePath: Self.executablePath())
        configuration.sizes = parsedSizes
        configuration.seed = seed
        configuration.repetitions = repetitions
        configuration.peers = peers
        configuration.peerScript = peerScript
        configuration.venvPath = venv
        if BenchmarkRunner.buildConfiguration != "release" {
            FileHandle.standardError.write(Data("warning: this is a \(BenchmarkRunner.buildConfiguration) build; measure with a release build\n".utf8))
        }
        let runner = BenchmarkRunner(configuration: configuration) { message in
            FileHandle.standardError.write(Data((message + "\n").utf8))
        }
        let run = try runner.run()
        let section = BenchmarkReport.markdown(run)
        print(section)
        if !noWrite {
            let existing = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            let directoryURL = URL(fileURLWithPath: output).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: directoryURL, withIntermediateDirectories: true)
            try BenchmarkReport.replaceSection(in: existing, with: section).write(toFile: output, atomically: true, encoding: .utf8)
            FileHandle.standardError.write(Data("wrote the \"\(BenchmarkReport.heading)\" section of \(output); files in \(directory)\n".utf8))
        }
        if BenchmarkReport.targets(run).contains(where: { !$0.met }) {
            FileHandle.standardError.write(Data("some targets are not met (see the report)\n".utf8))
        }
    }

    /// This executable, to re-invoke for `--single`.
    private static func executablePath() -> String {
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return resolved }
        return Bundle.main.executablePath ?? CommandLine.arguments[0]
    }
}
