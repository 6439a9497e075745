import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Supplies credentials for signing; temporary ones are refreshed before they expire.
public protocol AWSCredentialProvider: Sendable {
    func credentials() async throws -> AWSCredentials
}

/// Fixed keys.
public struct StaticCredentialProvider: AWSCredentialProvider {
    public let value: AWSCredentials
    public init(_ value: AWSCredentials) { self.value = value }
    public func credentials() async throws -> AWSCredentials { value }
}

/// Caches credentials from `fetch` and fetches again five minutes before they expire, with one
/// fetch in flight however many requests are waiting.
public actor RefreshingCredentialProvider: AWSCredentialProvider {
    private let fetch: @Sendable () async throws -> AWSCredentials
    private var cached: AWSCredentials?
    private var inFlight: Task<AWSCredentials, any Error>?
    private let refreshMargin: TimeInterval

    public init(refreshMargin: TimeInterval = 300, fetch: @escaping @Sendable () async throws -> AWSCredentials) {
        self.fetch = fetch
        self.refreshMargin = refreshMargin
    }

    public func credentials() async throws -> AWSCredentials {
        if let cached, cached.expiration.map({ $0.timeIntervalSinceNow > refreshMargin }) ?? true { return cached }
        if let inFlight { return try await inFlight.value }
        let task = Task { try await fetch() }
        inFlight = task
        defer { inFlight = nil }
        do {
            let fresh = try await task.value
            cached = fresh
            return fresh
        } catch {
            // Keep using credentials that still work rather than failing every request.
            if let cached, let expiry = cached.expiration, expiry > Date() { return cached }
            throw error
        }
    }
}

/// Fetches temporary credentials from STS or the container credentials endpoint.
enum CredentialFetchers {
    static func provider(for source: S3CredentialSource, http: HTTPClient) -> any AWSCredentialProvider {
        switch source {
        case .static(let credentials):
            return StaticCredentialProvider(credentials)
        case .webIdentity(let tokenFile, let roleARN, let sessionName, let sts):
            return RefreshingCredentialProvider {
                try await assumeRoleWithWebIdentity(tokenFile: tokenFile, roleARN: roleARN, sessionName: sessionName, sts: sts, http: http)
            }
        case .container(let uri, let tokenFile, let token):
            return RefreshingCredentialProvider {
                try await containerCredentials(uri: uri, tokenFile: tokenFile, token: token, http: http)
            }
        }
    }

    static func assumeRoleWithWebIdentity(
        tokenFile: String, roleARN: String, sessionName: String, sts: URL, http: HTTPClient
    ) async throws -> AWSCredentials {
        let token = try readToken(tokenFile, variable: "AWS_WEB_IDENTITY_TOKEN_FILE")
        let form = [
            ("Action", "AssumeRoleWithWebIdentity"), ("Version", "2011-06-15"), ("RoleArn", roleARN),
            ("RoleSessionName", sessionName), ("WebIdentityToken", token), ("DurationSeconds", "3600"),
        ].map { "\(S3URIEncoding.encode($0.0))=\(S3URIEncoding.encode($0.1))" }.joined(separator: "&")
        var request = HTTPClientRequest(url: sts.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/xml")
        request.body = .bytes(ByteBuffer(string: form))
        let (status, body) = try await send(request, http: http, what: "STS AssumeRoleWithWebIdentity")
        guard status == .ok else {
            let code = S3XML.value("Code", in: body) ?? "HTTP \(status.code)"
            let message = S3XML.value("Message", in: body) ?? ""
            throw S3CredentialError(description: "STS refused AssumeRoleWithWebIdentity for \(roleARN): \(code) \(message)")
        }
        return try parseSTS(body)
    }

    static func parseSTS(_ xml: String) throws -> AWSCredentials {
        guard let key = S3XML.value("AccessKeyId", in: xml), let secret = S3XML.value("SecretAccessKey", in: xml) else {
            throw S3CredentialError(description: "STS returned no credentials in its AssumeRoleWithWebIdentity response.")
        }
        return AWSCredentials(
            accessKeyID: key, secretAccessKey: secret, sessionToken: S3XML.value("SessionToken", in: xml),
            expiration: S3XML.value("Expiration", in: xml).flatMap(parseISO8601))
    }

    static func containerCredentials(uri: URL, tokenFile: String?, token: String?, http: HTTPClient) async throws -> AWSCredentials {
        var request = HTTPClientRequest(url: uri.absoluteString)
        if let tokenFile {
            request.headers.add(name: "Authorization", value: try readToken(tokenFile, variable: "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"))
        } else if let token {
            request.headers.add(name: "Authorization", value: token)
        }
        let (status, body) = try await send(request, http: http, what: "the container credentials endpoint")
        guard status == .ok else {
            throw S3CredentialError(description: "The container credentials endpoint answered HTTP \(status.code).")
        }
        return try parseContainer(Data(body.utf8))
    }

    static func parseContainer(_ json: Data) throws -> AWSCredentials {
        struct Response: Decodable {
            var AccessKeyId: String
            var SecretAccessKey: String
            var Token: String?
            var Expiration: String?
        }
        guard let response = try? JSONDecoder().decode(Response.self, from: json) else {
            throw S3CredentialError(description: "The container credentials endpoint returned no credentials.")
        }
        return AWSCredentials(
            accessKeyID: response.AccessKeyId, secretAccessKey: response.SecretAccessKey, sessionToken: response.Token,
            expiration: response.Expiration.flatMap(parseISO8601))
    }

    /// ISO 8601 with or without fractional seconds of any length (STS sends up to six digits).
    static func parseISO8601(_ string: String) -> Date? {
        var text = string.trimmingCharacters(in: .whitespaces)
        var fraction = 0.0
        if let dot = text.firstIndex(of: ".") {
            let digitsEnd = text[text.index(after: dot)...].firstIndex { !$0.isNumber } ?? text.endIndex
            fraction = Double("0" + text[dot..<digitsEnd]) ?? 0
            text.removeSubrange(dot..<digitsEnd)
        }
        return ISO8601DateFormatter().date(from: text).map { $0.addingTimeInterval(fraction) }
    }

    private static func readToken(_ path: String, variable: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw S3CredentialError(description: "Cannot read the token file \(path) named by \(variable).")
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func send(_ request: HTTPClientRequest, http: HTTPClient, what: String) async throws -> (HTTPResponseStatus, String) {
        do {
            let response = try await http.execute(request, timeout: .seconds(20))
            let body = try await response.body.collect(upTo: 1 << 20)
            return (response.status, String(buffer: body))
        } catch let error as S3CredentialError {
            throw error
        } catch {
            throw S3CredentialError(description: "Cannot reach \(what): \(error)")
        }
    }
}

/// Fetching temporary credentials failed. The message never includes tokens or secrets.
public struct S3CredentialError: Error, CustomStringConvertible, Sendable {
    public var description: String
}
