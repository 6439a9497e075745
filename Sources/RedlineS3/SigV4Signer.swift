import Crypto
import Foundation

/// AWS credentials. `description` never shows the secret or the session token, so logging a
/// value of this type cannot leak them.
public struct AWSCredentials: Sendable, Equatable, CustomStringConvertible {
    public var accessKeyID: String
    public var secretAccessKey: String
    public var sessionToken: String?
    /// When temporary credentials stop working; nil for long-lived keys.
    public var expiration: Date?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
    }

    public var description: String { "AWSCredentials(accessKeyID: \(accessKeyID), secret: <redacted>)" }
}

/// AWS Signature Version 4 for S3, as pure functions of the request, the credentials and a time,
/// so every step is testable against botocore's output (see Tests/RedlineS3Tests/sigv4_vectors.json).
///
/// URLs must already be encoded the S3 way (`S3URIEncoding`); the canonical URI is the encoded
/// path as sent (S3 does not normalise or double-encode), the canonical query is the encoded pairs
/// sorted.
public struct SigV4Signer: Sendable {
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    static let algorithm = "AWS4-HMAC-SHA256"

    public var credentials: AWSCredentials
    public var region: String
    public var service: String

    public init(credentials: AWSCredentials, region: String, service: String = "s3") {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// Hex SHA-256 of a payload, for `x-amz-content-sha256`.
    public static func payloadHash(_ data: Data) -> String { hex(SHA256.hash(data: data)) }

    /// The headers to add to a request: `x-amz-date`, `x-amz-content-sha256`,
    /// `x-amz-security-token` (temporary credentials) and `Authorization`.
    /// `headers` are the request's other headers; all of them are signed.
    public func sign(
        method: String, url: URL, headers: [(String, String)] = [], payloadHash: String, date: Date
    ) -> [(String, String)] {
        let timestamp = Self.timestamp(date)
        var added: [(String, String)] = [("x-amz-date", timestamp), ("x-amz-content-sha256", payloadHash)]
        if let token = credentials.sessionToken { added.append(("x-amz-security-token", token)) }
        let all = headers + added
        let canonical = canonicalRequest(method: method, url: url, headers: all, payloadHash: payloadHash)
        let signature = self.signature(stringToSign: stringToSign(canonicalRequest: canonical.request, date: date), date: date)
        let authorization =
            "\(Self.algorithm) Credential=\(credentials.accessKeyID)/\(scope(date)), SignedHeaders=\(canonical.signedHeaders), Signature=\(signature)"
        return added + [("Authorization", authorization)]
    }

    /// A URL anyone can use for `expires` seconds (max 7 days) without credentials: the signature
    /// travels in the query and only the `host` header is signed.
    public func presignedURL(method: String = "GET", url: URL, expires: Int, date: Date) -> URL {
        var pairs = Self.queryPairs(url)
        var auth: [(String, String)] = [
            ("X-Amz-Algorithm", Self.algorithm),
            ("X-Amz-Credential", "\(credentials.accessKeyID)/\(scope(date))"),
            ("X-Amz-Date", Self.timestamp(date)),
            ("X-Amz-Expires", String(expires)),
            ("X-Amz-SignedHeaders", "host"),
        ]
        if let token = credentials.sessionToken { auth.append(("X-Amz-Security-Token", token)) }
        pairs += auth.map { (S3URIEncoding.encode($0.0), S3URIEncoding.encode($0.1)) }
        let unsignedURL = Self.replacingQuery(of: url, with: pairs)
        let canonical = canonicalRequest(method: method, url: unsignedURL, headers: [], payloadHash: Self.unsignedPayload)
        let signature = self.signature(stringToSign: stringToSign(canonicalRequest: canonical.request, date: date), date: date)
        return Self.replacingQuery(of: url, with: pairs + [("X-Amz-Signature", signature)])
    }

    /// The canonical request and the `;`-joined signed header names. `host` is added from the URL.
    public func canonicalRequest(method: String, url: URL, headers: [(String, String)], payloadHash: String)
        -> (request: String, signedHeaders: String)
    {
        var byName: [String: [String]] = [:]
        for (name, value) in headers {
            let trimmed = value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).joined(separator: " ")
            byName[name.lowercased(), default: []].append(trimmed)
        }
        if byName["host"] == nil { byName["host"] = [Self.hostHeader(url)] }
        let names = byName.keys.sorted()
        let canonicalHeaders = names.map { "\($0):\(byName[$0]!.joined(separator: ","))\n" }.joined()
        let signedHeaders = names.joined(separator: ";")
        let query = Self.queryPairs(url).sorted { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
            .map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        let request = [method.uppercased(), Self.encodedPath(url), query, canonicalHeaders, signedHeaders, payloadHash]
            .joined(separator: "\n")
        return (request, signedHeaders)
    }

    public func stringToSign(canonicalRequest: String, date: Date) -> String {
        [Self.algorithm, Self.timestamp(date), scope(date), Self.hex(SHA256.hash(data: Data(canonicalRequest.utf8)))]
            .joined(separator: "\n")
    }

    /// HMAC chain: secret → date → region → service → "aws4_request".
    public func signingKey(date: Date) -> SymmetricKey {
        var key = SymmetricKey(data: Data("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [Self.day(date), region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        return key
    }

    func signature(stringToSign: String, date: Date) -> String {
        Self.hex(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: signingKey(date: date)))
    }

    func scope(_ date: Date) -> String { "\(Self.day(date))/\(region)/\(service)/aws4_request" }

    // MARK: - Helpers

    /// `YYYYMMDDTHHMMSSZ` in UTC.
    public static func timestamp(_ date: Date) -> String {
        let c = utc.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ v: Int?) -> String { v.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        return "\(c.year ?? 1970)\(two(c.month))\(two(c.day))T\(two(c.hour))\(two(c.minute))\(two(c.second))Z"
    }

    static func day(_ date: Date) -> String { String(timestamp(date).prefix(8)) }

    private static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hostHeader(_ url: URL) -> String {
        let host = url.host ?? ""
        guard let port = url.port else { return host }
        let scheme = url.scheme?.lowercased()
        if (scheme == "http" && port == 80) || (scheme == "https" && port == 443) { return host }
        return "\(host):\(port)"
    }

    static func encodedPath(_ url: URL) -> String {
        let path = URLComponents(url: url, resolvingAgainstBaseURL: false)?.percentEncodedPath ?? ""
        return path.isEmpty ? "/" : path
    }

    /// The query's pairs, still percent-encoded; `a` without `=` reads as `a=`.
    static func queryPairs(_ url: URL) -> [(String, String)] {
        guard let query = URLComponents(url: url, resolvingAgainstBaseURL: false)?.percentEncodedQuery, !query.isEmpty else {
            return []
        }
        return query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            guard let eq = pair.firstIndex(of: "=") else { return (String(pair), "") }
            return (String(pair[..<eq]), String(pair[pair.index(after: eq)...]))
        }
    }

    static func replacingQuery(of url: URL, with pairs: [(String, String)]) -> URL {
        var string = url.absoluteString
        if let q = string.firstIndex(of: "?") { string = String(string[..<q]) }
        if !pairs.isEmpty { string += "?" + pairs.map { "\($0.0)=\($0.1)" }.joined(separator: "&") }
        return URL(string: string)!
    }
}

/// S3's URI encoding: every byte except the RFC 3986 unreserved characters becomes `%XX`
/// (uppercase hex); `/` is kept in object keys.
public enum S3URIEncoding {
    public static func encode(_ string: String, keepSlash: Bool = false) -> String {
        let hexDigits = Array("0123456789ABCDEF".utf8)
        var out = [UInt8]()
        out.reserveCapacity(string.utf8.count)
        for b in string.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.append(b)
            case UInt8(ascii: "/") where keepSlash:
                out.append(b)
            default:
                out.append(UInt8(ascii: "%"))
                out.append(hexDigits[Int(b >> 4)])
                out.append(hexDigits[Int(b & 0xF)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Reverses `encode` (and `+`-free form encoding), for keys from `encoding-type=url` listings.
    public static func decode(_ string: String) -> String {
        string.removingPercentEncoding ?? string
    }
}
