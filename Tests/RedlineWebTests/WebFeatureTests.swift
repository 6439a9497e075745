import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import RedlineCore
import RedlineStorage
import Testing

/// Builds the multipart body a browser sends for the compare form.
func compareForm(left: (String, Data), right: (String, Data)) -> (ByteBuffer, String) {
    let boundary = "----redline-web-\(UUID().uuidString.prefix(8))"
    var body = Data()
    for (field, file) in [("left", left), ("right", right)] {
        body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; filename=\"\(file.0)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8))
        body.append(file.1)
        body.append(Data("\r\n".utf8))
    }
    body.append(Data("--\(boundary)--\r\n".utf8))
    return (ByteBuffer(data: body), "multipart/form-data; boundary=\(boundary)")
}

extension Browser {
    /// Uploads two files from the compare page as its script does; returns the new identifier.
    mutating func upload(_ left: (String, Data), _ right: (String, Data)) async throws -> TestResponse {
        let token = Browser.csrf(in: try await get("/app").text)
        let (body, contentType) = compareForm(left: left, right: right)
        return try await send(
            "/app/compare", method: .post, body: body, contentType: contentType,
            extra: [.accept: "application/json", HTTPField.Name("X-CSRF-Token")!: token])
    }
}

@Suite struct WebFeatureTests {
    @Test func uploadDetectsTypesShowsProgressAndSharesUntilRevoked() async throws {
        let env = try await WebTestEnvironment.make()
        let admin = try await env.makeAdmin()
        try await env.application().test(.router) { client in
            var browser = Browser(client)
            _ = try await browser.signIn("admin@example.com")
            // A file that is no document is refused with a message naming it.
            let refused = try await browser.upload(("a.bin", Data([0, 1, 2, 0])), ("b.txt", Data("hello".utf8)))
            #expect(refused.status == .badRequest && refused.text.contains("a.bin"))

            let created = try await browser.upload(("contract-v1.txt", Data("The fee is 100 euros.".utf8)), ("contract-v2.txt", Data("The fee is 120 euros.".utf8)))
            #expect(created.status == .created)
            let body = try JSONSerialization.jsonObject(with: Data(buffer: created.body)) as? [String: String] ?? [:]
            let identifier = try #require(body["identifier"])
            #expect(body["progressUrl"] == "/app/comparisons/\(identifier)?open=1")
            let queued = try JSONSerialization.jsonObject(with: Data(buffer: try await browser.get("/app/comparisons/\(identifier)/status").body)) as? [String: String]
            #expect(queued?["stage"] == "queued")
            try await env.drainQueue()
            let ready = try JSONSerialization.jsonObject(with: Data(buffer: try await browser.get("/app/comparisons/\(identifier)/status").body)) as? [String: String]
            #expect(ready?["stage"] == "ready" && ready?["viewerUrl"] == "/app/comparisons/\(identifier)/view")
            let comparison = try #require(try await env.comparisons.find(accountID: admin.accountID, identifier: identifier))
            #expect(comparison.left.fileType == .txt && comparison.left.displayName == "contract-v1.txt")

            // The history lists it; search finds it by name and not by other words.
            #expect(try await browser.get("/app/history?q=contract").text.contains("contract-v1.txt"))
            #expect(!(try await browser.get("/app/history?q=lease").text.contains("contract-v1.txt")))

            // Opening it signs a viewer link for the signed-in person.
            let view = try await browser.get("/app/comparisons/\(identifier)/view")
            #expect(view.status == .seeOther && view.location.contains("signature="))
            #expect(try await browser.get(view.location).status == .ok)

            // A share link works signed-out until it is revoked.
            let shared = try await browser.submit(page: "/app/comparisons/\(identifier)", to: "/app/comparisons/\(identifier)/share", ["hours": "24"])
            let url = try #require(shared.text.range(of: #"/api/v1/comparisons/viewer/[^"]*share=[A-Za-z0-9_-]+"#, options: .regularExpression))
            let shareURL = String(shared.text[url])
            var stranger = Browser(client)
            #expect(try await stranger.get(shareURL).status == .ok)
            #expect(try await stranger.get(shareURL.replacingOccurrences(of: "share=", with: "share=x")).status == .forbidden)
            let share = try #require(try await SQLShareLinkRepository(database: env.database).list(accountID: admin.accountID, identifier: identifier).first)
            _ = try await browser.submit(
                page: "/app/comparisons/\(identifier)", to: "/app/comparisons/\(identifier)/shares/\(share.id)/revoke", [:])
            let revoked = try await stranger.get(shareURL)
            #expect(revoked.status == .forbidden && revoked.text.contains("revoked"))

            // Public, expiry, delete.
            _ = try await browser.submit(page: "/app/comparisons/\(identifier)", to: "/app/comparisons/\(identifier)/public", ["public": "1"])
            #expect(try await stranger.get("/api/v1/comparisons/viewer/\(admin.accountID)/\(identifier)").status == .ok)
            _ = try await browser.submit(page: "/app/comparisons/\(identifier)", to: "/app/comparisons/\(identifier)/expiry", ["expires": "2999-01-31"])
            let expiry = try #require(try await env.comparisons.find(accountID: admin.accountID, identifier: identifier)?.expiryTime)
            #expect(Timestamp.format(expiry).hasPrefix("2999-01-31T23:59:59"))
            let past = try await browser.submit(page: "/app/comparisons/\(identifier)", to: "/app/comparisons/\(identifier)/expiry", ["expires": "2001-01-01"])
            #expect(past.status == .badRequest)
            _ = try await browser.submit(page: "/app/comparisons/\(identifier)", to: "/app/comparisons/\(identifier)/delete", [:])
            #expect(try await env.comparisons.find(accountID: admin.accountID, identifier: identifier) == nil)
        }
        try await env.tearDown()
    }

