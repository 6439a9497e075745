import Foundation

/// Per-account limits and viewer settings administrators set in the web app. A nil limit means
/// "the installation's default" (`REDLINE_MAX_FILE_BYTES`, `REDLINE_MAX_PAGES`, no expiry).
public struct AccountSettings: Sendable, Equatable, Codable {
    public var maxFileBytes: Int?
    public var maxPages: Int?
    /// Comparisons created without an expiry time expire after this many days.
    public var retentionDays: Int?
    public var viewer: ViewerSettings

    public init(maxFileBytes: Int? = nil, maxPages: Int? = nil, retentionDays: Int? = nil, viewer: ViewerSettings = ViewerSettings()) {
        self.maxFileBytes = maxFileBytes
        self.maxPages = maxPages
        self.retentionDays = retentionDays
        self.viewer = viewer
    }
}

/// How the viewer looks for one account's comparisons.
public struct ViewerSettings: Sendable, Equatable, Codable {
    public var insertColor: String
    public var deleteColor: String
    public var replaceColor: String
    public var styleColor: String
    public var moveColor: String
    /// Initial zoom in percent (50–300).
    public var defaultZoom: Int
    /// `frame-ancestors` sources allowed to embed this account's viewer; nil: the installation's
    /// `REDLINE_FRAME_ANCESTORS`.
    public var frameAncestors: String?

    public init(
        insertColor: String = "#2e7d32", deleteColor: String = "#c62828", replaceColor: String = "#ef6c00",
        styleColor: String = "#6a1b9a", moveColor: String = "#1565c0", defaultZoom: Int = 100, frameAncestors: String? = nil
    ) {
        self.insertColor = insertColor
        self.deleteColor = deleteColor
        self.replaceColor = replaceColor
        self.styleColor = styleColor
        self.moveColor = moveColor
        self.defaultZoom = defaultZoom
        self.frameAncestors = frameAncestors
    }

    /// The colour of each change kind, as the viewer script reads them.
    public var colors: [String: String] {
        ["insert": insertColor, "delete": deleteColor, "replace": replaceColor, "style": styleColor, "move": moveColor]
    }

    /// True for `#rgb` / `#rrggbb`: the only colour form accepted, so nothing else reaches CSS.
    public static func isValidColor(_ s: String) -> Bool {
        let hex = s.dropFirst()
        return s.first == "#" && (hex.count == 3 || hex.count == 6) && hex.allSatisfy(\.isHexDigit)
    }

    /// Space-separated CSP sources: 'self', 'none', or http(s) origins (wildcard sub-domains allowed).
    public static func isValidFrameAncestors(_ s: String) -> Bool {
        let sources = s.split(separator: " ")
        guard !sources.isEmpty else { return false }
        return sources.allSatisfy { source in
            if source == "'self'" || source == "'none'" { return true }
            guard source.hasPrefix("https://") || source.hasPrefix("http://") else { return false }
            return source.allSatisfy { $0.isLetter || $0.isNumber || ".:/-*".contains($0) } && !source.contains(";")
        }
    }
}

/// A revocable, time-limited viewer link to one comparison that works signed-out. The token is
/// random and only its SHA-256 is stored.
public struct ShareLink: Sendable, Equatable {
    public var id: String
    public var accountID: String
    public var identifier: String
    /// The comparison incarnation it was made for: a deleted and re-created identifier is not shared.
    public var comparisonCreationTime: Date
    public var tokenHash: String
    public var createdAt: Date
    public var expiresAt: Date
    public var revokedAt: Date?
    public var createdBy: String

    public init(
        id: String, accountID: String, identifier: String, comparisonCreationTime: Date, tokenHash: String, createdAt: Date,
        expiresAt: Date, revokedAt: Date? = nil, createdBy: String
    ) {
        self.id = id
        self.accountID = accountID
        self.identifier = identifier
        self.comparisonCreationTime = comparisonCreationTime
        self.tokenHash = tokenHash
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.createdBy = createdBy
    }

    public func isUsable(at now: Date) -> Bool { revokedAt == nil && expiresAt > now }
}

/// One day of an account's usage.
public struct UsageDay: Sendable, Equatable {
    /// `yyyy-MM-dd` in UTC.
    public var day: String
    public var comparisons: Int
    public var pages: Int

    public init(day: String, comparisons: Int, pages: Int) {
        self.day = day
        self.comparisons = comparisons
        self.pages = pages
    }
}
