import Foundation

/// A unit of background work held in the database queue.
///
/// Jobs are leased, not removed, when claimed: a worker that dies leaves a lease that expires, and
/// another worker retries the job.
public struct Job: Sendable, Equatable {
    public enum Kind: String, Sendable { case compare, export }

    public var id: Int64
    public var kind: Kind
    public var accountID: String
    public var identifier: String
    public var attempts: Int
    public var maxAttempts: Int
    public var leaseOwner: String?
    /// The W3C `traceparent` of the request that enqueued the job (nil when tracing is off), so the
    /// worker's spans join the same trace.
    public var traceparent: String?

    public init(
        id: Int64, kind: Kind, accountID: String, identifier: String, attempts: Int, maxAttempts: Int, leaseOwner: String?,
        traceparent: String? = nil
    ) {
        self.id = id
        self.kind = kind
        self.accountID = accountID
        self.identifier = identifier
        self.attempts = attempts
        self.maxAttempts = maxAttempts
        self.leaseOwner = leaseOwner
        self.traceparent = traceparent
    }
}

/// Priority classes: smaller numbers are claimed first, so small comparisons are not stuck
/// behind a huge one.
public enum JobPriority {
    public static func forTotalBytes(_ bytes: Int) -> Int {
        switch bytes {
        case ..<1_000_000: 0
        case ..<10_000_000: 1
        default: 2
        }
    }
}
