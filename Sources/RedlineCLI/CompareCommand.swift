import ArgumentParser
import Foundation
import Logging
import RedlineConverter
import RedlineCore
import RedlineEngine

/// `redline compare LEFT RIGHT`: a one-off comparison with no server.
struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare", abstract: "Compare two documents and print the change details (the API's JSON document, or text).")

    enum Format: String, ExpressibleByArgument, CaseIterable { case json, text }

    @Argument(help: "The left (original) document.") var left: String
    @Argument(help: "The right (revised) document.") var right: String
    @Option(name: .long, help: "Output format: json (the API's change-details document) or text.") var format: Format = .json

    /// Starts LibreOffice only when a side needs it.
    func startPoolIfNeeded() async throws -> OfficePool? {
        let needsOffice = [left, right].contains { FileType(rawValue: ($0 as NSString).pathExtension.lowercased())?.needsOfficeConversion == true }
        guard needsOffice else { return nil }
        let configuration = try RedlineConfiguration(environment: ProcessInfo.processInfo.environment)
        var logger = configuration.logger
        logger.logLevel = .error
        guard let pool = makeOfficePool(configuration, logger: logger) else {
            throw ValidationError("Comparing Office files needs LibreOffice and python3-uno (installed by scripts/setup.sh).")
        }
        await pool.start()
        return pool
    }

    func run() async throws {
        let pool = try await startPoolIfNeeded()
        do {
            try await compare(converter: BasicDocumentConverter(office: pool))
        } catch {
            await pool?.shutdown()
            throw error
        }
        await pool?.shutdown()
    }

    func compare(converter: BasicDocumentConverter) async throws {
        var pdfs: [Data] = []
        for path in [left, right] {
            let ext = (path as NSString).pathExtension.lowercased()
            guard let type = FileType(rawValue: ext) else {
                throw ValidationError("\(path): unsupported file type '.\(ext)'; use one of \(FileType.allowedList).")
            }
            guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("\(path): cannot read the file.") }
            do {
                pdfs.append(try await converter.convertToPDF(data, fileType: type))
            } catch let error as RedlineError {
                throw ValidationError("\(path): \(error)")
            }
        }
        let result: RedlineEngine.ComparisonResult
        do {
            result = try ComparisonEngine().compare(left: pdfs[0], right: pdfs[1])
        } catch {
            throw ValidationError("The documents could not be compared: \(error)")
        }
        switch format {
        case .json: print(String(decoding: try result.changeDetails.jsonData(), as: UTF8.self))
        case .text: print(result.changeDetails.textReport())
        }
    }
}
