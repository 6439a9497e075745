import Foundation
import RedlineCore

/// Looks inside ZIP-based Office files (DOCX, PPTX, ODT…) before LibreOffice does, refusing
/// decompression bombs by their central directory: too many entries, too much uncompressed data,
/// or an absurd compression ratio.
enum ZipInspector {
    static let maxEntries = 20_000
    static let maxUncompressedBytes: UInt64 = 1 << 30
    static let maxRatio: UInt64 = 200

    static func bombWarning(_ data: Data, fileType: FileType) -> String? {
        guard [.docx, .docm, .pptx, .pptm, .xlsx, .odt, .odp].contains(fileType) else { return nil }
        // An encrypted Office Open XML file is an OLE2 container, not a ZIP: LibreOffice says whether it is.
        if data.prefix(ComparisonRules.ole2Signature.count).elementsEqual(ComparisonRules.ole2Signature) { return nil }
        let bytes = [UInt8](data)
        guard let end = endOfCentralDirectory(bytes) else { return "it is not a valid ZIP package" }
        let entries = Int(le16(bytes, end + 10))
        var offset = Int(le32(bytes, end + 16))
        if entries > maxEntries { return "it has \(entries) parts; at most \(maxEntries) are accepted" }
        var total: UInt64 = 0
        for _ in 0..<entries {
            guard offset + 46 <= bytes.count, le32(bytes, offset) == 0x0201_4B50 else { return "its ZIP directory is damaged" }
            let compressed = UInt64(le32(bytes, offset + 20))
            let uncompressed = UInt64(le32(bytes, offset + 24))
            total += uncompressed
            if uncompressed > 10_000_000, compressed > 0, uncompressed / compressed > maxRatio {
                return "one part expands \(uncompressed / compressed) times (a decompression bomb)"
            }
            if total > maxUncompressedBytes { return "it expands to more than \(maxUncompressedBytes >> 20) MB" }
            offset += 46 + Int(le16(bytes, offset + 28)) + Int(le16(bytes, offset + 30)) + Int(le16(bytes, offset + 32))
        }
        return nil
    }

    static func endOfCentralDirectory(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 22 else { return nil }
        let lowest = max(0, bytes.count - 22 - 65_535)
        var index = bytes.count - 22
        while index >= lowest {
            if le32(bytes, index) == 0x0605_4B50 { return index }
            index -= 1
        }
        return nil
    }

    static func le16(_ b: [UInt8], _ i: Int) -> UInt16 { i + 1 < b.count ? UInt16(b[i]) | UInt16(b[i + 1]) << 8 : 0 }
    static func le32(_ b: [UInt8], _ i: Int) -> UInt32 {
        i + 3 < b.count ? UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24 : 0
    }
}
