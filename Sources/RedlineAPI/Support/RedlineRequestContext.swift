import Hummingbird
import RedlineCore

/// Per-request state: the account an API token authenticated, once the auth middleware ran.
public struct RedlineRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var account: Account?

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.account = nil
    }

    /// The authenticated account; the auth middleware guarantees it on API routes.
    func requireAccount() throws -> Account {
        guard let account else { throw RedlineError.unauthorized("Authentication credentials were not provided.") }
        return account
    }
}
