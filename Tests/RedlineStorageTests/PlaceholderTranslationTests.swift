import Foundation
import RedlinePostgres
import Testing

@Suite struct PlaceholderTranslationTests {
    @Test(arguments: [
        ("SELECT * FROM t WHERE a = ? AND b = ?", "SELECT * FROM t WHERE a = $1 AND b = $2", 2),
        ("SELECT '?' AS q, x FROM t WHERE y = ?", "SELECT '?' AS q, x FROM t WHERE y = $1", 1),
        ("SELECT 'it''s ?', ? FROM t", "SELECT 'it''s ?', $1 FROM t", 1),
        ("SELECT E'\\'?', ?", "SELECT E'\\'?', $1", 1),
        ("SELECT \"we?ird\" FROM t WHERE c = ?", "SELECT \"we?ird\" FROM t WHERE c = $1", 1),
        ("SELECT 1 -- why?\nWHERE a = ?", "SELECT 1 -- why?\nWHERE a = $1", 1),
        ("SELECT /* ? */ ?", "SELECT /* ? */ $1", 1),
        ("SELECT $$ ? $$, $tag$ ? $tag$, ?", "SELECT $$ ? $$, $tag$ ? $tag$, $1", 1),
        ("SELECT pg_notify('redline_jobs', '')", "SELECT pg_notify('redline_jobs', '')", 0),
        ("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
         "INSERT INTO t VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)", 11),
        ("SELECT 'é?' || ?", "SELECT 'é?' || $1", 1),
    ])
    func translates(_ input: String, _ expected: String, _ count: Int) {
        let result = PostgresPlaceholders.translate(input)
        #expect(result.sql == expected)
        #expect(result.count == count)
    }
}

@Suite struct PostgresURLTests {
    @Test func parsesUserPasswordHostPortDatabase() throws {
        let configuration = try PostgresURL("postgres://red%40line:p%3Ass@db.internal:6543/redline?sslmode=disable")
        #expect(configuration.username == "red@line")
        #expect(configuration.password == "p:ss")
        #expect(configuration.host == "db.internal")
        #expect(configuration.port == 6543)
        #expect(configuration.database == "redline")
    }

    @Test func defaultsAndSocket() throws {
        let configuration = try PostgresURL("postgresql://redline@localhost")
        #expect(configuration.port == 5432)
        #expect(configuration.database == nil)
        #expect(configuration.sslMode == "prefer")
        let socket = try PostgresURL("postgres://redline@/db?host=/run/postgresql")
        #expect(socket.unixSocketPath == "/run/postgresql/.s.PGSQL.5432")
    }

    @Test(arguments: ["mysql://u@h/db", "postgres://h/db", "postgres://u@h/db?sslmode=bogus", "not a url"])
    func rejectsBadURLs(_ url: String) {
        #expect(throws: PostgresURLError.self) { try PostgresURL(url) }
    }

    @Test func errorsNeverContainThePassword() {
        do {
            _ = try PostgresURL("postgres://u:supersecret@h/db?sslmode=nope")
            Issue.record("expected an error")
        } catch {
            #expect(!"\(error)".contains("supersecret"))
        }
    }
}
