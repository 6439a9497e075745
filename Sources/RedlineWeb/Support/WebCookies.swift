import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import RedlineAPI
import RedlineCore

/// Cookies the web app sets: values signed with the server secret (HMAC-SHA256), so a tampered or
/// forged cookie is rejected before any lookup; `HttpOnly`, `SameSite=Lax`, and `Secure` whenever
/// the browser reached us over TLS.
struct WebCookies: Sendable {
    static let session = "redline_session"
    /// The pre-session CSRF token of the sign-in and first-run forms (double-submit).
    static let formToken = "redline_form"

    private let key: Data
    /// `REDLINE_PUBLIC_URL` starting with https forces `Secure` even when a proxy does not say.
    let alwaysSecure: Bool

    init(secret: Data, alwaysSecure: Bool) {
        self.key = Data(HMAC<SHA256>.authenticationCode(for: Data("redline web cookies".utf8), using: SymmetricKey(data: secret)))
        self.alwaysSecure = alwaysSecure
    }

    func sign(_ value: String) -> String {
        value + "." + mac(value)
    }

    /// The value of a signed cookie, or nil when the signature does not match.
    func verify(_ signed: String) -> String? {
        guard let dot = signed.lastIndex(of: ".") else { return nil }
        let value = String(signed[..<dot])
        let signature = String(signed[signed.index(after: dot)...])
        return WebToken.constantTimeEquals(signature, mac(value)) ? value : nil
    }

    private func mac(_ value: String) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Data(value.utf8), using: SymmetricKey(data: key))).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// A verified cookie value from the request.
    func value(_ name: String, in request: Request) -> String? {
        for field in request.headers[values: .cookie] {
            for pair in field.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if parts.count == 2, parts[0] == name, let value = verify(parts[1]) { return value }
            }
        }
        return nil
    }

    func isSecure(_ request: Request) -> Bool {
        alwaysSecure || RequestOrigin.scheme(of: request) == "https"
    }

    /// A `Set-Cookie` value; `maxAge` 0 deletes the cookie.
    func setCookie(_ name: String, value: String, maxAge: Int, request: Request) -> String {
        var cookie = "\(name)=\(maxAge == 0 ? "" : sign(value)); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Lax"
        if isSecure(request) { cookie += "; Secure" }
        return cookie
    }
}
