import Foundation
import RedlineCore
import RedlinePDF

/// The in-process converter: PDF passes through, TXT is typeset with cairo, Office formats go
/// through the warm LibreOffice pool when there is one.
public struct BasicDocumentConverter: DocumentConverter {
    public let office: OfficePool?

    public init(office: OfficePool?) {
        self.office = office
    }

    public func convertToPDF(_ data: Data, fileType: FileType) async throws -> Data {
        if let mismatch = ComparisonRules.contentMismatch(data, declared: fileType) {
            throw RedlineError.badDocument("The document could not be read: \(mismatch), but its file_type is '\(fileType.rawValue)'.")
        }
        switch fileType {
        case .pdf:
            return data
        case .txt:
            let text = String(data: data, encoding: .utf8) ?? String(decoding: data, as: UTF8.self)
            do {
                return try await offload { try TextPDFWriter.pdf(fromText: text) }
            } catch let error as PDFError {
                throw RedlineError.badDocument("The text file could not be typeset: \(error)")
            }
        default:
            guard let office else {
                throw RedlineError.badDocument(
                    "Converting .\(fileType.rawValue) files needs LibreOffice, which is not installed on this server. Upload a PDF instead, or ask the operator to install LibreOffice.")
            }
            if let problem = ZipInspector.bombWarning(data, fileType: fileType) {
                throw RedlineError.badDocument("The .\(fileType.rawValue) file was refused: \(problem).")
            }
            return try await office.convert(data, fileType: fileType)
        }
    }
}
