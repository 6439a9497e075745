import Foundation
import RedlineCore

/// The wire form of a comparison, following the rules the official clients enforce: absent
/// values are omitted (never `null`), times are UTC with `Z` and 6 fractional digits, `failed`
/// is a boolean once ready and absent before.
struct ComparisonPayload: Encodable {
    struct SidePayload: Encodable {
        var file_type: String
        var source_url: String?
        var display_name: String?
    }

    var identifier: String
    var left: SidePayload
    var right: SidePayload
    var `public`: Bool
    var creation_time: String
    var expiry_time: String?
    var ready: Bool
    var ready_time: String?
    var failed: Bool?
    var error_message: String?

    init(_ c: Comparison) {
        identifier = c.identifier
        left = SidePayload(file_type: c.left.fileType.rawValue, source_url: c.left.sourceURL, display_name: c.left.displayName)
        right = SidePayload(file_type: c.right.fileType.rawValue, source_url: c.right.sourceURL, display_name: c.right.displayName)
        `public` = c.isPublic
        creation_time = Timestamp.format(c.creationTime)
        expiry_time = c.expiryTime.map(Timestamp.format)
        ready = c.status.isFinished
        if ready {
            ready_time = Timestamp.format(c.readyTime ?? c.creationTime)
            failed = c.status == .failed
            error_message = c.status == .failed ? (c.errorMessage ?? "The comparison failed.") : nil
        }
    }
}

/// `GET /comparisons`: `{count, limit, offset, results}`.
struct ComparisonListPayload: Encodable {
    var count: Int
    var limit: Int?
    var offset: Int?
    var results: [ComparisonPayload]

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(count, forKey: .count)
        try container.encode(limit, forKey: .limit)  // explicit nulls when the list is not paged
        try container.encode(offset, forKey: .offset)
        try container.encode(results, forKey: .results)
    }

    enum CodingKeys: String, CodingKey { case count, limit, offset, results }
}
