import Foundation
import Hummingbird
import NIOCore
import NIOFoundationCompat
import RedlineCore

/// The Draftable comparison routes. Handlers decode, call `ComparisonService`, encode.
struct ComparisonController<Comparisons: ComparisonRepository, Blobs: BlobStore> {
    let service: ComparisonService<Comparisons, Blobs>
    /// Largest request body: two files at the per-file limit plus form overhead.
    let maxBodyBytes: Int

    func addRoutes(to group: RouterGroup<RedlineRequestContext>) {
        group.get("comparisons", use: list)
        group.post("comparisons", use: create)
        group.get("comparisons/:identifier", use: get)
        group.delete("comparisons/:identifier", use: delete)
        group.get("comparisons/:identifier/change-details", use: changeDetails)
    }

    @Sendable func list(_ request: Request, context: RedlineRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let query = request.uri.queryParameters
        let limit = try query["limit"].map { try Self.nonNegative(String($0), field: "limit") }
        let offset = try query["offset"].map { try Self.nonNegative(String($0), field: "offset") }
        let page = try await service.list(accountID: account.id, limit: limit, offset: offset ?? 0)
        return try Responses.json(
            ComparisonListPayload(count: page.totalCount, limit: limit, offset: offset, results: page.comparisons.map(ComparisonPayload.init)))
    }

    @Sendable func create(_ request: Request, context: RedlineRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: maxBodyBytes)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw RedlineError.payloadTooLarge("The request body is larger than \(maxBodyBytes) bytes; each file may be at most \(service.maxFileBytes) bytes.")
        }
        let parsed = try CreateComparisonParser.parse(body: Data(buffer: body), contentType: request.headers[.contentType])
        let comparison = try await service.create(accountID: account.id, request: parsed)
        return try Responses.json(ComparisonPayload(comparison), status: .created)
    }

    @Sendable func get(_ request: Request, context: RedlineRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let comparison = try await service.get(accountID: account.id, identifier: try context.parameters.require("identifier"))
        return try Responses.json(ComparisonPayload(comparison))
    }

    @Sendable func delete(_ request: Request, context: RedlineRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        try await service.delete(accountID: account.id, identifier: try context.parameters.require("identifier"))
        return Response(status: .noContent)
    }

    @Sendable func changeDetails(_ request: Request, context: RedlineRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let data = try await service.changeDetails(accountID: account.id, identifier: try context.parameters.require("identifier"))
        return Responses.json(data)
    }

    static func nonNegative(_ text: String, field: String) throws -> Int {
        guard let value = Int(text), value >= 0 else { throw RedlineError.invalid(field, "must be a whole number of at least 0") }
        return value
    }
}
