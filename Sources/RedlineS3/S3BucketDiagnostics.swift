import Foundation
import NIOHTTP1

/// What `redline doctor` learns about the bucket beyond "it takes writes".
public struct S3BucketDiagnostics: Sendable {
    /// Seconds the S3 server's clock is ahead of ours (negative: behind). SigV4 refuses requests
    /// when clocks differ by more than 15 minutes.
    public var clockSkewSeconds: Double?
    /// Whether the bucket has a CORS configuration (the browser viewer loads assets from it).
    public var hasCORS: Bool?
    /// Where credentials come from (never the credentials themselves).
    public var credentialSource: String
}

extension S3BlobStore {
    /// Reads the bucket's CORS configuration and the server's clock.
    public func diagnose() async -> S3BucketDiagnostics {
        var result = S3BucketDiagnostics(clockSkewSeconds: nil, hasCORS: nil, credentialSource: Self.describe(configuration.credentials))
        guard let response = try? await transport.send(.GET, key: "", query: [("cors", "")], operation: "GetBucketCors") else { return result }
        if let header = response.headers.first(name: "date"), let serverDate = Self.httpDate(header) {
            result.clockSkewSeconds = serverDate.timeIntervalSince(Date())
        }
        if response.status == .ok {
            result.hasCORS = String(decoding: response.body, as: UTF8.self).contains("CORSRule")
        } else if response.errorSummary.hasPrefix("NoSuchCORSConfiguration") {
            result.hasCORS = false
        }
        return result
    }

    static func describe(_ source: S3CredentialSource) -> String {
        switch source {
        case .static: "static keys (AWS_ACCESS_KEY_ID)"
        case .webIdentity: "web identity token (EKS IRSA)"
        case .container: "container credentials (EKS Pod Identity / ECS)"
        }
    }

    /// `Sun, 22 Nov 2026 01:50:00 GMT`.
    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}