    @Test func administratorsManageTokensUsersLimitsAndViewerSettings() async throws {
        let env = try await WebTestEnvironment.make()
        let admin = try await env.makeAdmin()
        try await env.application().test(.router) { client in
            var browser = Browser(client)
            _ = try await browser.signIn("admin@example.com")

            // Rotate: the new token is shown once and works on the API; revoke: the API refuses it.
            let rotated = try await browser.submit(page: "/app/admin/tokens", to: "/app/admin/tokens/rotate", [:])
            let range = try #require(rotated.text.range(of: #"value="[0-9a-f]{40}" data-testid="new-token""#, options: .regularExpression))
            let token = String(rotated.text[range].dropFirst(#"value=""#.count).prefix(40))
            var api = Browser(client)
            api.headers[.authorization] = "Token \(token)"
            #expect(try await api.get("/api/v1/comparisons").status == .ok)
            #expect(!(try await browser.get("/app/admin/tokens").text.contains(String(token))), "shown only once")
            _ = try await browser.submit(page: "/app/admin/tokens", to: "/app/admin/tokens/revoke", [:])
            #expect(try await api.get("/api/v1/comparisons").status == .unauthorized)
            #expect(try await browser.get("/app/admin/tokens").text.contains("Revoked"))

            // Invite: a one-time link; disabling signs the user out.
            let invited = try await browser.submit(page: "/app/admin/users", to: "/app/admin/users", ["email": "bob@example.com", "name": "Bob", "role": "member"])
            #expect(invited.text.contains("/password/"))
            let bob = try #require(try await env.users.users.find(email: "bob@example.com"))
            #expect(bob.passwordHash == nil && bob.role == .member)
            _ = try await browser.submit(page: "/app/admin/users", to: "/app/admin/users/\(bob.id)/disable", [:])
            #expect(try await env.users.users.find(id: bob.id)?.disabled == true)
            let selfDisable = try await browser.submit(page: "/app/admin/users", to: "/app/admin/users/\(admin.id)/disable", [:])
            #expect(selfDisable.status == .badRequest)

            // Limits and viewer settings: validated, saved, and applied.
            let bad = try await browser.submit(
                page: "/app/admin/settings", to: "/app/admin/settings",
                ["max_file_mb": "-3", "insert_color": "red; x", "delete_color": "#c62828", "replace_color": "#ef6c00", "style_color": "#6a1b9a",
                 "move_color": "#1565c0", "default_zoom": "100", "frame_ancestors": "javascript:alert(1)"])
            #expect(bad.status == .badRequest && bad.text.contains("Maximum file size") && bad.text.contains("Insert colour"))
            let saved = try await browser.submit(
                page: "/app/admin/settings", to: "/app/admin/settings",
                ["max_file_mb": "1", "retention_days": "7", "insert_color": "#00aa00", "delete_color": "#c62828", "replace_color": "#ef6c00",
                 "style_color": "#6a1b9a", "move_color": "#1565c0", "default_zoom": "150", "frame_ancestors": "https://intranet.example.com"])
            #expect(saved.status == .ok)
            let big = try await browser.upload(("big.txt", Data(repeating: 65, count: 1_100_000)), ("small.txt", Data("x".utf8)))
            #expect(big.status == .contentTooLarge)
            let created = try await browser.upload(("a.txt", Data("one".utf8)), ("b.txt", Data("two".utf8)))
            let identifier = try #require((try JSONSerialization.jsonObject(with: Data(buffer: created.body)) as? [String: String])?["identifier"])
            let comparison = try #require(try await env.comparisons.find(accountID: admin.accountID, identifier: identifier))
            let days = try #require(comparison.expiryTime).timeIntervalSince(comparison.creationTime) / 86_400
            #expect(abs(days - 7) < 0.01, "the retention default sets the expiry")
            try await env.drainQueue()
            let viewer = try await browser.get(try await browser.get("/app/comparisons/\(identifier)/view").location)
            #expect(viewer.text.contains("#00aa00") && viewer.text.contains(#""defaultZoom":150"#))
            #expect(viewer.headers[.contentSecurityPolicy]?.contains("frame-ancestors https://intranet.example.com") == true)

            // Usage counts what happened.
            let usage = try await browser.get("/app/admin/usage").text
            #expect(usage.contains(#"data-testid="usage-comparisons">1<"#) && usage.contains(#"data-testid="usage-pages">2<"#))
        }
        try await env.tearDown()
    }
}
