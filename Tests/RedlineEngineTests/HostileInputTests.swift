import Foundation
import RedlineEngine
import RedlinePDF
import Testing

@Suite("Hostile input")
struct HostileInputTests {
    @Test("mutated and truncated PDFs never crash", arguments: 0..<3)
    func mutations(mode: Int) throws {
        let base = try TextPDFWriter.pdf(fromText: "Base text with some words\nand another line\n" + String(repeating: "filler ", count: 100))
        var state = UInt64(mode + 17)
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(max(bound, 1)))
        }
        for _ in 0..<40 {
            var bytes = [UInt8](base)
            switch mode {
            case 0: for _ in 0..<(1 + next(20)) { bytes[next(bytes.count)] = UInt8(next(256)) }
            case 1: bytes = Array(bytes.prefix(next(bytes.count)))
            default:
                let start = next(bytes.count)
                bytes.removeSubrange(start..<min(bytes.count, start + next(500)))
            }
            guard let document = try? PDFDocument(data: Data(bytes)) else { continue }
            for page in 0..<min(document.pageCount, 2) {
                _ = document.words(page: page)
                _ = document.pageSize(at: page)
                _ = try? document.renderPNG(page: page, scale: 0.1)
            }
            _ = try? ComparisonEngine().compare(left: Data(bytes), right: base)
        }
    }

    @Test("password-protected PDF is reported as such", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/qpdf")))
    func encrypted() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("redline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let plain = directory.appendingPathComponent("plain.pdf")
        let locked = directory.appendingPathComponent("locked.pdf")
        try TestDocuments.pdf(["Secret text"]).write(to: plain)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/qpdf")
        process.arguments = ["--encrypt", "user-pw", "owner-pw", "256", "--", plain.path, locked.path]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        #expect(throws: PDFError.passwordProtected) { try PDFDocument(data: try Data(contentsOf: locked)) }
        #expect(PDFError.passwordProtected.description == "The PDF is password-protected; upload an unprotected copy")
    }

    @Test("documents without text compare to nothing")
    func noText() throws {
        let blank = try StyledPDFWriter.pdf(pages: [StyledPage(), StyledPage()])
        let details = try TestDocuments.compare(blank, blank)
        #expect(details.changes.isEmpty)
        #expect(!details.summary.anyChanges && !details.summary.anyMatches)
        #expect(details.summary.leftDocumentSummary.pageCount == 2)
        let text = try TestDocuments.pdf(["Now there is text"])
        let added = try TestDocuments.compare(blank, text)
        #expect(added.changes.map(\.kind) == [.insert])
        let removed = try TestDocuments.compare(text, blank)
        #expect(removed.changes.map(\.kind) == [.delete])
        #expect(removed.changes.first?.deletionMark == DeletionMark(pageIndex: 0, point: [0, 0]))
    }
}
