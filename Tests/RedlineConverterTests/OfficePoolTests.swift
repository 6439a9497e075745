import Foundation
import Logging
import RedlineCore
import RedlinePDF
import Testing

@testable import RedlineConverter

/// Real LibreOffice conversions through the warm pool. Skipped only where LibreOffice is absent
/// (scripts/setup.sh installs it, so CI always runs them).
@Suite(.enabled(if: OfficeLocator.soffice() != nil), .serialized)
struct OfficePoolTests {
    static func rtf(_ paragraphs: [String]) -> Data {
        Data(("{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Liberation Serif;}}\\f0\\fs24 " + paragraphs.joined(separator: "\\par ") + "}").utf8)
    }

    func withPool(
        size: Int = 1, timeout: TimeInterval = 60, maxPages: Int = 1000, script: URL? = nil, _ body: (OfficePool) async throws -> Void
    ) async throws {
        var options = OfficePoolOptions()
        options.size = size
        options.conversionTimeout = timeout
        options.maxPages = maxPages
        options.startTimeout = 120
        let pool = try OfficePool(options: options, soffice: OfficeLocator.soffice()!, script: script, logger: Logger(label: "test"))
        await pool.start()
        do {
            try await body(pool)
        } catch {
            await pool.shutdown()
            throw error
        }
        await pool.shutdown()
    }

    func waitUntilReady(_ pool: OfficePool, seconds: Int = 120) async throws {
        for _ in 0..<(seconds * 10) where !(await pool.isReady) { try await Task.sleep(for: .milliseconds(100)) }
        #expect(await pool.isReady)
    }

    @Test func convertsRTFToAPDFWithItsText() async throws {
        try await withPool { pool in
            try await waitUntilReady(pool)
            let pdf = try await pool.convert(Self.rtf(["The Supplier shall deliver 52.1 units.", "Second paragraph."]), fileType: .rtf)
            let document = try PDFDocument(data: pdf)
            #expect(document.pageCount == 1)
            let words = document.words(page: 0).map(\.text)
            #expect(words.contains("Supplier"))
            #expect(words.contains("52.1"))
            let status = await pool.status
            #expect(status.conversions == 1)
            #expect(status.started)
        }
    }

    @Test func aKilledOfficeProcessIsReplacedAndConversionsGoOn() async throws {
        try await withPool { pool in
            try await waitUntilReady(pool)
            #expect(await pool.killOneIdleProcessForTesting())
            // The next conversion finds the dead process, replaces it and still succeeds.
            let pdf = try await pool.convert(Self.rtf(["After the crash."]), fileType: .rtf)
            #expect(try PDFDocument(data: pdf).words(page: 0).map(\.text).contains("crash."))
            #expect(await pool.status.restarts >= 1)
        }
    }

    @Test func officeKilledMidConversionIsATransientFailureAndTheRetrySucceeds() async throws {
        try await withPool { pool in
            try await waitUntilReady(pool)
            let long = Self.rtf((1...3000).map { "Clause \($0): the Supplier shall deliver the goods described in Schedule \($0)." })
            let attempt = Task { try await pool.convert(long, fileType: .rtf) }
            var killed = 0
            for _ in 0..<200 where killed == 0 {
                try await Task.sleep(for: .milliseconds(20))
                killed = await pool.killBusyProcessesForTesting()
            }
            #expect(killed == 1)
            await #expect { _ = try await attempt.value } throws: { error in
                // Transient, so the comparison job is retried rather than failed.
                if case RedlineError.transient = error { return true }
                return false
            }
            // What the job's retry does: convert again, on the replacement process.
            let pdf = try await pool.convert(long, fileType: .rtf)
            #expect(try PDFDocument(data: pdf).pageCount > 10)
        }
    }

    @Test func aHangingConversionTimesOutAndTheProcessIsReplaced() async throws {
        // A worker that starts fine but never answers a conversion.
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("hanging-worker-\(UUID().uuidString).py")
        try Data("import sys, time, json\nprint(json.dumps({'ready': True}), flush=True)\nfor line in sys.stdin:\n    time.sleep(3600)\n".utf8).write(to: script)
        defer { try? FileManager.default.removeItem(at: script) }
        try await withPool(timeout: 1, script: script) { pool in
            try await waitUntilReady(pool, seconds: 10)
            let clock = ContinuousClock()
            let start = clock.now
            await #expect { try await pool.convert(Self.rtf(["x"]), fileType: .rtf) } throws: { error in
                "\(error)".contains("longer than")
            }
            #expect(clock.now - start < .seconds(30))
            try await waitUntilReady(pool, seconds: 10)
            #expect(await pool.status.restarts == 1)
        }
    }

    @Test func wrongBytesAndBombsAreRefusedBeforeLibreOffice() async throws {
        let converter = BasicDocumentConverter(office: nil)
        await #expect { try await converter.convertToPDF(Data("%PDF-1.4 not a docx".utf8), fileType: .docx) } throws: { error in
            "\(error)".contains("not a docx")
        }
        #expect(ZipInspector.bombWarning(Self.zipWithEntry(compressed: 1000, uncompressed: 900_000_000), fileType: .docx) != nil)
        #expect(ZipInspector.bombWarning(Self.zipWithEntry(compressed: 1000, uncompressed: 5000), fileType: .docx) == nil)
        #expect(ZipInspector.bombWarning(Data([0x50, 0x4B, 3, 4, 1, 2, 3]), fileType: .docx) != nil)
    }

    /// A ZIP with one central-directory entry declaring the given sizes (enough for the inspector).
    static func zipWithEntry(compressed: UInt32, uncompressed: UInt32) -> Data {
        func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
        func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * $0)) & 0xFF) } }
        let name = Array("word/document.xml".utf8)
        var central: [UInt8] = le32(0x0201_4B50) + le16(20) + le16(20) + le16(0) + le16(8) + le16(0) + le16(0) + le32(0)
        central += le32(compressed) + le32(uncompressed) + le16(UInt16(name.count)) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(0) + name
        let local: [UInt8] = le32(0x0403_4B50) + [UInt8](repeating: 0, count: 26)
        let end: [UInt8] = le32(0x0605_4B50) + le16(0) + le16(0) + le16(1) + le16(1) + le32(UInt32(central.count)) + le32(UInt32(local.count)) + le16(0)
        return Data(local + central + end)
    }
}
