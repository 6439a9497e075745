import Foundation

/// Runs a program to completion, capturing its standard output (standard error goes to a file or is
/// discarded), and measures its wall time.
struct ChildProcess {
    struct Outcome {
        var status: Int32
        var output: Data
        var seconds: Double
    }

    enum Failure: Error, CustomStringConvertible {
        case launch(String, String)
        case exit(String, Int32, String)

        var description: String {
            switch self {
            case .launch(let program, let reason): return "cannot start \(program): \(reason)"
            case .exit(let program, let status, let detail): return "\(program) exited with status \(status)\(detail.isEmpty ? "" : ": " + detail)"
            }
        }
    }

    /// Runs `executable` with `arguments`; throws when it cannot start or (with `check`) exits non-zero.
    static func run(_ executable: String, _ arguments: [String], stderrPath: String? = nil, check: Bool = true) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        var errorHandle: FileHandle?
        if let stderrPath {
            _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
            errorHandle = FileHandle(forWritingAtPath: stderrPath)
        }
        process.standardError = errorHandle ?? FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let start = DispatchTime.now()
        do {
            try process.run()
        } catch {
            throw Failure.launch(executable, "\(error)")
        }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        try? errorHandle?.close()
        if check, process.terminationStatus != 0 {
            let detail = stderrPath.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) }?.suffix(400) ?? ""
            throw Failure.exit(executable, process.terminationStatus, String(detail))
        }
        return Outcome(status: process.terminationStatus, output: output, seconds: seconds)
    }

    /// First executable named `name` on PATH.
    static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
