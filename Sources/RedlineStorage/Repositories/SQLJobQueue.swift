import Foundation
import RedlineCore

/// The job queue as a database table, shared by every worker that can reach the database.
///
/// A claim leases the highest-priority runnable job; an expired lease makes the job claimable
/// again. On SQLite the single-writer lock makes the claim atomic; PostgreSQL adds
/// `FOR UPDATE SKIP LOCKED` so concurrent workers never wait on each other.
public struct SQLJobQueue: JobQueue {
    public let database: any SQLDatabase
    public let workSignal: AsyncSignal

    public init(database: any SQLDatabase, workSignal: AsyncSignal) {
        self.database = database
        self.workSignal = workSignal
    }

    public func claim(workerID: String, lease: TimeInterval) async throws -> Job? {
        let now = Timestamp.microseconds(Date())
        let expires = now + Int64(lease * 1_000_000)
        let lock = database.dialect == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
        let rows = try await database.query(
            """
            UPDATE jobs SET lease_owner = ?, lease_expires = ?, attempts = attempts + 1
            WHERE id = (
                SELECT id FROM jobs WHERE run_after <= ? AND (lease_expires IS NULL OR lease_expires < ?)
                ORDER BY priority, run_after, id LIMIT 1\(lock)
            )
            RETURNING id, kind, account_id, identifier, attempts, max_attempts, lease_owner, traceparent
            """,
            [.text(workerID), .int(expires), .int(now), .int(now)])
        return rows.first.map { row in
            Job(
                id: row["id"].int ?? 0, kind: Job.Kind(rawValue: row["kind"].string ?? "") ?? .compare,
                accountID: row["account_id"].string ?? "", identifier: row["identifier"].string ?? "",
                attempts: Int(row["attempts"].int ?? 0), maxAttempts: Int(row["max_attempts"].int ?? 1),
                leaseOwner: row["lease_owner"].string, traceparent: row["traceparent"].string)
        }
    }

    public func heartbeat(jobID: Int64, workerID: String, lease: TimeInterval) async throws -> Bool {
        let expires = Timestamp.microseconds(Date()) + Int64(lease * 1_000_000)
        let rows = try await database.query(
            "UPDATE jobs SET lease_expires = ? WHERE id = ? AND lease_owner = ? RETURNING id",
            [.int(expires), .int(jobID), .text(workerID)])
        return !rows.isEmpty
    }

    public func complete(jobID: Int64) async throws {
        try await database.query("DELETE FROM jobs WHERE id = ?", [.int(jobID)])
    }

    public func retry(jobID: Int64, after retryAfter: TimeInterval, error: String) async throws {
        let runAfter = Timestamp.microseconds(Date()) + Int64(retryAfter * 1_000_000)
        try await database.query(
            "UPDATE jobs SET lease_owner = NULL, lease_expires = NULL, run_after = ?, last_error = ? WHERE id = ?",
            [.int(runAfter), .text(error), .int(jobID)])
        try await database.notifyJobQueue()
        workSignal.signal()
    }

    public func release(jobID: Int64, workerID: String) async throws {
        try await database.query(
            """
            UPDATE jobs SET lease_owner = NULL, lease_expires = NULL, attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END
            WHERE id = ? AND lease_owner = ?
            """,
            [.int(jobID), .text(workerID)])
        try await database.notifyJobQueue()
        workSignal.signal()
    }

    public func waitForWork(timeout: TimeInterval) async {
        await workSignal.wait(timeout: timeout)
    }

    public func stats() async throws -> QueueStats {
        let row = try await database.query("SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM jobs").first
        let depth = Int(row?["n"].int ?? 0)
        let oldest = row?["oldest"].int.map { Double(Timestamp.microseconds(Date()) - $0) / 1_000_000 } ?? 0
        return QueueStats(depth: depth, oldestAgeSeconds: max(0, oldest))
    }
}
