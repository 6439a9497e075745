import Foundation

/// A storage URL or environment Redline cannot use for S3. Messages name the variable to fix and
/// never contain secret values.
public struct S3ConfigurationError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Where temporary or static AWS credentials come from. Kept as data (not a live provider) so the
/// configuration stays a plain value; `S3BlobStore` turns it into a caching provider.
public enum S3CredentialSource: Sendable, Equatable {
    /// Long-lived keys or keys injected by the platform (`AWS_ACCESS_KEY_ID`…).
    case `static`(AWSCredentials)
    /// IRSA / any OIDC federation: exchange the token in `tokenFile` for role credentials at STS
    /// (`AssumeRoleWithWebIdentity`), re-reading the file on every refresh (it rotates).
    case webIdentity(tokenFile: String, roleARN: String, sessionName: String, stsEndpoint: URL)
    /// EKS Pod Identity / ECS task roles: GET `uri` with the token (file) as `Authorization`.
    case container(uri: URL, authorizationTokenFile: String?, authorizationToken: String?)
}

/// Everything `S3BlobStore` needs to reach a bucket on AWS S3 or an S3-compatible server
/// (MinIO, Ceph, R2, moto…).
public struct S3Configuration: Sendable, Equatable {
    public var bucket: String
    /// Prepended to every key ("" or ending in "/").
    public var prefix: String
    public var region: String
    /// The service endpoint without the bucket, e.g. `https://s3.eu-west-1.amazonaws.com` or `http://127.0.0.1:9000`.
    public var endpoint: URL
    /// `https://endpoint/bucket/key` instead of `https://bucket.endpoint/key`.
    public var pathStyle: Bool
    public var credentials: S3CredentialSource

    public init(
        bucket: String, prefix: String = "", region: String, endpoint: URL? = nil, pathStyle: Bool? = nil,
        credentials: S3CredentialSource
    ) {
        self.bucket = bucket
        self.prefix = prefix.isEmpty || prefix.hasSuffix("/") ? prefix : prefix + "/"
        self.region = region
        let custom = endpoint != nil
        self.endpoint = endpoint ?? URL(string: "https://s3.\(region).amazonaws.com")!
        self.pathStyle = pathStyle ?? Self.needsPathStyle(bucket: bucket, endpoint: self.endpoint, custom: custom)
        self.credentials = credentials
    }

    /// Virtual-host addressing needs a DNS-safe bucket and a host name: custom endpoints (MinIO
    /// and friends rarely have wildcard DNS), IP addresses, `localhost` and dotted buckets (TLS
    /// wildcard certificates do not cover them) use path style.
    static func needsPathStyle(bucket: String, endpoint: URL, custom: Bool) -> Bool {
        if custom || bucket.contains(".") { return true }
        let host = endpoint.host ?? ""
        if host == "localhost" || host.contains(":") { return true }
        return host.split(separator: ".").allSatisfy { Int($0) != nil }
    }

    /// The URL of `key` (already prefixed), encoded the S3 way, with optional query pairs (raw).
    /// Amazon S3 itself (not another S3-compatible server): its endpoints are reachable from
    /// browsers, so pre-signed URLs can be handed out by default.
    public var isAmazonS3: Bool {
        endpoint.host?.lowercased().hasSuffix(".amazonaws.com") ?? false
    }

    public func url(forKey key: String, query: [(String, String)] = []) -> URL {
        var base = endpoint.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        let encodedKey = S3URIEncoding.encode(key, keepSlash: true)
        var string: String
        if pathStyle {
            string = "\(base)/\(bucket)" + (key.isEmpty ? "" : "/\(encodedKey)")
        } else {
            let scheme = endpoint.scheme ?? "https"
            let hostAndPort = base.dropFirst(scheme.count + 3)
            string = "\(scheme)://\(bucket).\(hostAndPort)/\(encodedKey)"
        }
        if !query.isEmpty {
            string += "?" + query.map { "\(S3URIEncoding.encode($0.0))=\(S3URIEncoding.encode($0.1))" }.joined(separator: "&")
        }
        return URL(string: string)!
    }

