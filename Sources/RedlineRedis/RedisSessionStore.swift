import Foundation
import RedlineCore

/// Web sessions in Redis/Valkey (the seeds' "Redis for caching and sessions"): every replica sees
/// them, and Redis expires them by TTL. A per-user set lets "sign out everywhere" find them.
///
/// Unlike the rate limiter and cache, sessions do not fail open: when Redis is down, signed-in
/// requests fail rather than being let through unauthenticated.
public struct RedisSessionStore: SessionStore {
    let client: RedisClient

    public init(client: RedisClient) {
        self.client = client
    }

    static func key(_ idHash: String) -> String { "redline:session:\(idHash)" }
    static func userKey(_ userID: String) -> String { "redline:user-sessions:\(userID)" }

    public func create(_ session: WebSession) async throws {
        let ttl = max(1, Int(session.expiresAt.timeIntervalSinceNow.rounded(.up)))
        let data = try JSONEncoder().encode(session)
        _ = try await client.command(["SET", Self.key(session.idHash), String(decoding: data, as: UTF8.self), "EX", String(ttl)])
        _ = try await client.command(["SADD", Self.userKey(session.userID), session.idHash])
        _ = try await client.command(["EXPIRE", Self.userKey(session.userID), String(ttl)])
    }

    public func find(idHash: String) async throws -> WebSession? {
        guard case .bulkString(let bytes) = try await client.command(["GET", Self.key(idHash)]) else { return nil }
        guard let session = try? JSONDecoder().decode(WebSession.self, from: Data(bytes)), session.expiresAt > Date() else { return nil }
        return session
    }

    public func delete(idHash: String) async throws {
        _ = try await client.command(["DEL", Self.key(idHash)])
    }

    public func deleteAll(userID: String) async throws {
        if case .array(let members) = try await client.command(["SMEMBERS", Self.userKey(userID)]) {
            for case .bulkString(let id) in members {
                _ = try await client.command(["DEL", Self.key(String(decoding: id, as: UTF8.self))])
            }
        }
        _ = try await client.command(["DEL", Self.userKey(userID)])
    }
}
