import Foundation
import RedlineCore

/// Comparisons in SQL; inserting one enqueues its job in the same transaction.
public struct SQLComparisonRepository: ComparisonRepository, ComparisonHistory {
    public let database: any SQLDatabase
    public let maxAttempts: Int
    /// Signalled after a job is enqueued, to wake in-process workers at once.
    public let workSignal: AsyncSignal

    public init(database: any SQLDatabase, maxAttempts: Int, workSignal: AsyncSignal) {
        self.database = database
        self.maxAttempts = maxAttempts
        self.workSignal = workSignal
    }

    public func insertAndEnqueue(_ c: Comparison, priority: Int) async throws {
        let encoder = JSONEncoder()
        let left = String(decoding: try encoder.encode(c.left), as: UTF8.self)
        let right = String(decoding: try encoder.encode(c.right), as: UTF8.self)
        let maxAttempts = self.maxAttempts
        let traceparent = TraceContext.currentTraceparent()
        do {
            try await database.transaction { db in
                try await db.query(
                    """
                    INSERT INTO comparisons (account_id, identifier, left_side, right_side, is_public, creation_time, expiry_time,
                        status, ready_time, error_message, change_count, stored_bytes)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, ?)
                    """,
                    [.text(c.accountID), .text(c.identifier), .text(left), .text(right), .int(c.isPublic ? 1 : 0),
                     .int(Timestamp.microseconds(c.creationTime)), c.expiryTime.map { .int(Timestamp.microseconds($0)) } ?? .null,
                     .text(c.status.rawValue), .int(c.storedBytes)])
                try await SQLUsageRepository.count(in: db, accountID: c.accountID, day: c.creationTime, comparisons: 1, pages: 0)
                let now = Timestamp.microseconds(Date())
                try await db.query(
                    """
                    INSERT INTO jobs (kind, account_id, identifier, priority, attempts, max_attempts, run_after, created_at, traceparent)
                    VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?)
                    """,
                    [.text(Job.Kind.compare.rawValue), .text(c.accountID), .text(c.identifier), .int(Int64(priority)),
                     .int(Int64(maxAttempts)), .int(now), .int(now), traceparent.map { .text($0) } ?? .null])
                try await db.notifyJobQueue()
            }
        } catch is SQLUniqueViolation {
            throw RedlineError.conflict(detail: "A comparison with identifier '\(c.identifier)' already exists.", field: "identifier")
        }
        workSignal.signal()
    }

    public func find(accountID: String, identifier: String) async throws -> Comparison? {
        try await database.query(
            "SELECT * FROM comparisons WHERE account_id = ? AND identifier = ?", [.text(accountID), .text(identifier)]
        ).first.map(Self.decode)
    }

    public func list(accountID: String, limit: Int?, offset: Int) async throws -> ComparisonPage {
        let total = try await database.query("SELECT COUNT(*) AS n FROM comparisons WHERE account_id = ?", [.text(accountID)])
            .first?["n"].int ?? 0
        var sql = "SELECT * FROM comparisons WHERE account_id = ? ORDER BY creation_time DESC, identifier DESC"
        var binds: [SQLValue] = [.text(accountID)]
        if let limit {
            sql += " LIMIT ? OFFSET ?"
            binds += [.int(Int64(limit)), .int(Int64(offset))]
        } else if offset > 0 {
            sql += " LIMIT -1 OFFSET ?"
            if database.dialect == .postgres { sql = sql.replacingOccurrences(of: "LIMIT -1 ", with: "") }
            binds.append(.int(Int64(offset)))
        }
        let rows = try await database.query(sql, binds)
        return ComparisonPage(totalCount: Int(total), comparisons: rows.map(Self.decode))
    }

    /// Writes what the worker owns (sides, status, results). Visibility and expiry are the owner's
    /// and change only through `setPublic` / `setExpiry`, so a long-running job cannot undo them.
    /// The transition to ready counts the pages into the day's usage.
    public func update(_ c: Comparison) async throws {
        let encoder = JSONEncoder()
        let left = String(decoding: try encoder.encode(c.left), as: UTF8.self)
        let right = String(decoding: try encoder.encode(c.right), as: UTF8.self)
        let incarnation: [SQLValue] = [.text(c.accountID), .text(c.identifier), .int(Timestamp.microseconds(c.creationTime))]
        try await database.transaction { db in
            let previous = try await db.query(
                "SELECT status FROM comparisons WHERE account_id = ? AND identifier = ? AND creation_time = ?", incarnation
            ).first?["status"].string
            guard let previous else { return }
            try await db.query(
                """
                UPDATE comparisons SET left_side = ?, right_side = ?, status = ?, ready_time = ?, error_message = ?, change_count = ?
                WHERE account_id = ? AND identifier = ? AND creation_time = ?
                """,
                [.text(left), .text(right), .text(c.status.rawValue), c.readyTime.map { .int(Timestamp.microseconds($0)) } ?? .null,
                 c.errorMessage.map { .text($0) } ?? .null, c.changeCount.map { .int(Int64($0)) } ?? .null] + incarnation)
            if c.status == .ready, previous != ComparisonStatus.ready.rawValue {
                let pages = (c.left.pageCount ?? 0) + (c.right.pageCount ?? 0)
                try await SQLUsageRepository.count(in: db, accountID: c.accountID, day: c.readyTime ?? Date(), comparisons: 0, pages: pages)
            }
        }
    }

