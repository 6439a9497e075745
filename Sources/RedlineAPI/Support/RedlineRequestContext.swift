import Foundation
import HTTPTypes
import Hummingbird
import RedlineCore

/// Per-request state: the account an API token authenticated, once the auth middleware ran.
public struct RedlineRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var account: Account?
    /// The signed-in person and their session, once the web app's session middleware ran.
    public var user: User?
    public var session: WebSession?
    /// The peer address, for per-client limits such as sign-in attempts.
    public let remoteAddress: String?

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.account = nil
        self.remoteAddress = source.channel.remoteAddress?.ipAddress
    }

    /// The authenticated account; the auth middleware guarantees it on API routes.
    func requireAccount() throws -> Account {
        guard let account else { throw RedlineError.unauthorized("Authentication credentials were not provided.") }
        return account
    }
}

/// `scheme://host` the client used, honouring a reverse proxy's X-Forwarded-Proto.
package enum RequestOrigin {
    package static func of(_ request: Request) -> String {
        let host = request.head.authority ?? "127.0.0.1"
        return "\(scheme(of: request))://\(host)"
    }

    package static func scheme(of request: Request) -> String {
        request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.split(separator: ",").first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        } ?? "http"
    }
}
