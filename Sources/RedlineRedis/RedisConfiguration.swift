import Foundation

/// Where and how to reach Redis (or Valkey), from `redis://[[user]:password@]host[:port][/db]`.
public struct RedisConfiguration: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var username: String?
    public var password: String?
    public var database: Int
    /// Connections in the pool; each pipelines many concurrent commands.
    public var poolSize: Int
    public var connectTimeout: Duration
    public var commandTimeout: Duration
    /// TLS (`rediss://`): the server's certificate is verified against the system's roots, or
    /// against `caCertificateFile` when set, and its name against `host`.
    public var tls: Bool
    /// A PEM file of the CA that signed the server's certificate (a private CA, as managed Redis
    /// services and self-hosted setups use): `rediss://host:6379/0?ssl_ca_certs=/path/ca.pem`.
    public var caCertificateFile: String?

    public init(
        host: String, port: Int = 6379, username: String? = nil, password: String? = nil, database: Int = 0, poolSize: Int = 2,
        connectTimeout: Duration = .seconds(2), commandTimeout: Duration = .seconds(2), tls: Bool = false, caCertificateFile: String? = nil
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.poolSize = max(1, poolSize)
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.tls = tls
        self.caCertificateFile = caCertificateFile
    }

    /// Parses a `redis://` or `rediss://` (TLS) URL. A private CA for TLS is named the way
    /// redis-py names it: `?ssl_ca_certs=/path/ca.pem`.
    public init(url string: String) throws {
        guard let components = URLComponents(string: string), let scheme = components.scheme?.lowercased() else {
            throw RedisConfigurationError(description: "The Redis URL must look like redis://host:6379/0.")
        }
        guard scheme == "redis" || scheme == "rediss" else {
            throw RedisConfigurationError(description: "The Redis URL must start with redis:// or rediss://.")
        }
        let caFile = components.queryItems?.first { $0.name == "ssl_ca_certs" }?.value.flatMap { $0.isEmpty ? nil : $0 }
        if caFile != nil, scheme != "rediss" {
            throw RedisConfigurationError(description: "ssl_ca_certs needs a rediss:// (TLS) URL.")
        }
        if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
            throw RedisConfigurationError(description: "The CA file ssl_ca_certs=\(caFile) cannot be read.")
        }
        guard var host = components.host, !host.isEmpty else { throw RedisConfigurationError(description: "The Redis URL has no host.") }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        var path = components.path
        while path.hasPrefix("/") { path.removeFirst() }
        guard path.isEmpty || Int(path) != nil else {
            throw RedisConfigurationError(description: "The Redis URL's path must be a database number (got '\(path)').")
        }
        let user = components.user.flatMap { $0.isEmpty ? nil : $0 }
        self.init(
            host: host, port: components.port ?? 6379, username: user, password: components.password, database: Int(path) ?? 0,
            tls: scheme == "rediss", caCertificateFile: caFile)
    }
}

/// A Redis URL Redline cannot use. Never contains the password.
public struct RedisConfigurationError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// Why a Redis command failed.
public enum RedisError: Error, CustomStringConvertible, Sendable {
    /// Redis answered with an error reply (`-ERR …`).
    case server(String)
    /// No connection could be made (the server is down or unreachable).
    case unavailable(String)
    /// The command got no answer in time; the connection is closed to resynchronise.
    case timeout
    case connectionClosed

    public var description: String {
        switch self {
        case .server(let message): "Redis error: \(message)"
        case .unavailable(let reason): "Redis is unavailable: \(reason)"
        case .timeout: "Redis did not answer in time"
        case .connectionClosed: "The Redis connection closed"
        }
    }
}
