import Hummingbird
import RedlineCore

/// Per-account request budget on the API (shared by every replica when Redis is configured).
/// Over budget: 429 with `Retry-After`; a limiter whose backend is down lets requests through.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = RedlineRequestContext
    let limiter: any RateLimiter
    let perMinute: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let account = context.account else { return try await next(request, context) }
        guard await limiter.allow(key: "account:\(account.id)", limit: perMinute, window: 60) else {
            var response = Responses.error(
                .tooManyRequests, "Too many requests: this account may make \(perMinute) API requests per minute. Retry shortly.")
            response.headers[.retryAfter] = "10"
            return response
        }
        return try await next(request, context)
    }
}
