import Foundation
import RedlineCore

/// Account settings in SQL, one JSON document per account: settings grow without migrations.
public struct SQLAccountSettingsRepository: AccountSettingsRepository {
    public let database: any SQLDatabase

    public init(database: any SQLDatabase) {
        self.database = database
    }

    public func settings(accountID: String) async throws -> AccountSettings {
        guard let data = try await database.query("SELECT settings FROM account_settings WHERE account_id = ?", [.text(accountID)])
            .first?["settings"].data
        else { return AccountSettings() }
        return (try? JSONDecoder().decode(AccountSettings.self, from: data)) ?? AccountSettings()
    }

    public func save(_ settings: AccountSettings, accountID: String) async throws {
        let json = String(decoding: try JSONEncoder().encode(settings), as: UTF8.self)
        try await database.query(
            """
            INSERT INTO account_settings (account_id, settings) VALUES (?, ?)
            ON CONFLICT (account_id) DO UPDATE SET settings = excluded.settings
            """,
            [.text(accountID), .text(json)])
    }
}

/// Share links in SQL.
public struct SQLShareLinkRepository: ShareLinkRepository {
    public let database: any SQLDatabase

    public init(database: any SQLDatabase) {
        self.database = database
    }

    public func insert(_ link: ShareLink) async throws {
        try await database.query(
            """
            INSERT INTO share_links (id, account_id, identifier, comparison_creation_time, token_hash, created_at, expires_at, revoked_at, created_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)
            """,
            [.text(link.id), .text(link.accountID), .text(link.identifier), .int(Timestamp.microseconds(link.comparisonCreationTime)),
             .text(link.tokenHash), .int(Timestamp.microseconds(link.createdAt)), .int(Timestamp.microseconds(link.expiresAt)),
             .text(link.createdBy)])
    }

    public func find(tokenHash: String) async throws -> ShareLink? {
        try await database.query("SELECT * FROM share_links WHERE token_hash = ?", [.text(tokenHash)]).first.map(Self.decode)
    }

    public func list(accountID: String, identifier: String) async throws -> [ShareLink] {
        try await database.query(
            "SELECT * FROM share_links WHERE account_id = ? AND identifier = ? ORDER BY created_at DESC", [.text(accountID), .text(identifier)]
        ).map(Self.decode)
    }

    public func revoke(accountID: String, id: String, at date: Date) async throws -> Bool {
        try await database.transaction { db in
            let key: [SQLValue] = [.text(accountID), .text(id)]
            guard try await !db.query("SELECT id FROM share_links WHERE account_id = ? AND id = ?", key).isEmpty else { return false }
            try await db.query(
                "UPDATE share_links SET revoked_at = ? WHERE account_id = ? AND id = ? AND revoked_at IS NULL",
                [.int(Timestamp.microseconds(date))] + key)
            return true
        }
    }

    static func decode(_ row: SQLRow) -> ShareLink {
        func date(_ column: String) -> Date? { row[column].int.map(Timestamp.date(microseconds:)) }
        return ShareLink(
            id: row["id"].string ?? "", accountID: row["account_id"].string ?? "", identifier: row["identifier"].string ?? "",
            comparisonCreationTime: date("comparison_creation_time") ?? .distantPast, tokenHash: row["token_hash"].string ?? "",
            createdAt: date("created_at") ?? .distantPast, expiresAt: date("expires_at") ?? .distantPast, revokedAt: date("revoked_at"),
            createdBy: row["created_by"].string ?? "")
    }
}

/// Usage counters in SQL, written in the same transactions as the comparisons they count.
public struct SQLUsageRepository: UsageRepository {
    public let database: any SQLDatabase

    public init(database: any SQLDatabase) {
        self.database = database
    }

    public func days(accountID: String, since: Date) async throws -> [UsageDay] {
        try await database.query(
            "SELECT day, comparisons, pages FROM usage_days WHERE account_id = ? AND day >= ? ORDER BY day",
            [.text(accountID), .text(Self.day(since))]
        ).map { UsageDay(day: $0["day"].string ?? "", comparisons: Int($0["comparisons"].int ?? 0), pages: Int($0["pages"].int ?? 0)) }
    }

    public func storedBytes(accountID: String) async throws -> Int64 {
        try await database.query("SELECT CAST(COALESCE(SUM(stored_bytes), 0) AS BIGINT) AS n FROM comparisons WHERE account_id = ?", [.text(accountID)])
            .first?["n"].int ?? 0
    }

    static func count(in db: any SQLDatabase, accountID: String, day: Date, comparisons: Int, pages: Int) async throws {
        try await db.query(
            """
            INSERT INTO usage_days (account_id, day, comparisons, pages) VALUES (?, ?, ?, ?)
            ON CONFLICT (account_id, day) DO UPDATE SET comparisons = usage_days.comparisons + excluded.comparisons,
                pages = usage_days.pages + excluded.pages
            """,
            [.text(accountID), .text(Self.day(day)), .int(Int64(comparisons)), .int(Int64(pages))])
    }

    /// `yyyy-MM-dd` in UTC.
    static func day(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
    }
}
