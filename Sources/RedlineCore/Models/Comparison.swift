import Foundation

/// Where a comparison is in its life.
public enum ComparisonStatus: String, Sendable, Codable {
    case queued, processing, ready, failed

    public var isFinished: Bool { self == .ready || self == .failed }
}

/// What a person watching a comparison sees: the queue, then conversion, then the comparison.
public enum ComparisonStage: String, Sendable {
    case queued, converting, comparing, ready, failed
}

extension Comparison {
    /// Derived from the stored state: while processing, a comparison is converting until both
    /// sides have a PDF stored, then comparing.
    public var stage: ComparisonStage {
        switch status {
        case .queued: .queued
        case .ready: .ready
        case .failed: .failed
        case .processing: left.pdfKey != nil && right.pdfKey != nil ? .comparing : .converting
        }
    }
}

/// One side of a comparison as the user described it, plus what Redline stored for it.
public struct ComparisonSide: Sendable, Codable, Equatable {
    public var fileType: FileType
    public var sourceURL: String?
    public var displayName: String?
    /// Blob key of the uploaded or fetched original, once stored.
    public var originalKey: String?
    /// Blob key of the PDF the engine read (the original itself for PDF inputs).
    public var pdfKey: String?
    public var pageCount: Int?

    public init(
        fileType: FileType,
        sourceURL: String? = nil,
        displayName: String? = nil,
        originalKey: String? = nil,
        pdfKey: String? = nil,
        pageCount: Int? = nil
    ) {
        self.fileType = fileType
        self.sourceURL = sourceURL
        self.displayName = displayName
        self.originalKey = originalKey
        self.pdfKey = pdfKey
        self.pageCount = pageCount
    }
}

/// Which side of a comparison.
public enum Side: String, Sendable, Codable, CaseIterable {
    case left, right
}

/// A comparison of two documents owned by one account.
public struct Comparison: Sendable, Equatable {
    public var accountID: String
    public var identifier: String
    public var left: ComparisonSide
    public var right: ComparisonSide
    public var isPublic: Bool
    public var creationTime: Date
    public var expiryTime: Date?
    public var status: ComparisonStatus
    public var readyTime: Date?
    public var errorMessage: String?
    /// Number of non-match changes, known once ready (for listings).
    public var changeCount: Int?
    /// Bytes of the uploaded originals (the usage page's "storage used").
    public var storedBytes: Int64

    public init(
        accountID: String,
        identifier: String,
        left: ComparisonSide,
        right: ComparisonSide,
        isPublic: Bool,
        creationTime: Date,
        expiryTime: Date? = nil,
        status: ComparisonStatus = .queued,
        readyTime: Date? = nil,
        errorMessage: String? = nil,
        changeCount: Int? = nil,
        storedBytes: Int64 = 0
    ) {
        self.accountID = accountID
        self.identifier = identifier
        self.left = left
        self.right = right
        self.isPublic = isPublic
        self.creationTime = creationTime
        self.expiryTime = expiryTime
        self.status = status
        self.readyTime = readyTime
        self.errorMessage = errorMessage
        self.changeCount = changeCount
        self.storedBytes = storedBytes
    }

    public func side(_ side: Side) -> ComparisonSide { side == .left ? left : right }

    /// Blob key prefix under which everything of this comparison is stored.
    public var blobPrefix: String { BlobKeys.comparisonPrefix(self) }
}

/// The one place that names blob keys, so clean-up can delete a comparison by prefix.
public enum BlobKeys {
    /// Identifiers may be 1,024 characters and may be `..`: the folder is named by their hash, which
    /// is short and safe as a path segment and as an S3 key. An identifier can be reused after a
    /// delete, so the creation time is part of the name too: a late writer or cleaner of the deleted
    /// comparison can never touch its successor's files.
    public static func comparisonPrefix(_ c: Comparison) -> String {
        "accounts/\(c.accountID)/comparisons/\(TokenHasher.hash(c.identifier).prefix(40))-\(Timestamp.microseconds(c.creationTime))/"
    }
    /// Originals carry a per-request nonce so a racing duplicate create can never overwrite another's files.
    public static func original(_ c: Comparison, _ side: Side, nonce: String) -> String {
        c.blobPrefix + "\(side.rawValue)/original-\(nonce).\(c.side(side).fileType.rawValue)"
    }
    public static func pdf(_ c: Comparison, _ side: Side) -> String { c.blobPrefix + "\(side.rawValue)/document.pdf" }
    public static func changeDetails(_ c: Comparison) -> String { c.blobPrefix + "change-details.json" }
    /// The viewer's page sizes of one side, written on first view so later views need not read the PDF.
    public static func pageSizes(_ c: Comparison, _ side: Side) -> String { c.blobPrefix + "\(side.rawValue)/page-sizes.json" }
    public static func pageImage(_ c: Comparison, _ side: Side, page: Int, scale: Int) -> String {
        c.blobPrefix + "\(side.rawValue)/pages/\(page)@\(scale)x.png"
    }
}
