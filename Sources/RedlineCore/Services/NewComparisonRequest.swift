import Foundation

/// One side of a create request, as received (not yet validated).
public struct NewSide: Sendable {
    public var fileType: String?
    public var sourceURL: String?
    public var displayName: String?
    public var file: Data?

    public init(fileType: String? = nil, sourceURL: String? = nil, displayName: String? = nil, file: Data? = nil) {
        self.fileType = fileType
        self.sourceURL = sourceURL
        self.displayName = displayName
        self.file = file
    }
}

/// A create request in its logical form, whichever wire format (JSON, multipart, url-encoded) carried it.
public struct NewComparisonRequest: Sendable {
    public var identifier: String?
    public var left: NewSide?
    public var right: NewSide?
    public var isPublic: Bool
    public var expiryTime: Date?

    public init(identifier: String? = nil, left: NewSide? = nil, right: NewSide? = nil, isPublic: Bool = false, expiryTime: Date? = nil) {
        self.identifier = identifier
        self.left = left
        self.right = right
        self.isPublic = isPublic
        self.expiryTime = expiryTime
    }
}

/// Checks of identifiers and documents shared by the API and the CLI.
public enum ComparisonRules {
    public static let maxIdentifierLength = 1024
    public static let maxSourceURLLength = 2048
    public static let maxDisplayNameLength = 1024

    public static func isValidIdentifier(_ s: String) -> Bool {
        guard (1...maxIdentifierLength).contains(s.utf8.count) else { return false }
        return s.utf8.allSatisfy { c in
            (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 45 || c == 46 || c == 95
        }
    }

    /// The first bytes of an OLE2 compound file: legacy Office files, and encrypted Office Open XML ones.
    public static let ole2Signature: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]

    /// Why these bytes cannot be a document of `type`, or nil when they plausibly are.
    public static func contentMismatch(_ data: Data, declared type: FileType) -> String? {
        let head = data.prefix(1024)
        func starts(_ bytes: [UInt8]) -> Bool { data.prefix(bytes.count).elementsEqual(bytes) }
        switch type {
        case .pdf:
            return head.range(of: Data("%PDF-".utf8)) == nil ? "the file is not a PDF (no %PDF- header)" : nil
        case .docx, .docm, .pptx, .pptm, .xlsx:
            // A password-protected Office Open XML file is its ZIP package encrypted inside an OLE2
            // container; let it through so the conversion can say it is password-protected.
            return starts([0x50, 0x4B, 0x03, 0x04]) || starts(ole2Signature) ? nil : "the file is not a \(type.rawValue) document (not a ZIP package)"
        case .odt, .odp:
            return starts([0x50, 0x4B, 0x03, 0x04]) ? nil : "the file is not a \(type.rawValue) document (not a ZIP package)"
        case .doc, .ppt:
            return starts(ole2Signature) ? nil : "the file is not a legacy Office \(type.rawValue) document"
        case .rtf:
            return starts(Array("{\\rtf".utf8)) ? nil : "the file is not an RTF document (no {\\rtf header)"
        case .txt:
            return data.prefix(65536).contains(0) ? "the file is not plain text (it contains binary data)" : nil
        }
    }
}
