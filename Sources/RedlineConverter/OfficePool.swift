import Foundation
import Logging
import RedlineCore

/// Settings of the warm LibreOffice pool.
public struct OfficePoolOptions: Sendable {
    /// Office processes kept warm (`REDLINE_CONVERTER_POOL_SIZE`).
    public var size: Int = 2
    /// Conversions before a process is recycled (`REDLINE_CONVERTER_MAX_CONVERSIONS`).
    public var maxConversionsPerProcess: Int = 50
    /// Time one conversion may take before its process is killed (`REDLINE_CONVERTER_TIMEOUT_SECONDS`).
    public var conversionTimeout: TimeInterval = 120
    /// Time LibreOffice's first start may take.
    public var startTimeout: TimeInterval = 180
    /// Address-space limit of each office process, so a bomb cannot take the machine down.
    public var memoryLimitBytes: Int = 3 << 30
    /// How tracked changes in Word documents are compared: `accept` (as printed after accepting), `reject`, or `show`.
    public var trackedChanges: String = "accept"
    /// Longest document converted (`REDLINE_MAX_PAGES`); longer ones are refused after LibreOffice's
    /// layout and before the PDF export. 0: no limit.
    public var maxPages: Int = 1000

    public init() {}
}

/// A pool of warm LibreOffice processes, each with its own profile directory.
///
/// Conversions check out an idle process; a process is recycled after `maxConversionsPerProcess`
/// conversions, and killed and replaced when it crashes or a conversion outlives its timeout.
/// Readiness means at least one process is warm, so an orchestrator never kills the converter
/// during LibreOffice's slow first start.
public actor OfficePool {
    public struct Status: Sendable, Codable {
        public var warm: Int
        public var busy: Int
        public var starting: Int
        public var restarts: Int
        public var conversions: Int
        public var started: Bool
    }

    let options: OfficePoolOptions
    let logger: Logger
    let script: URL
    let python: String
    let soffice: String
    let workRoot: URL
    private var idle: [OfficeWorkerProcess] = []
    private var busyProcesses: [ObjectIdentifier: OfficeWorkerProcess] = [:]
    private var busy: Int { busyProcesses.count }
    private var starting = 0
    private var restarts = 0
    private var conversions = 0
    private var everReady = false
    private var waiters: [CheckedContinuation<OfficeWorkerProcess?, Never>] = []
    private var nextID = 0
    private var closed = false

    /// - Parameter script: the worker script; tests substitute a misbehaving one.
    public init(options: OfficePoolOptions, soffice: String, python: String = "/usr/bin/python3", script: URL? = nil, logger: Logger) throws {
        guard let script = script ?? Bundle.module.url(forResource: "office_worker", withExtension: "py") else {
            throw RedlineError.transient("office_worker.py is missing from the converter's resources")
        }
        // Writing to an office process that just died must be an error, not a process-killing SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        self.options = options
        self.logger = logger
        self.script = script
        self.python = python
        self.soffice = soffice
        self.workRoot = FileManager.default.temporaryDirectory.appendingPathComponent("redline-converter-\(getpid())")
    }

    /// Starts the pool's processes in the background.
    public func start() {
        for _ in 0..<options.size { launch() }
    }

    public var status: Status {
        Status(warm: idle.count, busy: busy, starting: starting, restarts: restarts, conversions: conversions, started: everReady)
    }

    public var isReady: Bool { !idle.isEmpty || busy > 0 }

    /// Converts an Office document to PDF.
    public func convert(_ data: Data, fileType: FileType) async throws -> Data {
        let job = workRoot.appendingPathComponent("job-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: job, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: job) }
        let input = job.appendingPathComponent("document.\(fileType.rawValue)")
        let output = job.appendingPathComponent("document.pdf")
        try data.write(to: input)
        guard let worker = await checkout() else {
            throw RedlineError.transient("no LibreOffice process is available")
        }
        do {
            let reply = try await worker.convert(
                inputPath: input.path, outputPath: output.path, trackedChanges: options.trackedChanges, maxPages: options.maxPages,
                timeout: options.conversionTimeout)
            checkin(worker)
            conversions += 1
            if reply.password_protected == true {
                throw RedlineError.badDocument("The .\(fileType.rawValue) file is password-protected; upload an unprotected copy.")
            }
            if reply.too_many_pages == true, let pages = reply.pages {
                throw RedlineError.badDocument("The .\(fileType.rawValue) file has \(pages) pages; the limit is \(options.maxPages) pages.")
            }
            guard reply.ok == true, let pdf = try? Data(contentsOf: output), !pdf.isEmpty else {
                throw RedlineError.badDocument(
                    "The .\(fileType.rawValue) file could not be converted to PDF (\(reply.error ?? "no output")); it may be corrupt or not a \(fileType.rawValue) file.")
            }
            return pdf
        } catch let failure as OfficeWorkerProcess.Failure {
            replace(worker)
            switch failure {
            case .timedOut:
                throw RedlineError.badDocument("Converting the .\(fileType.rawValue) file took longer than \(Int(options.conversionTimeout)) seconds and was stopped.")
            case .exited(let why):
                // A crash may be the document's fault or a fluke: let the job retry once more.
                throw RedlineError.transient("LibreOffice stopped while converting the .\(fileType.rawValue) file (\(why))")
            }
        }
    }

    /// Stops every process.
    public func shutdown() {
        closed = true
        idle.forEach { $0.terminate() }
        idle.removeAll()
        waiters.forEach { $0.resume(returning: nil) }
        waiters.removeAll()
        try? FileManager.default.removeItem(at: workRoot)
    }

    /// Kills an idle process to simulate a crash (tests); returns whether one was found.
    public func killOneIdleProcessForTesting() -> Bool {
        guard let worker = idle.first else { return false }
        worker.terminate()
        return true
    }

    /// Kills every process that is converting right now, as a crash mid-conversion would (tests).
    public func killBusyProcessesForTesting() -> Int {
        busyProcesses.values.forEach { $0.terminate() }
        return busyProcesses.count
    }

    private func checkout() async -> OfficeWorkerProcess? {
        while let worker = idle.popLast() {
            if worker.isRunning {
                busyProcesses[ObjectIdentifier(worker)] = worker
                return worker
            }
            replaceDead(worker)
        }
        if closed { return nil }
        let worker = await withCheckedContinuation { waiters.append($0) }
        if let worker { busyProcesses[ObjectIdentifier(worker)] = worker }
        return worker
    }

    private func checkin(_ worker: OfficeWorkerProcess) {
        busyProcesses[ObjectIdentifier(worker)] = nil
        if worker.conversionCount >= options.maxConversionsPerProcess {
            logger.debug("recycling office process", metadata: ["id": "\(worker.id)"])
            worker.terminate()
            launch()
            return
        }
        offer(worker)
    }

    private func replace(_ worker: OfficeWorkerProcess) {
        busyProcesses[ObjectIdentifier(worker)] = nil
        replaceDead(worker)
    }

    private func replaceDead(_ worker: OfficeWorkerProcess) {
        worker.terminate()
        restarts += 1
        logger.warning("office process replaced", metadata: ["id": "\(worker.id)"])
        launch()
    }

    private func offer(_ worker: OfficeWorkerProcess) {
        if closed {
            worker.terminate()
        } else if !waiters.isEmpty {
            waiters.removeFirst().resume(returning: worker)
        } else {
            idle.append(worker)
        }
    }

    private func launch() {
        guard !closed else { return }
        nextID += 1
        let id = nextID
        starting += 1
        Task { await self.boot(id: id) }
    }

    private func boot(id: Int) async {
        do {
            try FileManager.default.createDirectory(at: workRoot, withIntermediateDirectories: true)
            let worker = try OfficeWorkerProcess(
                id: id, script: script, python: python, soffice: soffice, workRoot: workRoot, memoryLimitBytes: options.memoryLimitBytes)
            do {
                try await worker.waitUntilReady(timeout: options.startTimeout)
            } catch {
                worker.terminate()
                throw error
            }
            starting -= 1
            everReady = true
            logger.info("office process warm", metadata: ["id": "\(id)"])
            offer(worker)
        } catch {
            starting -= 1
            logger.error("office process failed to start", metadata: ["id": "\(id)", "error": "\(error)"])
            if !closed {
                try? await Task.sleep(for: .seconds(2))
                restarts += 1
                launch()
            }
        }
    }
}
