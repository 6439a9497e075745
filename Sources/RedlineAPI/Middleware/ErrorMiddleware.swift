import Foundation
import Hummingbird
import Logging
import RedlineCore

/// Turns every error into a JSON body a Draftable client can parse, with a message that says
/// what to fix. Nothing escapes as an empty 500.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as RedlineError {
            return Self.response(for: error)
        } catch let error as UnsupportedMediaType {
            return Responses.error(
                .unsupportedMediaType,
                "Content-Type '\(error.contentType)' is not supported; send application/json, multipart/form-data or application/x-www-form-urlencoded.")
        } catch let error as HTTPError {
            switch error.status {
            case .notFound: return Responses.error(.notFound, "No route for \(request.method) \(request.uri.path).")
            case .contentTooLarge: return Responses.error(.contentTooLarge, "The request body is larger than this server accepts.")
            case .methodNotAllowed: return Responses.error(.methodNotAllowed, "Method \(request.method) is not allowed here.")
            default: return Responses.error(error.status, error.body ?? error.status.reasonPhrase)
            }
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            return Responses.error(.internalServerError, "Internal error; the server logged the details.")
        }
    }

    static func response(for error: RedlineError) -> Response {
        switch error {
        case .validation(let detail, let fields): Responses.error(.badRequest, detail, fields: fields)
        case .conflict(let detail, let field): Responses.error(.badRequest, detail, fields: [field: [detail]])
        case .unauthorized(let message): Responses.error(.unauthorized, message)
        case .notFound(let message): Responses.error(.notFound, message)
        case .payloadTooLarge(let message): Responses.error(.contentTooLarge, message)
        case .badDocument(let message): Responses.error(.badRequest, message)
        case .transient(let message): Responses.error(.serviceUnavailable, message)
        case .notImplemented(let message): Responses.error(.notImplemented, message)
        }
    }
}
