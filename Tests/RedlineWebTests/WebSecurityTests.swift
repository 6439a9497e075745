import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import RedlineCore
import RedlineStorage
import Testing

/// What a hostile or careless visitor tries: the checks the issue lists, end to end through HTTP.
@Suite struct WebSecurityTests {
    @Test func firstRunCreatesOneAdministratorAndThenCloses() async throws {
        let env = try await WebTestEnvironment.make()
        try await env.application().test(.router) { client in
            var browser = Browser(client)
            #expect(try await browser.get("/").location == "/setup")
            let created = try await browser.submit(
                page: "/setup", to: "/setup",
                ["organisation": "Acme", "name": "Ann", "email": "Ann@Example.com", "password": WebTestEnvironment.password,
                 "password_confirm": WebTestEnvironment.password])
            #expect(created.status == .seeOther)
            let admin = try #require(try await env.users.users.find(email: "ann@example.com"))
            #expect(admin.role == .admin)
            // Once a user exists, the first-run page is gone, even for a direct post.
            #expect(try await browser.get("/setup").location == "/login")
            _ = try await browser.submit(
                page: "/login", to: "/setup",
                ["name": "Eve", "email": "eve@example.com", "password": "whatever12345", "password_confirm": "whatever12345"])
            #expect(try await env.users.users.find(email: "eve@example.com") == nil)
        }
        try await env.tearDown()
    }

    @Test func signInStartsANewSessionWithTheRightCookieFlags() async throws {
        let env = try await WebTestEnvironment.make()
        _ = try await env.makeAdmin()
        try await env.application().test(.router) { client in
            var browser = Browser(client)
            let response = try await browser.signIn("admin@example.com")
            #expect(response.status == .seeOther && response.location == "/app")
            let setCookie = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("redline_session=") })
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Lax") && setCookie.contains("Path=/"))
            #expect(!setCookie.contains("Secure"), "plain http on loopback: a Secure cookie would never come back")
            let first = try #require(browser.cookies["redline_session"])
            #expect(try await browser.get("/app").status == .ok)

            // A session id planted before sign-in is never kept: sign-in issues a new one and ends the old.
            var victim = Browser(client)
            let form = try await victim.get("/login")
            victim.cookies["redline_session"] = first
            let signedIn = try await victim.post(
                "/login", ["email": "admin@example.com", "password": WebTestEnvironment.password, "csrf": Browser.csrf(in: form.text)])
            #expect(signedIn.location == "/app")
            let second = try #require(victim.cookies["redline_session"])
            #expect(first != second)
            #expect(try await browser.get("/app").status == .seeOther, "the planted session no longer works")
            #expect(try await victim.get("/app").status == .ok)

