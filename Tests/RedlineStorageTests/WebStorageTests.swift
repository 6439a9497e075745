import Foundation
import RedlineCore
import Testing

@testable import RedlineStorage

func sampleUser(_ id: String, email: String, account: String = "acct") -> User {
    User(id: id, accountID: account, email: email, name: id.capitalized, role: .member, passwordHash: "h", createdAt: Timestamp.now())
}

/// The web app's tables, against SQLite and PostgreSQL.
@Suite struct WebStorageTests {
    @Test(arguments: StoreBackend.available) func usersAreUniqueByEmailAndLockAfterRepeatedFailures(_ backend: StoreBackend) async throws {
        try await withStore(backend) { database, _, _, _ in
            let users = SQLUserRepository(database: database)
            try await users.insert(sampleUser("u1", email: "ann@example.com"))
            await #expect(throws: RedlineError.self) { try await users.insert(sampleUser("u2", email: "ann@example.com")) }
            #expect(try await users.count() == 1)
            #expect(try await users.find(email: "ANN@example.com")?.id == "u1")
            let lockUntil = Timestamp.now().addingTimeInterval(600)
            for attempt in 1...2 {
                let user = try await users.recordFailedLogin(userID: "u1", threshold: 3, lockUntil: lockUntil)
                #expect(user?.failedLogins == attempt)
                #expect(user?.lockedUntil == nil)
            }
            let locked = try #require(try await users.recordFailedLogin(userID: "u1", threshold: 3, lockUntil: lockUntil))
            #expect(locked.lockedUntil != nil)
            #expect(locked.failedLogins == 0, "the counter restarts once the lock is set")
            var updated = locked
            updated.passwordTokenHash = "reset-hash"
            updated.disabled = true
            try await users.update(updated)
            let found = try #require(try await users.find(passwordTokenHash: "reset-hash"))
            #expect(found.disabled && found.id == "u1")
            #expect(try await users.list(accountID: "acct").map(\.id) == ["u1"])
            #expect(try await users.list(accountID: "other").isEmpty)
        }
    }

    @Test(arguments: StoreBackend.available) func sessionsExpireAndEndPerUser(_ backend: StoreBackend) async throws {
        try await withStore(backend) { database, _, _, _ in
            try await SQLUserRepository(database: database).insert(sampleUser("u1", email: "a@example.com"))
            let sessions = SQLSessionStore(database: database)
            let now = Timestamp.now()
            try await sessions.create(WebSession(idHash: "live", userID: "u1", csrfToken: "c", createdAt: now, expiresAt: now.addingTimeInterval(60)))
            try await sessions.create(WebSession(idHash: "old", userID: "u1", csrfToken: "c", createdAt: now, expiresAt: now.addingTimeInterval(-1)))
            #expect(try await sessions.find(idHash: "live")?.csrfToken == "c")
            #expect(try await sessions.find(idHash: "old") == nil)
            try await sessions.create(WebSession(idHash: "second", userID: "u1", csrfToken: "d", createdAt: now, expiresAt: now.addingTimeInterval(60)))
            try await sessions.delete(idHash: "live")
            #expect(try await sessions.find(idHash: "live") == nil)
            #expect(try await sessions.find(idHash: "second") != nil)
            try await sessions.deleteAll(userID: "u1")
            #expect(try await sessions.find(idHash: "second") == nil)
        }
    }

