import Foundation
import RedlineCore

/// Accounts in SQL (SQLite or PostgreSQL).
public struct SQLAccountRepository: AccountRepository {
    public let database: any SQLDatabase

    public init(database: any SQLDatabase) {
        self.database = database
    }

    public func insert(_ account: Account) async throws {
        try await database.query(
            "INSERT INTO accounts (id, name, token_hash, sealed_token, created_at) VALUES (?, ?, ?, ?, ?)",
            [.text(account.id), .text(account.name), .text(account.tokenHash), .blob(account.sealedToken),
             .int(Timestamp.microseconds(account.createdAt))])
    }

    public func find(id: String) async throws -> Account? {
        try await database.query("SELECT * FROM accounts WHERE id = ?", [.text(id)]).first.map(Self.decode)
    }

    public func find(tokenHash: String) async throws -> Account? {
        try await database.query("SELECT * FROM accounts WHERE token_hash = ?", [.text(tokenHash)]).first.map(Self.decode)
    }

    public func list() async throws -> [Account] {
        try await database.query("SELECT * FROM accounts ORDER BY created_at, id").map(Self.decode)
    }

    public func updateToken(accountID: String, tokenHash: String, sealedToken: Data, revoked: Bool) async throws -> Bool {
        try await database.transaction { db in
            guard try await !db.query("SELECT id FROM accounts WHERE id = ?", [.text(accountID)]).isEmpty else { return false }
            try await db.query(
                "UPDATE accounts SET token_hash = ?, sealed_token = ?, token_revoked = ?, token_updated_at = ? WHERE id = ?",
                [.text(tokenHash), .blob(sealedToken), .int(revoked ? 1 : 0), .int(Timestamp.microseconds(Timestamp.now())),
                 .text(accountID)])
            return true
        }
    }

    public func delete(id: String) async throws -> Bool {
        try await database.transaction { db in
            guard try await !db.query("SELECT id FROM accounts WHERE id = ?", [.text(id)]).isEmpty else { return false }
            try await db.query("DELETE FROM jobs WHERE account_id = ?", [.text(id)])
            try await db.query("DELETE FROM web_sessions WHERE user_id IN (SELECT id FROM users WHERE account_id = ?)", [.text(id)])
            for table in ["users", "share_links", "account_settings", "usage_days"] {
                try await db.query("DELETE FROM \(table) WHERE account_id = ?", [.text(id)])
            }
            try await db.query("DELETE FROM exports WHERE account_id = ?", [.text(id)])
            try await db.query("DELETE FROM comparisons WHERE account_id = ?", [.text(id)])
            try await db.query("DELETE FROM accounts WHERE id = ?", [.text(id)])
            return true
        }
    }

    static func decode(_ row: SQLRow) -> Account {
        Account(
            id: row["id"].string ?? "", name: row["name"].string ?? "", tokenHash: row["token_hash"].string ?? "",
            sealedToken: row["sealed_token"].data ?? Data(),
            createdAt: Timestamp.date(microseconds: row["created_at"].int ?? 0), tokenRevoked: (row["token_revoked"].int ?? 0) != 0,
            tokenUpdatedAt: row["token_updated_at"].int.map(Timestamp.date(microseconds:)))
    }
}
