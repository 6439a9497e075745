/// Decides which of several replicas of a role does singleton work (the scheduler's sweeps).
public protocol LeaderElection: Sendable {
    /// Runs `body` if this process becomes the leader, holding leadership until `body` returns.
    /// Returns false at once when another process leads.
    func runAsLeader(_ body: @Sendable () async throws -> Void) async throws -> Bool
}

/// One process, one leader: the embedded default (SQLite is single-process).
public struct SoleLeader: LeaderElection {
    public init() {}

    public func runAsLeader(_ body: @Sendable () async throws -> Void) async throws -> Bool {
        try await body()
        return true
    }
}