    @Test(arguments: StoreBackend.available) func settingsShareLinksAndUsage(_ backend: StoreBackend) async throws {
        try await withStore(backend) { database, comparisons, _, _ in
            let settings = SQLAccountSettingsRepository(database: database)
            #expect(try await settings.settings(accountID: "acct") == AccountSettings())
            var custom = AccountSettings(maxFileBytes: 1_000, maxPages: 5, retentionDays: 7)
            custom.viewer.insertColor = "#00ff00"
            try await settings.save(custom, accountID: "acct")
            custom.maxPages = 6
            try await settings.save(custom, accountID: "acct")
            #expect(try await settings.settings(accountID: "acct") == custom)

            var comparison = sampleComparison("c1")
            comparison.storedBytes = 1234
            try await comparisons.insertAndEnqueue(comparison, priority: 0)
            let shares = SQLShareLinkRepository(database: database)
            let link = ShareLink(
                id: "s1", accountID: "acct", identifier: "c1", comparisonCreationTime: comparison.creationTime, tokenHash: "t1",
                createdAt: Timestamp.now(), expiresAt: Timestamp.now().addingTimeInterval(3600), createdBy: "u1")
            try await shares.insert(link)
            #expect(try await shares.find(tokenHash: "t1")?.isUsable(at: Timestamp.now()) == true)
            #expect(try await !shares.revoke(accountID: "other", id: "s1", at: Timestamp.now()))
            #expect(try await shares.revoke(accountID: "acct", id: "s1", at: Timestamp.now()))
            #expect(try await shares.find(tokenHash: "t1")?.isUsable(at: Timestamp.now()) == false)
            #expect(try await shares.list(accountID: "acct", identifier: "c1").count == 1)

            // Usage: the create counted once; reaching ready counts the pages once, however often it is written.
            comparison.left.pageCount = 3
            comparison.right.pageCount = 4
            comparison.status = .ready
            comparison.readyTime = Timestamp.now()
            try await comparisons.update(comparison)
            try await comparisons.update(comparison)
            let usage = SQLUsageRepository(database: database)
            let days = try await usage.days(accountID: "acct", since: Timestamp.now().addingTimeInterval(-86_400))
            #expect(days.map(\.comparisons).reduce(0, +) == 1)
            #expect(days.map(\.pages).reduce(0, +) == 7)
            #expect(try await usage.storedBytes(accountID: "acct") == 1234)
        }
    }

    @Test(arguments: StoreBackend.available) func historySearchAndOwnerFieldsSurviveWorkerUpdates(_ backend: StoreBackend) async throws {
        try await withStore(backend) { database, comparisons, _, _ in
            for (id, name) in [("alpha", "Master Services Agreement.docx"), ("beta", "NDA 100%_final.pdf"), ("gamma", "Lease.pdf")] {
                var c = sampleComparison(id, created: Timestamp.now().addingTimeInterval(Double(id.count)))
                c.left.displayName = name
                try await comparisons.insertAndEnqueue(c, priority: 0)
            }
            #expect(try await comparisons.search(accountID: "acct", ComparisonSearch(text: "services")).comparisons.map(\.identifier) == ["alpha"])
            #expect(try await comparisons.search(accountID: "acct", ComparisonSearch(text: "100%_")).comparisons.map(\.identifier) == ["beta"])
            #expect(try await comparisons.search(accountID: "acct", ComparisonSearch(text: "0%x")).totalCount == 0, "% is literal")
            #expect(try await comparisons.search(accountID: "acct", ComparisonSearch(status: .ready)).totalCount == 0)
            #expect(try await comparisons.search(accountID: "other", ComparisonSearch()).totalCount == 0)
            let page = try await comparisons.search(accountID: "acct", ComparisonSearch(limit: 2, offset: 0))
            #expect(page.totalCount == 3 && page.comparisons.count == 2)

            // A worker holding an old snapshot must not undo what the owner changed meanwhile.
            let snapshot = try #require(try await comparisons.find(accountID: "acct", identifier: "gamma"))
            let expiry = Timestamp.now().addingTimeInterval(86_400)
            #expect(try await comparisons.setPublic(accountID: "acct", identifier: "gamma", isPublic: true))
            #expect(try await comparisons.setExpiry(accountID: "acct", identifier: "gamma", expiryTime: expiry))
            var working = snapshot
            working.status = .processing
            try await comparisons.update(working)
            let after = try #require(try await comparisons.find(accountID: "acct", identifier: "gamma"))
            #expect(after.isPublic && after.expiryTime != nil && after.status == .processing)
            #expect(try await !comparisons.setPublic(accountID: "acct", identifier: "missing", isPublic: true))
        }
    }
}
