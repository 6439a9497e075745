import Foundation
import Hummingbird
import RedlineCore

/// Authenticates `Authorization: Token <auth_token>` and puts the account in the context.
struct TokenAuthMiddleware<Accounts: AccountRepository>: RouterMiddleware {
    typealias Context = RedlineRequestContext
    let accounts: AccountService<Accounts>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw RedlineError.unauthorized("Authentication credentials were not provided: send the header 'Authorization: Token <auth_token>'.")
        }
        let parts = header.split(separator: " ", maxSplits: 1).map(String.init)
        guard parts.count == 2, ["token", "bearer"].contains(parts[0].lowercased()) else {
            throw RedlineError.unauthorized("The Authorization header must be 'Token <auth_token>'.")
        }
        var context = context
        context.account = try await accounts.authenticate(token: parts[1].trimmingCharacters(in: .whitespaces))
        return try await next(request, context)
    }
}