    /// Reads the configuration for `storageURL` (`s3://bucket/optional/prefix`) from the standard
    /// AWS environment variables:
    ///
    /// - region: `AWS_REGION`, `AWS_DEFAULT_REGION` (default `us-east-1`); or `?region=` on the URL
    /// - endpoint: `AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL`; or `?endpoint=`
    /// - addressing: `?path_style=true|false` or `AWS_S3_FORCE_PATH_STYLE` (default: automatic)
    /// - credentials, first match wins: `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`);
    ///   `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN` (+ `AWS_ROLE_SESSION_NAME`, `AWS_ENDPOINT_URL_STS`);
    ///   `AWS_CONTAINER_CREDENTIALS_FULL_URI` (+ `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` or `…_TOKEN`)
    ///   or `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`.
    public static func fromEnvironment(storageURL: String, environment: [String: String]) throws -> S3Configuration {
        guard let components = URLComponents(string: storageURL), components.scheme?.lowercased() == "s3",
            let bucket = components.host, !bucket.isEmpty
        else {
            throw S3ConfigurationError("The storage URL must look like s3://bucket or s3://bucket/prefix (got '\(storageURL)').")
        }
        guard bucket.count >= 3, bucket.count <= 63,
            bucket.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == ".") })
        else {
            throw S3ConfigurationError("'\(bucket)' is not a valid S3 bucket name (3–63 lowercase letters, digits, '-' and '.').")
        }
        var options: [String: String] = [:]
        for item in components.queryItems ?? [] { options[item.name.lowercased()] = item.value ?? "" }
        func env(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }

        let region = options["region"] ?? env("AWS_REGION") ?? env("AWS_DEFAULT_REGION") ?? "us-east-1"
        var endpoint: URL?
        if let raw = options["endpoint"] ?? env("AWS_ENDPOINT_URL_S3") ?? env("AWS_ENDPOINT_URL") {
            guard let url = URL(string: raw), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil
            else { throw S3ConfigurationError("The S3 endpoint '\(raw)' is not an http(s) URL (AWS_ENDPOINT_URL_S3).") }
            endpoint = url
        }
        var pathStyle: Bool?
        if let raw = options["path_style"] ?? env("AWS_S3_FORCE_PATH_STYLE") {
            switch raw.lowercased() {
            case "true", "1", "yes": pathStyle = true
            case "false", "0", "no": pathStyle = false
            default: throw S3ConfigurationError("path_style must be true or false (got '\(raw)').")
            }
        }
        var prefix = components.percentEncodedPath.removingPercentEncoding ?? components.path
        while prefix.hasPrefix("/") { prefix.removeFirst() }
        return S3Configuration(
            bucket: bucket, prefix: prefix, region: region, endpoint: endpoint, pathStyle: pathStyle,
            credentials: try credentialSource(environment: env, region: region))
    }

    private static func credentialSource(environment env: (String) -> String?, region: String) throws -> S3CredentialSource {
        if let key = env("AWS_ACCESS_KEY_ID") {
            guard let secret = env("AWS_SECRET_ACCESS_KEY") else {
                throw S3ConfigurationError("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not.")
            }
            return .static(AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: env("AWS_SESSION_TOKEN")))
        }
        if let tokenFile = env("AWS_WEB_IDENTITY_TOKEN_FILE") {
            guard let role = env("AWS_ROLE_ARN") else {
                throw S3ConfigurationError("AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not.")
            }
            let stsRaw = env("AWS_ENDPOINT_URL_STS") ?? "https://sts.\(region).amazonaws.com"
            guard let sts = URL(string: stsRaw), sts.host != nil else {
                throw S3ConfigurationError("AWS_ENDPOINT_URL_STS '\(stsRaw)' is not a URL.")
            }
            return .webIdentity(
                tokenFile: tokenFile, roleARN: role, sessionName: env("AWS_ROLE_SESSION_NAME") ?? "redline-\(Int(Date().timeIntervalSince1970))",
                stsEndpoint: sts)
        }
        if let full = env("AWS_CONTAINER_CREDENTIALS_FULL_URI") ?? env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI").map({ "http://169.254.170.2\($0)" }) {
            guard let uri = URL(string: full), uri.host != nil else {
                throw S3ConfigurationError("AWS_CONTAINER_CREDENTIALS_FULL_URI '\(full)' is not a URL.")
            }
            return .container(
                uri: uri, authorizationTokenFile: env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"),
                authorizationToken: env("AWS_CONTAINER_AUTHORIZATION_TOKEN"))
        }
        throw S3ConfigurationError(
            "No AWS credentials found for S3. Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or use IRSA "
                + "(AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN) or EKS Pod Identity (AWS_CONTAINER_CREDENTIALS_FULL_URI). "
                + "Instance metadata (IMDS) credentials are not supported.")
    }
}