            // Behind a TLS-terminating proxy the cookie is Secure.
            var secure = Browser(client)
            secure.headers[HTTPField.Name("X-Forwarded-Proto")!] = "https"
            let overTLS = try await secure.signIn("admin@example.com")
            #expect(overTLS.headers[values: .setCookie].contains { $0.hasPrefix("redline_session=") && $0.contains("; Secure") })
        }
        try await env.tearDown()
    }

    @Test func tamperedOrForgedSessionCookiesAreIgnored() async throws {
        let env = try await WebTestEnvironment.make()
        _ = try await env.makeAdmin()
        try await env.application().test(.router) { client in
            var browser = Browser(client)
            _ = try await browser.signIn("admin@example.com")
            let cookie = try #require(browser.cookies["redline_session"])
            let (token, _) = (cookie.split(separator: ".").first.map(String.init) ?? "", 0)
            for forged in [token + ".AAAA", token, "x" + cookie] {
                var attacker = Browser(client)
                attacker.cookies["redline_session"] = forged
                let response = try await attacker.get("/app/history")
                #expect(response.status == .seeOther && response.location.hasPrefix("/login"))
            }
        }
        try await env.tearDown()
    }

    @Test func postsWithoutAValidCSRFTokenAreRefused() async throws {
        let env = try await WebTestEnvironment.make()
        let admin = try await env.makeAdmin()
        try await env.application().test(.router) { client in
            var browser = Browser(client)
            _ = try await browser.signIn("admin@example.com")
            let before = try await env.users.list(accountID: admin.accountID).count
            #expect(try await browser.post("/app/admin/users", ["email": "x@example.com"]).status == .forbidden)
            #expect(try await browser.post("/app/admin/users", ["email": "x@example.com", "csrf": "guess"]).status == .forbidden)
            #expect(try await browser.post("/app/admin/tokens/revoke", [:]).status == .forbidden)
            #expect(try await browser.post("/logout", [:]).status == .forbidden)
            #expect(try await env.users.list(accountID: admin.accountID).count == before)
            // The right token from another site (a cross-origin form post) is refused too.
            let page = try await browser.get("/app/admin/users")
            let token = Browser.csrf(in: page.text)
            let crossSite = try await browser.send(
                "/app/admin/users", method: .post, body: ByteBuffer(string: "email=y%40example.com&csrf=\(token)"),
                contentType: "application/x-www-form-urlencoded", extra: [.origin: "https://evil.example"])
            #expect(crossSite.status == .forbidden)
            // The sign-in form is protected as well: no form cookie, no sign-in.
            var fresh = Browser(client)
            #expect(try await fresh.post("/login", ["email": "admin@example.com", "password": WebTestEnvironment.password]).status == .forbidden)
            // And with the token, the same request works.
            #expect(try await browser.post("/app/admin/users", ["email": "z@example.com", "csrf": token]).status == .ok)
        }
        try await env.tearDown()
    }

    @Test func membersCannotReachAdministrationOrOtherAccounts() async throws {
        let env = try await WebTestEnvironment.make()
        let admin = try await env.makeAdmin()
        _ = try await env.makeUser(accountID: admin.accountID, email: "member@example.com", role: .member)
        let otherAccount = try await env.accounts.create(name: "Other")
        let other = try await env.service.create(
            accountID: otherAccount.accountID,
            request: NewComparisonRequest(
                left: NewSide(fileType: "txt", file: Data("secret one".utf8)), right: NewSide(fileType: "txt", file: Data("secret two".utf8))))
        try await env.application().test(.router) { client in
            var member = Browser(client)
            _ = try await member.signIn("member@example.com")
            for page in ["/app/admin/users", "/app/admin/tokens", "/app/admin/settings", "/app/admin/usage"] {
                #expect(try await member.get(page).status == .forbidden, "\(page)")
            }
            let token = Browser.csrf(in: try await member.get("/app").text)
            #expect(try await member.post("/app/admin/tokens/rotate", ["csrf": token]).status == .forbidden)
            #expect(try await member.post("/app/admin/users", ["csrf": token, "email": "x@example.com", "role": "admin"]).status == .forbidden)
            for page in ["/app/comparisons/\(other.identifier)", "/app/comparisons/\(other.identifier)/view"] {
                #expect(try await member.get(page).status == .notFound, "\(page)")
            }
            #expect(try await member.get("/app/comparisons/\(other.identifier)/status").status == .notFound)
            #expect(try await member.post("/app/comparisons/\(other.identifier)/share", ["csrf": token]).status == .notFound)
            #expect(try await member.post("/app/comparisons/\(other.identifier)/delete", ["csrf": token]).status == .notFound)
            #expect(try await env.comparisons.find(accountID: otherAccount.accountID, identifier: other.identifier) != nil)
            #expect(!(try await member.get("/app/history").text.contains(other.identifier)))
            // Signed-out visitors are sent to sign in, returning afterwards.
            var stranger = Browser(client)
            #expect(try await stranger.get("/app/history").location == "/login?next=/app/history")
            let missing = try await member.get("/app/no/such/page")
            #expect(missing.status == .notFound && missing.headers[.contentType]?.hasPrefix("text/html") == true)
        }
        try await env.tearDown()
    }

    @Test func wrongPasswordsAreRateLimitedAndLockTheUser() async throws {
        let env = try await WebTestEnvironment.make(loginAttemptsPerMinute: 6)
        _ = try await env.makeAdmin()
        try await env.application().test(.router) { client in
            var browser = Browser(client)
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<5 { statuses.append(try await browser.signIn("admin@example.com", password: "wrong password!").status) }
            #expect(statuses.prefix(4).allSatisfy { $0 == .unauthorized })
            #expect(statuses.last == .tooManyRequests, "the fifth wrong password in a row locks the user")
            // Locked: even the right password is refused for now, with a message that says why.
            let locked = try await browser.signIn("admin@example.com")
            #expect(locked.status == .tooManyRequests && locked.text.contains("locked"))
            // The per-email budget: a seventh attempt within the minute is refused before any password check.
            let limited = try await browser.signIn("admin@example.com")
            #expect(limited.status == .tooManyRequests && limited.text.contains("Too many sign-in attempts"))
        }
        try await env.tearDown()
    }

    @Test func passwordLinksWorkOnceAndEndSessions() async throws {
        let env = try await WebTestEnvironment.make()
        let admin = try await env.makeAdmin()
        let member = try await env.makeUser(accountID: admin.accountID, email: "m@example.com", role: .member)
        try await env.application().test(.router) { client in
            var memberBrowser = Browser(client)
            _ = try await memberBrowser.signIn("m@example.com")
            #expect(try await memberBrowser.get("/app").status == .ok)
            let token = try await env.users.issuePasswordLink(userID: member.id, accountID: admin.accountID)
            #expect(try await memberBrowser.get("/app").status == .seeOther, "a reset ends the user's sessions")
            var browser = Browser(client)
            let newPassword = "a brand new password"
            let set = try await browser.submit(
                page: "/password/\(token)", to: "/password/\(token)", ["password": newPassword, "password_confirm": newPassword])
            #expect(set.status == .seeOther && set.location == "/login?reset=1")
            #expect(try await browser.get("/password/\(token)").status == .notFound, "the link works once")
            #expect(try await browser.signIn("m@example.com", password: newPassword).location == "/app")
        }
        try await env.tearDown()
    }
}
