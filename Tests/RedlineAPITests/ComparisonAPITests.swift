import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import RedlineCore
import RedlineStorage
import Testing

@Suite struct ComparisonAPITests {
    func withEnvironment(maxFileBytes: Int = 5_000_000, _ body: @escaping @Sendable (TestEnvironment, any TestClientProtocol) async throws -> Void) async throws {
        let env = try await TestEnvironment.make(maxFileBytes: maxFileBytes)
        do {
            try await env.application().test(.router) { client in try await body(env, client) }
        } catch {
            try await env.tearDown()
            throw error
        }
        try await env.tearDown()
    }

    @Test func missingOrWrongTokenIsJSON401() async throws {
        try await withEnvironment { env, client in
            let missing = try await client.execute(uri: "/api/v1/comparisons", method: .get)
            #expect(missing.status == .unauthorized)
            #expect((missing.json["detail"] as? String)?.contains("Token") == true)
            let wrong = try await client.execute(uri: "/api/v1/comparisons", method: .get, headers: [.authorization: "Token nope"])
            #expect(wrong.status == .unauthorized)
            #expect(wrong.headers[.contentType] == "application/json")
        }
    }

    @Test func multipartUploadCreatesThenProcessesToReady() async throws {
        try await withEnvironment { env, client in
            let created = try await env.uploadTXT(client, identifier: "doc-1", left: "The price is 52.1 dollars.", right: "The price is 52.2 dollars.",
                                              extra: [("public", "True"), ("expiry_time", "2099-01-01T00:00:00.123456+00:00")])
            #expect(created.status == .created)
            let body = created.json
            #expect(body["identifier"] as? String == "doc-1")
            #expect(body["ready"] as? Bool == false)
            #expect(body["public"] as? Bool == true)
            #expect(body["failed"] == nil)
            #expect(body["ready_time"] == nil)
            #expect(body["error_message"] == nil)
            #expect(body["expiry_time"] as? String == "2099-01-01T00:00:00.123456Z")
            #expect((body["left"] as? [String: Any])?["file_type"] as? String == "txt")

            try await env.drainQueue()
            let ready = try await client.execute(uri: "/api/v1/comparisons/doc-1", method: .get, headers: env.authorization).json
            #expect(ready["ready"] as? Bool == true)
            #expect(ready["failed"] as? Bool == false)
            let readyTime = try #require(ready["ready_time"] as? String)
            #expect(readyTime.hasSuffix("Z"))

            let details = try await client.execute(uri: "/api/v1/comparisons/doc-1/change-details", method: .get, headers: env.authorization)
            #expect(details.status == .ok)
            let changes = try #require(details.json["changes"] as? [[String: Any]])
            let edits = changes.filter { ($0["kind"] as? String) != "match" }
            #expect(edits.count == 1)
            #expect(edits.first?["kind"] as? String == "replace")
            #expect((edits.first?["leftText"] as? String)?.contains("52.1") == true)
            #expect((edits.first?["rightText"] as? String)?.contains("52.2") == true)
        }
    }

    @Test func dotNetURLEncodedAndJSONBodiesAreAccepted() async throws {
        try await withEnvironment { env, client in
            // .NET: url-encoded, dotted keys, 7-digit fraction. The source is public so it passes validation
            // (fetching happens later, in the worker).
            var headers = env.authorization
            headers[.contentType] = "application/x-www-form-urlencoded"
            let form = "identifier=net-1&left.file_type=pdf&left.source_url=https%3A%2F%2F93.184.216.34%2Fa.pdf&right.file_type=pdf"
                + "&right.source_url=https%3A%2F%2F93.184.216.34%2Fb.pdf&public=true&expiry_time=2099-01-01T00%3A00%3A00.0000000Z"
            let net = try await client.execute(uri: "/api/v1/comparisons", method: .post, headers: headers, body: ByteBuffer(string: form))
            #expect(net.status == .created)
            #expect(net.json["public"] as? Bool == true)
            #expect((net.json["left"] as? [String: Any])?["source_url"] as? String == "https://93.184.216.34/a.pdf")

            headers[.contentType] = "application/json"
            let json = """
                {"identifier": null, "expiry_time": null, "public": false,
                 "left": {"file_type": "pdf", "source_url": "https://93.184.216.34/a.pdf"},
                 "right": {"file_type": "pdf", "source_url": "https://93.184.216.34/b.pdf", "display_name": "B"}}
                """
            let py = try await client.execute(uri: "/api/v1/comparisons", method: .post, headers: headers, body: ByteBuffer(string: json))
            #expect(py.status == .created)
            #expect((py.json["identifier"] as? String)?.isEmpty == false)
            #expect(py.json["expiry_time"] == nil)
        }
    }

