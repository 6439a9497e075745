import Foundation

/// Works out a document's type from its bytes, for people who drop files rather than declare a
/// `file_type`. The file name only breaks ties the bytes cannot (legacy Office containers).
public enum FileTypeDetector {
    public static func detect(_ data: Data, filename: String?) -> FileType? {
        let ext = filename.map { ($0 as NSString).pathExtension.lowercased() } ?? ""
        func starts(_ bytes: [UInt8]) -> Bool { data.prefix(bytes.count).elementsEqual(bytes) }
        func contains(_ text: String) -> Bool { data.range(of: Data(text.utf8)) != nil }
        if data.prefix(1024).range(of: Data("%PDF-".utf8)) != nil { return .pdf }
        if starts(Array("{\\rtf".utf8)) { return .rtf }
        if starts([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            return ext == "ppt" || ext == "pps" ? .ppt : ext == "doc" || ext == "dot" ? .doc : contains("PowerPoint Document") ? .ppt : .doc
        }
        if starts([0x50, 0x4B, 0x03, 0x04]) {
            // Entry names sit uncompressed in the local headers and the central directory.
            let macros = contains("vbaProject.bin")
            if contains("word/document.xml") || contains("word/_rels") { return macros || ext == "docm" ? .docm : .docx }
            if contains("ppt/presentation.xml") || contains("ppt/_rels") { return macros || ext == "pptm" ? .pptm : .pptx }
            if contains("xl/workbook.xml") { return .xlsx }
            if contains("application/vnd.oasis.opendocument.text") { return .odt }
            if contains("application/vnd.oasis.opendocument.presentation") { return .odp }
            return FileType(rawValue: ext).flatMap { $0.needsOfficeConversion ? $0 : nil }
        }
        let head = data.prefix(65536)
        if !head.isEmpty, !head.contains(0), String(data: head, encoding: .utf8) != nil || ext == "txt" { return .txt }
        return nil
    }
}
