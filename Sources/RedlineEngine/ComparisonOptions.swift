/// Knobs of the comparison. The defaults suit contracts and reports; every detector can be turned off.
public struct ComparisonOptions: Sendable, Equatable {
    /// Keep running headers/footers/page numbers out of the body diff and compare them once.
    public var detectHeadersAndFooters = true
    /// Top and bottom share of the page height searched for headers/footers.
    public var headerFooterBand = 0.1
    /// Share of pages a header/footer line must repeat on (at least 2 pages).
    public var headerFooterMinimumPageShare = 0.5
    /// Join "contrac-" at a line end with "tor" on the next line.
    public var joinHyphenation = true
    /// Compare text case-sensitively ("Tenant" vs "tenant" is a change).
    public var caseSensitive = true
    /// Report matched text whose formatting differs as `style` changes.
    public var detectStyleChanges = true
    /// Treat a different font family as a style change (off when documents come from different producers).
    public var compareFontFamilies = true
    /// Font sizes closer than this (points) are equal.
    public var fontSizeTolerance = 0.5
    /// Report relocated blocks as `move` instead of a delete plus an insert.
    public var detectMoves = true
    /// Smallest block, in words, that can be a move.
    public var minimumMoveWords = 5
    /// Similarity (0...1, by common words) a deleted and an inserted block need to be a move.
    public var moveSimilarity = 0.9
    /// Fold tiny unchanged islands (1-2 short words) inside a rewritten stretch into one replace.
    public var mergeSmallIslands = true
    /// Extract the two documents on two threads.
    public var parallelExtraction = true

    public init() {}
}