    @Test func badRequestsGetClearJSONErrors() async throws {
        try await withEnvironment(maxFileBytes: 1000) { env, client in
            var headers = env.authorization
            headers[.contentType] = "application/json"
            func post(_ body: String, contentType: String = "application/json") async throws -> TestResponse {
                var h = env.authorization
                h[.contentType] = contentType
                return try await client.execute(uri: "/api/v1/comparisons", method: .post, headers: h, body: ByteBuffer(string: body))
            }
            let side = #"{"file_type": "pdf", "source_url": "https://93.184.216.34/a.pdf"}"#
            let cases: [(String, String)] = [
                (#"{"left": {"file_type": "exe", "source_url": "https://93.184.216.34/a"}, "right": \#(side)}"#, "left.file_type"),
                (#"{"right": \#(side)}"#, "left"),
                (#"{"identifier": "a b", "left": \#(side), "right": \#(side)}"#, "identifier"),
                (#"{"expiry_time": "2001-01-01T00:00:00Z", "left": \#(side), "right": \#(side)}"#, "expiry_time"),
                (#"{"expiry_time": "soon", "left": \#(side), "right": \#(side)}"#, "expiry_time"),
                (#"{"left": {"file_type": "pdf", "source_url": "file:///etc/passwd"}, "right": \#(side)}"#, "left.source_url"),
                (#"{"left": {"file_type": "pdf", "source_url": "http://127.0.0.1:9/x.pdf"}, "right": \#(side)}"#, "left.source_url"),
                (#"{"left": {"file_type": "pdf", "source_url": "http://169.254.169.254/latest/meta-data"}, "right": \#(side)}"#, "left.source_url"),
                (#"{"public": "maybe", "left": \#(side), "right": \#(side)}"#, "public"),
            ]
            for (body, field) in cases {
                let response = try await post(body)
                #expect(response.status == .badRequest, "\(body)")
                #expect(response.json[field] != nil, "expected field \(field) in \(response.text)")
                #expect((response.json["detail"] as? String)?.isEmpty == false)
            }
            let malformedJSON = try await post("{not json")
            #expect(malformedJSON.status == .badRequest)
            let malformedMultipart = try await post("garbage without boundary", contentType: "multipart/form-data; boundary=xyz")
            #expect(malformedMultipart.status == .badRequest)
            #expect((malformedMultipart.json["detail"] as? String)?.contains("multipart") == true)
            let unsupported = try await post("x", contentType: "text/csv")
            #expect(unsupported.status == .unsupportedMediaType)

            var both = MultipartBuilder()
            both.field("left.file_type", "txt")
            both.file("left.file", filename: "left.txt", Data("a".utf8))
            both.field("left.source_url", "https://93.184.216.34/a.txt")
            both.field("right.file_type", "pdf")
            both.file("right.file", filename: "right.pdf", Data("not a pdf".utf8))
            let bothResponse = try await post(String(decoding: both.finished(), as: UTF8.self), contentType: both.contentType)
            #expect(bothResponse.status == .badRequest)
            #expect(bothResponse.json["left"] != nil)
            #expect(bothResponse.json["right.file"] != nil)

            let tooBig = try await env.uploadTXT(client, identifier: "big", left: String(repeating: "x", count: 2000), right: "y")
            #expect(tooBig.status == .contentTooLarge)
            #expect((tooBig.json["detail"] as? String)?.contains("1000") == true)

            _ = try await env.uploadTXT(client, identifier: "taken", left: "a", right: "b")
            let duplicate = try await env.uploadTXT(client, identifier: "taken", left: "a", right: "b")
            #expect(duplicate.status == .badRequest)
            #expect(duplicate.json["identifier"] != nil)
        }
    }

    @Test func listGetDeleteAndIsolation() async throws {
        try await withEnvironment { env, client in
            for i in 0..<3 { _ = try await env.uploadTXT(client, identifier: "c\(i)", left: "a \(i)", right: "b \(i)") }
            let all = try await client.execute(uri: "/api/v1/comparisons", method: .get, headers: env.authorization).json
            #expect(all["count"] as? Int == 3)
            #expect((all["results"] as? [[String: Any]])?.compactMap { $0["identifier"] as? String } == ["c2", "c1", "c0"])
            let paged = try await client.execute(uri: "/api/v1/comparisons?limit=1&offset=1", method: .get, headers: env.authorization).json
            #expect(paged["limit"] as? Int == 1)
            #expect((paged["results"] as? [[String: Any]])?.first?["identifier"] as? String == "c1")

            let other = try await env.accounts.create(name: "Other")
            let foreign: HTTPFields = [.authorization: "Token \(other.authToken)"]
            #expect(try await client.execute(uri: "/api/v1/comparisons/c0", method: .get, headers: foreign).status == .notFound)
            #expect(try await client.execute(uri: "/api/v1/comparisons/c0", method: .delete, headers: foreign).status == .notFound)
            #expect(try await client.execute(uri: "/api/v1/comparisons", method: .get, headers: foreign).json["count"] as? Int == 0)

            let deleted = try await client.execute(uri: "/api/v1/comparisons/c0", method: .delete, headers: env.authorization)
            #expect(deleted.status == .noContent)
            #expect(deleted.body.readableBytes == 0)
            let gone = try await client.execute(uri: "/api/v1/comparisons/c0", method: .get, headers: env.authorization)
            #expect(gone.status == .notFound)
            #expect(gone.json["detail"] != nil)
        }
    }

    @Test func corruptPDFEndsFailedWithMessage() async throws {
        try await withEnvironment { env, client in
            var form = MultipartBuilder()
            form.field("identifier", "corrupt")
            form.field("left.file_type", "pdf")
            form.file("left.file", filename: "left.pdf", Data("%PDF-1.4\n1 0 obj garbage".utf8))
            form.field("right.file_type", "txt")
            form.file("right.file", filename: "right.txt", Data("hello".utf8))
            var headers = env.authorization
            headers[.contentType] = form.contentType
            let created = try await client.execute(uri: "/api/v1/comparisons", method: .post, headers: headers, body: ByteBuffer(data: form.finished()))
            #expect(created.status == .created)
            try await env.drainQueue()
            let result = try await client.execute(uri: "/api/v1/comparisons/corrupt", method: .get, headers: env.authorization).json
            #expect(result["ready"] as? Bool == true)
            #expect(result["failed"] as? Bool == true)
            #expect((result["error_message"] as? String)?.isEmpty == false)
            let details = try await client.execute(uri: "/api/v1/comparisons/corrupt/change-details", method: .get, headers: env.authorization)
            #expect(details.status == .badRequest)
        }
    }

    @Test func viewerAccessRules() async throws {
        try await withEnvironment { env, client in
            _ = try await env.uploadTXT(client, identifier: "v1", left: "one two three", right: "one two four")
            try await env.drainQueue()
            let account = env.credentials.accountID
            let base = "/api/v1/comparisons/viewer/\(account)/v1"
            #expect(try await client.execute(uri: base, method: .get).status == .forbidden)
            let validUntil = Int64(Date().timeIntervalSince1970) + 600
            for form in ViewerSignature.PolicyForm.allCases {
                let signature = ViewerSignature.sign(accountID: account, identifier: "v1", validUntil: validUntil, token: env.credentials.authToken, form: form)
                let page = try await client.execute(uri: "\(base)?valid_until=\(validUntil)&signature=\(signature)", method: .get)
                #expect(page.status == .ok)
                #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(page.text.contains("\"status\":\"ready\""))
                #expect(page.headers[.contentSecurityPolicy]?.contains("frame-ancestors *") == true)
                let image = try await client.execute(uri: "\(base)/pages/right/0.png?valid_until=\(validUntil)&signature=\(signature)", method: .get)
                #expect(image.status == .ok)
                #expect(image.body.getBytes(at: 0, length: 4) == [0x89, 0x50, 0x4E, 0x47])
            }
            let good = ViewerSignature.sign(accountID: account, identifier: "v1", validUntil: validUntil, token: env.credentials.authToken)
            let tampered = String(good.reversed())
            #expect(try await client.execute(uri: "\(base)?valid_until=\(validUntil)&signature=\(tampered)", method: .get).status == .forbidden)
            #expect(try await client.execute(uri: "\(base)?valid_until=\(validUntil + 1)&signature=\(good)", method: .get).status == .forbidden)
            let past = Int64(Date().timeIntervalSince1970) - 10
            let expired = ViewerSignature.sign(accountID: account, identifier: "v1", validUntil: past, token: env.credentials.authToken)
            let expiredPage = try await client.execute(uri: "\(base)?valid_until=\(past)&signature=\(expired)", method: .get)
            #expect(expiredPage.status == .forbidden)
            #expect(expiredPage.text.contains("expired"))
            // A link signed with another account's token opens nothing of this account.
            let other = try await env.accounts.create(name: "Other")
            let foreign = ViewerSignature.sign(accountID: account, identifier: "v1", validUntil: validUntil, token: other.authToken)
            #expect(try await client.execute(uri: "\(base)?valid_until=\(validUntil)&signature=\(foreign)", method: .get).status == .forbidden)
            // Waiting for a comparison that does not exist yet shows a waiting page, not an error.
            let waiting = try await client.execute(uri: "/api/v1/comparisons/viewer/\(account)/later?wait", method: .get)
            #expect(waiting.status == .ok)
            #expect(waiting.text.contains("\"status\":\"missing\""))
            #expect(try await client.execute(uri: "/api/v1/comparisons/viewer/\(account)/later", method: .get).status == .notFound)
        }
    }

    @Test func viewerReadsPageSizesFromThePDFOnlyOnce() async throws {
        try await withEnvironment { env, client in
            _ = try await env.uploadTXT(client, identifier: "sizes", left: "one two three", right: "one two four")
            try await env.drainQueue()
            let account = env.credentials.accountID
            let validUntil = Int64(Date().timeIntervalSince1970) + 600
            let signature = ViewerSignature.sign(accountID: account, identifier: "sizes", validUntil: validUntil, token: env.credentials.authToken)
            let url = "/api/v1/comparisons/viewer/\(account)/sizes?valid_until=\(validUntil)&signature=\(signature)"
            let first = try await client.execute(uri: url, method: .get)
            #expect(first.text.contains(#""width":595.2756"#))
            // With the PDFs gone, the sizes still come from the small cached document.
            let comparison = try #require(try await env.comparisons.find(accountID: account, identifier: "sizes"))
            for side in Side.allCases { try await env.blobs.delete(try #require(comparison.side(side).pdfKey)) }
            let second = try await client.execute(uri: url, method: .get)
            #expect(second.status == .ok)
            #expect(second.text.contains(#""width":595.2756"#) && second.text.contains("/pages/left/0.png"))
        }
    }

    @Test func probesDocsAndUnknownRoutes() async throws {
        try await withEnvironment { env, client in
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
            let spec = try await client.execute(uri: "/api/v1/openapi.json", method: .get)
            #expect(spec.status == .ok)
            #expect((spec.json["openapi"] as? String)?.hasPrefix("3.1") == true)
            let unknown = try await client.execute(uri: "/api/v1/nothing-here", method: .get, headers: env.authorization)
            #expect(unknown.status == .notFound)
            #expect(unknown.json["detail"] != nil)
        }
    }
}

@Suite struct ExportAPITests {
    @Test func exportLinksDownloadWithoutAuthOnlyWhileValid() async throws {
        let env = try await TestEnvironment.make()
        do {
            try await env.application().test(.router) { client in
                _ = try await env.uploadTXT(client, identifier: "exp", left: "The fee is 10 EUR.", right: "The fee is 12 EUR.")
                try await env.drainQueue()
                var headers = env.authorization
                headers[.contentType] = "application/json"
                let created = try await client.execute(
                    uri: "/api/v1/exports", method: .post, headers: headers, body: ByteBuffer(string: #"{"comparison": "exp", "kind": "right"}"#))
                #expect(created.status == .created)
                #expect(created.json["failed"] as? Bool == false)
                let identifier = try #require(created.json["identifier"] as? String)
                try await env.drainQueue()
                let ready = try await client.execute(uri: "/api/v1/exports/\(identifier)", method: .get, headers: env.authorization).json
                #expect(ready["ready"] as? Bool == true)
                let url = try #require((ready["url"] as? String).flatMap(URL.init(string:)))
                let path = url.path + "?" + (url.query ?? "")
                let download = try await client.execute(uri: path, method: .get)
                #expect(download.status == .ok)
                #expect(download.body.getString(at: 0, length: 5) == "%PDF-")
                // The same link signed as already expired, and a tampered one, are refused.
                let signer = DownloadLinkSigner(secret: TestEnvironment.secret)
                let past = Int64(Date().timeIntervalSince1970) - 5
                let expired = "/api/v1/exports/\(identifier)/download?account=\(env.credentials.accountID)&valid_until=\(past)"
                    + "&signature=\(signer.signature(accountID: env.credentials.accountID, identifier: identifier, validUntil: past))"
                let refused = try await client.execute(uri: expired, method: .get)
                #expect(refused.status == .forbidden)
                #expect((refused.json["detail"] as? String)?.contains("expired") == true)
                let tampered = try await client.execute(uri: path.replacingOccurrences(of: "signature=", with: "signature=0"), method: .get)
                #expect(tampered.status == .forbidden)
            }
        } catch {
            try await env.tearDown()
            throw error
        }
        try await env.tearDown()
    }
}