    public func setPublic(accountID: String, identifier: String, isPublic: Bool) async throws -> Bool {
        try await database.transaction { db in
            let key: [SQLValue] = [.text(accountID), .text(identifier)]
            guard try await !db.query("SELECT identifier FROM comparisons WHERE account_id = ? AND identifier = ?", key).isEmpty
            else { return false }
            try await db.query("UPDATE comparisons SET is_public = ? WHERE account_id = ? AND identifier = ?", [.int(isPublic ? 1 : 0)] + key)
            return true
        }
    }

    public func setExpiry(accountID: String, identifier: String, expiryTime: Date?) async throws -> Bool {
        try await database.transaction { db in
            let key: [SQLValue] = [.text(accountID), .text(identifier)]
            guard try await !db.query("SELECT identifier FROM comparisons WHERE account_id = ? AND identifier = ?", key).isEmpty
            else { return false }
            try await db.query(
                "UPDATE comparisons SET expiry_time = ? WHERE account_id = ? AND identifier = ?",
                [expiryTime.map { .int(Timestamp.microseconds($0)) } ?? .null] + key)
            return true
        }
    }

    public func search(accountID: String, _ search: ComparisonSearch) async throws -> ComparisonPage {
        var conditions = ["account_id = ?"]
        var binds: [SQLValue] = [.text(accountID)]
        if let text = search.text?.trimmingCharacters(in: .whitespaces).lowercased(), !text.isEmpty {
            let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_")
            conditions.append("(LOWER(identifier) LIKE ? ESCAPE '\\' OR LOWER(left_side) LIKE ? ESCAPE '\\' OR LOWER(right_side) LIKE ? ESCAPE '\\')")
            binds += Array(repeating: .text("%\(escaped)%"), count: 3)
        }
        if let status = search.status {
            conditions.append("status = ?")
            binds.append(.text(status.rawValue))
        }
        let filter = conditions.joined(separator: " AND ")
        let total = try await database.query("SELECT COUNT(*) AS n FROM comparisons WHERE \(filter)", binds).first?["n"].int ?? 0
        let rows = try await database.query(
            "SELECT * FROM comparisons WHERE \(filter) ORDER BY creation_time DESC, identifier DESC LIMIT ? OFFSET ?",
            binds + [.int(Int64(search.limit)), .int(Int64(search.offset))])
        return ComparisonPage(totalCount: Int(total), comparisons: rows.map(Self.decode))
    }

    public func delete(accountID: String, identifier: String) async throws -> Bool {
        try await database.transaction { db in
            let existing = try await db.query(
                "SELECT identifier FROM comparisons WHERE account_id = ? AND identifier = ?", [.text(accountID), .text(identifier)])
            guard !existing.isEmpty else { return false }
            try await db.query(
                "DELETE FROM jobs WHERE kind = ? AND account_id = ? AND identifier = ?",
                [.text(Job.Kind.compare.rawValue), .text(accountID), .text(identifier)])
            try await db.query(
                "DELETE FROM jobs WHERE kind = ? AND account_id = ? AND identifier IN (SELECT identifier FROM exports WHERE account_id = ? AND comparison_identifier = ?)",
                [.text(Job.Kind.export.rawValue), .text(accountID), .text(accountID), .text(identifier)])
            try await db.query("DELETE FROM exports WHERE account_id = ? AND comparison_identifier = ?", [.text(accountID), .text(identifier)])
            try await db.query("DELETE FROM comparisons WHERE account_id = ? AND identifier = ?", [.text(accountID), .text(identifier)])
            return true
        }
    }

    public func expired(before date: Date, limit: Int) async throws -> [Comparison] {
        try await database.query(
            "SELECT * FROM comparisons WHERE expiry_time IS NOT NULL AND expiry_time <= ? ORDER BY expiry_time LIMIT ?",
            [.int(Timestamp.microseconds(date)), .int(Int64(limit))]
        ).map(Self.decode)
    }

    static func decode(_ row: SQLRow) -> Comparison {
        let decoder = JSONDecoder()
        let fallback = ComparisonSide(fileType: .pdf)
        func side(_ column: String) -> ComparisonSide {
            guard let data = row[column].data, let side = try? decoder.decode(ComparisonSide.self, from: data) else { return fallback }
            return side
        }
        func date(_ column: String) -> Date? { row[column].int.map(Timestamp.date(microseconds:)) }
        return Comparison(
            accountID: row["account_id"].string ?? "", identifier: row["identifier"].string ?? "",
            left: side("left_side"), right: side("right_side"), isPublic: (row["is_public"].int ?? 0) != 0,
            creationTime: date("creation_time") ?? Date(timeIntervalSince1970: 0), expiryTime: date("expiry_time"),
            status: ComparisonStatus(rawValue: row["status"].string ?? "") ?? .failed, readyTime: date("ready_time"),
            errorMessage: row["error_message"].string, changeCount: row["change_count"].int.map { Int($0) },
            storedBytes: row["stored_bytes"].int ?? 0)
    }
}
