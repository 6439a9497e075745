import Foundation
import Synchronization

/// One warm LibreOffice, driven through `office_worker.py` over stdin/stdout JSON lines.
///
/// The script runs in its own process group with LibreOffice as its child, so `terminate()` kills
/// both at once; both also die with the parent process.
final class OfficeWorkerProcess: Sendable {
    struct Reply: Decodable {
        var ready: Bool?
        var ok: Bool?
        var error: String?
        var pages: Int?
        var office_pid: Int32?
        /// LibreOffice asked for a password; the load was aborted.
        var password_protected: Bool?
        /// The document has more pages than the request's `max_pages`; it was not exported.
        var too_many_pages: Bool?
    }

    enum Failure: Error {
        case timedOut
        case exited(String)
    }

    let id: Int
    let profile: URL
    private let process: Process
    private let input: FileHandle
    private let lines: AsyncStream<String>
    private let conversions = Mutex(0)

    var conversionCount: Int { conversions.withLock { $0 } }
    var isRunning: Bool { process.isRunning }

    /// Starts the script; call `waitUntilReady` before converting.
    init(id: Int, script: URL, python: String, soffice: String, workRoot: URL, memoryLimitBytes: Int) throws {
        self.id = id
        profile = workRoot.appendingPathComponent("office-profile-\(id)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script.path, profile.path, "redline-office-\(getpid())-\(id)-\(UUID().uuidString.prefix(6))", soffice, String(memoryLimitBytes)]
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = profile.path  // LibreOffice writes caches under HOME; keep them per process
        environment.removeValue(forKey: "PYTHONPATH")
        environment.removeValue(forKey: "PYTHONHOME")
        process.environment = environment
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        self.input = stdin.fileHandleForWriting
        let reader = stdout.fileHandleForReading
        lines = AsyncStream { continuation in
            let thread = Thread {
                var buffer = Data()
                var chunk = [UInt8](repeating: 0, count: 4096)
                while true {
                    // Plain read(2): FileHandle.availableData traps on EINTR.
                    let count = chunk.withUnsafeMutableBytes { read(reader.fileDescriptor, $0.baseAddress, $0.count) }
                    if count < 0 && errno == EINTR { continue }
                    if count <= 0 { break }
                    buffer.append(contentsOf: chunk[0..<count])
                    while let newline = buffer.firstIndex(of: 0x0A) {
                        continuation.yield(String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self))
                        buffer.removeSubrange(buffer.startIndex...newline)
                    }
                }
                continuation.finish()
            }
            thread.start()
        }
    }

    /// Waits for LibreOffice's first start (slow: up to a minute or two on a cold machine).
    func waitUntilReady(timeout: TimeInterval) async throws {
        let reply = try await nextReply(timeout: timeout)
        guard reply.ready == true else { throw Failure.exited(reply.error ?? "LibreOffice did not start") }
    }

    /// Converts `inputPath` into `outputPath`; throws `Failure` when the process must be replaced.
    /// `maxPages` > 0 refuses longer documents before they are exported.
    func convert(inputPath: String, outputPath: String, trackedChanges: String, maxPages: Int, timeout: TimeInterval) async throws -> Reply {
        conversions.withLock { $0 += 1 }
        let request = try JSONSerialization.data(withJSONObject: [
            "input": inputPath, "output": outputPath, "tracked_changes": trackedChanges, "max_pages": maxPages,
        ])
        do {
            try input.write(contentsOf: request + Data([0x0A]))
        } catch {
            throw Failure.exited("the office process is gone")
        }
        return try await nextReply(timeout: timeout)
    }

    private func nextReply(timeout: TimeInterval) async throws -> Reply {
        let lines = self.lines
        let line: String? = try await withThrowingTaskGroup(of: String?.self) { group in
            group.addTask {
                var iterator = lines.makeAsyncIterator()
                return await iterator.next()
            }
            group.addTask {
                try await Task.sleep(for: .seconds(timeout))
                throw Failure.timedOut
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
        guard let line else { throw Failure.exited("the office process exited") }
        guard let reply = try? JSONDecoder().decode(Reply.self, from: Data(line.utf8)) else {
            throw Failure.exited("the office process answered nonsense: \(line.prefix(200))")
        }
        return reply
    }

    /// Kills the script and LibreOffice (the whole process group) and removes the profile.
    func terminate() {
        let pid = process.processIdentifier
        if pid > 0 {
            kill(-pid, SIGKILL)
            kill(pid, SIGKILL)
        }
        try? input.close()
        try? FileManager.default.removeItem(at: profile)
    }
}
