import Foundation
import RedlinePDF
import Testing

@testable import RedlineExport

/// Runs a command-line tool; stdout is captured through a temporary file (no pipe deadlocks).
struct Tool {
    struct Output {
        var status: Int32
        var stdout: Data
        var stderr: String
        var text: String { String(decoding: stdout, as: UTF8.self) }
    }

    static func exists(_ name: String) -> Bool {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(name)") }
    }

    static func run(_ name: String, _ arguments: [String], in directory: URL) throws -> Output {
        let out = directory.appendingPathComponent("tool-\(UUID().uuidString).out")
        let err = directory.appendingPathComponent("tool-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: out)
        let errHandle = try FileHandle(forWritingTo: err)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [name] + arguments
        process.currentDirectoryURL = directory
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        return Output(
            status: process.terminationStatus, stdout: try Data(contentsOf: out),
            stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }
}

/// A private temporary directory per test (tests run in parallel).
final class TempDir {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("redline-export-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        // LibreOffice may still be writing its profile for a moment after it returns: retry briefly.
        for _ in 0..<10 {
            if (try? FileManager.default.removeItem(at: url)) != nil || !FileManager.default.fileExists(atPath: url.path) { return }
            usleep(200_000)
        }
    }

    func write(_ data: Data, _ name: String) throws -> URL {
        let target = url.appendingPathComponent(name)
        try data.write(to: target)
        return target
    }
}

/// One annotation read back from a PDF with qpdf.
struct ReadAnnotation {
    var page: Int
    var subtype: String
    var rect: [Double]
    var contents: String
    var hasAppearance: Bool
}

/// Page geometry and annotations of a PDF, read with `qpdf --json=2`.
struct PDFInspection {
    var pageCount: Int
    var annotations: [ReadAnnotation]
    var pageBoxes: [[Double]]

    func count(_ subtype: String) -> Int { annotations.filter { $0.subtype == subtype }.count }

    init(_ pdf: Data, in dir: TempDir) throws {
        let file = try dir.write(pdf, "inspect-\(UUID().uuidString).pdf")
        let output = try Tool.run(
            "qpdf", ["--json=2", "--json-key=pages", "--json-key=qpdf", "--json-stream-data=none", file.path], in: dir.url)
        try #require(output.status == 0 || output.status == 3, "qpdf --json failed: \(output.stderr)")
        let root = try #require(try JSONSerialization.jsonObject(with: output.stdout) as? [String: Any])
        let pages = try #require(root["pages"] as? [[String: Any]])
        let qpdf = try #require(root["qpdf"] as? [Any])
        let objects = try #require(qpdf[1] as? [String: Any])
        func value(_ reference: Any?) -> Any? {
            if let text = reference as? String, text.hasSuffix(" R"), let object = objects["obj:\(text)"] as? [String: Any] {
                return object["value"] ?? (object["stream"] as? [String: Any])?["dict"]
            }
            return reference
        }
        pageCount = pages.count
        annotations = []
        pageBoxes = []
        for (index, page) in pages.enumerated() {
            let dictionary = try #require(value(page["object"]) as? [String: Any])
            let box = (value(dictionary["/CropBox"]) ?? value(dictionary["/MediaBox"])) as? [Any]
            pageBoxes.append(box?.compactMap { ($0 as? NSNumber)?.doubleValue } ?? [])
            for reference in value(dictionary["/Annots"]) as? [Any] ?? [] {
                guard let annotation = value(reference) as? [String: Any] else { continue }
                let subtype = (annotation["/Subtype"] as? String ?? "").replacingOccurrences(of: "/", with: "")
                let rect = (annotation["/Rect"] as? [Any] ?? []).compactMap { ($0 as? NSNumber)?.doubleValue }
                var contents = annotation["/Contents"] as? String ?? ""
                if contents.hasPrefix("u:") { contents.removeFirst(2) }
                let appearance = (annotation["/AP"] as? [String: Any])?["/N"] != nil
                annotations.append(ReadAnnotation(page: index, subtype: subtype, rect: rect, contents: contents, hasAppearance: appearance))
            }
        }
    }
}

/// Checks every page renders with pdftoppm and `qpdf --check` passes.
func expectValidPDF(_ pdf: Data, in dir: TempDir, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let file = try dir.write(pdf, "valid-\(UUID().uuidString).pdf")
    let check = try Tool.run("qpdf", ["--check", file.path], in: dir.url)
    #expect(check.status == 0, "qpdf --check: \(check.text) \(check.stderr)", sourceLocation: sourceLocation)
    let prefix = dir.url.appendingPathComponent("page-\(UUID().uuidString)").path
    let render = try Tool.run("pdftoppm", ["-r", "50", "-png", file.path, prefix], in: dir.url)
    #expect(render.status == 0, "pdftoppm: \(render.stderr)", sourceLocation: sourceLocation)
    let images = try FileManager.default.contentsOfDirectory(atPath: dir.url.path).filter {
        $0.hasPrefix(URL(fileURLWithPath: prefix).lastPathComponent) && $0.hasSuffix(".png")
    }
    #expect(!images.isEmpty, sourceLocation: sourceLocation)
    for image in images {
        let size = (try FileManager.default.attributesOfItem(atPath: dir.url.appendingPathComponent(image).path)[.size] as? Int) ?? 0
        #expect(size > 100, "empty PNG \(image)", sourceLocation: sourceLocation)
    }
}

/// Converts an annotation's /Rect (user space) back to top-left page coordinates for an unrotated page.
func topLeftRect(_ rect: [Double], pageBox: [Double]) -> Rect {
    let top = max(pageBox[1], pageBox[3])
    let left = min(pageBox[0], pageBox[2])
    return Rect(left: rect[0] - left, top: top - rect[3], right: rect[2] - left, bottom: top - rect[1])
}

func expectClose(_ rect: Rect, _ box: PDFRect, tolerance: Double = 1, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(abs(rect.left - box.left) <= tolerance, "left \(rect.left) vs \(box.left)", sourceLocation: sourceLocation)
    #expect(abs(rect.top - box.top) <= tolerance, "top \(rect.top) vs \(box.top)", sourceLocation: sourceLocation)
    #expect(abs(rect.right - box.right) <= tolerance, "right \(rect.right) vs \(box.right)", sourceLocation: sourceLocation)
    #expect(abs(rect.bottom - box.bottom) <= tolerance, "bottom \(rect.bottom) vs \(box.bottom)", sourceLocation: sourceLocation)
}
