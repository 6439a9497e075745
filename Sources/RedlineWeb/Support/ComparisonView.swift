import Foundation
import RedlineCore

/// What the pages show of a comparison: names, counts, stage labels, dates, share links.
enum ComparisonView {
    static func stageLabel(_ c: Comparison) -> String {
        switch c.stage {
        case .queued: "Waiting for a worker"
        case .converting: c.left.fileType.needsOfficeConversion || c.right.fileType.needsOfficeConversion ? "Converting documents to PDF" : "Reading documents"
        case .comparing: "Comparing"
        case .ready: "Ready"
        case .failed: "Failed"
        }
    }

    static func date(_ date: Date?) -> String { format(date, "d MMM yyyy, HH:mm 'UTC'", locale: "en_GB") }

    static func day(_ date: Date?) -> String { format(date, "yyyy-MM-dd", locale: "en_US_POSIX") }

    /// A `yyyy-MM-dd` form value as the start of that day, UTC.
    static func parseDay(_ text: String) -> Date? { formatter("yyyy-MM-dd", locale: "en_US_POSIX").date(from: text) }

    /// Pages show times in UTC, the time every Redline process and the API use.
    private static func format(_ date: Date?, _ pattern: String, locale: String) -> String {
        date.map { formatter(pattern, locale: locale).string(from: $0) } ?? ""
    }

    private static func formatter(_ pattern: String, locale: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: locale)
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = pattern
        return formatter
    }

    /// One row of the history table.
    static func row(_ c: Comparison) -> [String: Any] {
        var row: [String: Any] = [
            "identifier": c.identifier, "url": "/app/comparisons/\(c.identifier)",
            "left": c.left.displayName ?? "Left (\(c.left.fileType.rawValue))", "right": c.right.displayName ?? "Right (\(c.right.fileType.rawValue))",
            "status": c.status.rawValue, "stageLabel": stageLabel(c), "created": date(c.creationTime),
            "isReady": c.status == .ready, "isFailed": c.status == .failed, "isPublic": c.isPublic,
        ]
        if let pages = c.left.pageCount, let right = c.right.pageCount { row["pages"] = "\(pages) / \(right)" }
        if let changes = c.changeCount { row["changes"] = changes }
        if let expiry = c.expiryTime { row["expires"] = date(expiry) }
        if c.status == .failed { row["error"] = c.errorMessage ?? "The comparison failed." }
        return row
    }

    static func details(_ c: Comparison, shares: [ShareLink], now: Date) -> [String: Any] {
        var values = row(c)
        values["title"] = "\(values["left"] ?? "") ↔ \(values["right"] ?? "")"
        values["nav"] = "history"
        values["isPending"] = !c.status.isFinished
        values["autoOpen"] = !c.status.isFinished
        values["expiryDay"] = day(c.expiryTime)
        values["statusUrl"] = "/app/comparisons/\(c.identifier)/status"
        values["shares"] = shares.map { link -> [String: Any] in
            [
                "id": link.id, "created": date(link.createdAt), "expires": date(link.expiresAt),
                "state": link.revokedAt != nil ? "Revoked" : link.expiresAt <= now ? "Expired" : "Active", "isActive": link.isUsable(at: now),
            ]
        }
        values["hasShares"] = !shares.isEmpty
        return values
    }
}
