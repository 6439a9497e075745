import Foundation
import RedlineCore

/// Exports in SQL, enqueued with their job in one transaction.
public struct SQLExportRepository: ExportRepository {
    public let database: any SQLDatabase
    public let maxAttempts: Int
    public let workSignal: AsyncSignal

    public init(database: any SQLDatabase, maxAttempts: Int, workSignal: AsyncSignal) {
        self.database = database
        self.maxAttempts = maxAttempts
        self.workSignal = workSignal
    }

    public func insertAndEnqueue(_ e: Export) async throws {
        let maxAttempts = self.maxAttempts
        let traceparent = TraceContext.currentTraceparent()
        try await database.transaction { db in
            try await db.query(
                """
                INSERT INTO exports (account_id, identifier, comparison_identifier, kind, include_cover_page, status, creation_time)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
                [.text(e.accountID), .text(e.identifier), .text(e.comparisonIdentifier), .text(e.kind.rawValue),
                 .int(e.includeCoverPage ? 1 : 0), .text(e.status.rawValue), .int(Timestamp.microseconds(e.creationTime))])
            let now = Timestamp.microseconds(Date())
            try await db.query(
                """
                INSERT INTO jobs (kind, account_id, identifier, priority, attempts, max_attempts, run_after, created_at, traceparent)
                VALUES (?, ?, ?, 0, 0, ?, ?, ?, ?)
                """,
                [.text(Job.Kind.export.rawValue), .text(e.accountID), .text(e.identifier), .int(Int64(maxAttempts)), .int(now), .int(now),
                 traceparent.map { .text($0) } ?? .null])
            try await db.notifyJobQueue()
        }
        workSignal.signal()
    }

    public func find(accountID: String, identifier: String) async throws -> Export? {
        try await database.query("SELECT * FROM exports WHERE account_id = ? AND identifier = ?", [.text(accountID), .text(identifier)])
            .first.map(Self.decode)
    }

    public func update(_ e: Export) async throws {
        try await database.query(
            "UPDATE exports SET status = ?, error_message = ?, ready_time = ?, blob_key = ? WHERE account_id = ? AND identifier = ?",
            [.text(e.status.rawValue), e.errorMessage.map { .text($0) } ?? .null, e.readyTime.map { .int(Timestamp.microseconds($0)) } ?? .null,
             e.blobKey.map { .text($0) } ?? .null, .text(e.accountID), .text(e.identifier)])
    }

    static func decode(_ row: SQLRow) -> Export {
        Export(
            accountID: row["account_id"].string ?? "", identifier: row["identifier"].string ?? "",
            comparisonIdentifier: row["comparison_identifier"].string ?? "",
            kind: Export.Kind(rawValue: row["kind"].string ?? "") ?? .right, includeCoverPage: (row["include_cover_page"].int ?? 0) != 0,
            status: ComparisonStatus(rawValue: row["status"].string ?? "") ?? .failed, errorMessage: row["error_message"].string,
            creationTime: Timestamp.date(microseconds: row["creation_time"].int ?? 0),
            readyTime: row["ready_time"].int.map(Timestamp.date(microseconds:)), blobKey: row["blob_key"].string)
    }
}
