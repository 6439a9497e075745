import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import RedlineAPI
import RedlineCore

/// The web app's server-rendered pages: Mustache templates shipped as resources, rendered with
/// HTML escaping, sent with headers that keep them out of frames, caches and other origins' reach.
struct WebPages: Sendable {
    let library: MustacheLibrary

    /// Loads every `*.mustache` template from the target's `Resources/web` folder.
    static func load() throws -> WebPages {
        guard let root = WebAssets.root else { throw WebAssetsMissing() }
        var library = MustacheLibrary()
        let files = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasSuffix(".mustache") }
        for file in files {
            let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            try library.register(text, named: String(file.dropLast(".mustache".count)))
        }
        return WebPages(library: library)
    }

    /// Renders `template` with the page's values plus what every page shows (who is signed in,
    /// the CSRF token, navigation state).
    func render(_ template: String, _ values: [String: Any], context: WebContext, status: HTTPResponse.Status = .ok) -> Response {
        var object = values
        object["csrf"] = context.csrfToken
        if let user = context.user {
            object["signedIn"] = true
            object["userName"] = user.name
            object["userEmail"] = user.email
            object["isAdmin"] = user.isAdmin
        }
        object["nav_" + (values["nav"] as? String ?? "")] = true
        let html = library.render(object, withTemplate: template) ?? "<!doctype html><title>Redline</title><p>Page template '\(template)' is missing."
        return Response(status: status, headers: Self.headers(contentType: "text/html; charset=utf-8"), body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// A page that only says something: errors, refusals, dead links.
    func message(_ title: String, _ message: String, context: WebContext, status: HTTPResponse.Status) -> Response {
        render("message", ["title": title, "message": message], context: context, status: status)
    }

    /// The answer to a form whose CSRF token (or origin) does not check out.
    func formExpired(_ context: WebContext) -> Response {
        message(
            "Form expired", "This form could not be verified (it expired or came from another site). Go back, reload the page and try again.",
            context: context, status: .forbidden)
    }

    func comparisonNotFound(_ context: WebContext) -> Response {
        message(
            "Comparison not found", "There is no such comparison in your account. It may have been deleted or expired.", context: context,
            status: .notFound)
    }

    /// Security headers for every web page: same-origin everything, never framed, never cached.
    static func headers(contentType: String) -> HTTPFields {
        [
            .contentType: contentType,
            .contentSecurityPolicy:
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            HTTPField.Name("X-Frame-Options")!: "DENY",
            HTTPField.Name("X-Content-Type-Options")!: "nosniff",
            HTTPField.Name("Referrer-Policy")!: "same-origin",
            .cacheControl: "no-store",
        ]
    }

    static func redirect(_ location: String, cookies: [String] = []) -> Response {
        var headers: HTTPFields = [.location: location, .cacheControl: "no-store"]
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return Response(status: .seeOther, headers: headers)
    }
}

/// The web app's templates, styles and script, shipped as package resources.
enum WebAssets {
    static let root: URL? = {
        let bundle = Bundle.module
        let candidates = [bundle.bundleURL.appendingPathComponent("Resources/web"), bundle.resourceURL?.appendingPathComponent("web")]
            .compactMap { $0 }
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("layout.mustache").path) }
    }()

    static func data(_ name: String) -> Data? {
        guard !name.contains(".."), !name.contains("/"), let root else { return nil }
        return try? Data(contentsOf: root.appendingPathComponent(name))
    }
}

struct WebAssetsMissing: Error, CustomStringConvertible {
    var description: String { "the web app's templates are missing from the installation (RedlineWeb resources)" }
}
