import Foundation

/// A private temporary directory, removed by `remove()` (call it in a `defer`).
struct ScratchDirectory {
    let url: URL

    init() throws {
        let base = FileManager.default.temporaryDirectory
        let url = base.appendingPathComponent("redline-export-\(UUID().uuidString)", isDirectory: true)
        do {
            try FileManager.default.createDirectory(
                at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw ExportError("Could not create a temporary directory: \(error.localizedDescription)")
        }
        self.url = url
    }

    func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    func write(_ data: Data, to name: String) throws -> URL {
        let target = file(name)
        do {
            try data.write(to: target)
        } catch {
            throw ExportError("Could not write a temporary file: \(error.localizedDescription)")
        }
        return target
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

/// Runs the qpdf command-line tool (qpdf 11+, for JSON v2) with a time limit.
enum QPDFTool {
    /// Seconds one qpdf run may take before it is killed.
    static let timeLimit: TimeInterval = 120

    /// Path of the qpdf executable: `REDLINE_QPDF` if set, else the first `qpdf` on PATH.
    static func executable() throws -> URL {
        let environment = ProcessInfo.processInfo.environment
        if let configured = environment["REDLINE_QPDF"], !configured.isEmpty {
            return URL(fileURLWithPath: configured)
        }
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("qpdf")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw ExportError("PDF export needs the qpdf tool, which is not installed (apt-get install qpdf)")
    }

    /// Runs qpdf with `arguments`; stdout goes to `stdout` (or is discarded). Exit 0 and 3 (warnings) succeed.
    static func run(_ arguments: [String], stdout: URL? = nil, in scratch: ScratchDirectory, step: String) throws {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = arguments
        process.currentDirectoryURL = scratch.url
        let errorURL = scratch.file("qpdf-stderr-\(UUID().uuidString).txt")
        let outputURL = stdout ?? scratch.file("qpdf-stdout-\(UUID().uuidString).txt")
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        guard let errorHandle = FileHandle(forWritingAtPath: errorURL.path),
            let outputHandle = FileHandle(forWritingAtPath: outputURL.path)
        else { throw ExportError("Could not open temporary files for qpdf") }
        defer {
            try? errorHandle.close()
            try? outputHandle.close()
        }
        process.standardOutput = outputHandle
        process.standardError = errorHandle
        process.standardInput = FileHandle.nullDevice
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do {
            try process.run()
        } catch {
            throw ExportError("Could not start qpdf: \(error.localizedDescription)")
        }
        if finished.wait(timeout: .now() + timeLimit) == .timedOut {
            process.terminate()
            if finished.wait(timeout: .now() + 5) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                _ = finished.wait(timeout: .now() + 5)
            }
            throw ExportError("qpdf took longer than \(Int(timeLimit)) seconds while \(step)")
        }
        let status = process.terminationStatus
        guard process.terminationReason == .exit, status == 0 || status == 3 else {
            let stderr = (try? String(contentsOf: errorURL, encoding: .utf8)) ?? ""
            let detail = stderr.split(separator: "\n").suffix(3).joined(separator: "; ")
            throw ExportError("qpdf failed while \(step)\(detail.isEmpty ? " (status \(status))" : ": \(detail)")")
        }
    }
}
