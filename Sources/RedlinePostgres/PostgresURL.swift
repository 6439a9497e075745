import Foundation
import PostgresNIO

/// A `postgres://` URL Redline cannot use. The message never contains the password.
public struct PostgresURLError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// The parts of a `postgres://user:pass@host:port/db?sslmode=…` URL (also `postgresql://`),
/// parsed the way libpq users expect so operators can paste the URL their provider gives them.
///
/// - `sslmode`: `disable`; `allow`/`prefer` (default: TLS when the server offers it);
///   `require` (TLS, certificate not verified, as in libpq); `verify-ca`; `verify-full`.
/// - `sslrootcert=/path/ca.pem` trusts that CA instead of the system roots.
/// - `host=/run/postgresql` connects through that Unix socket directory instead of TCP.
/// - User and password may be percent-encoded.
public struct PostgresURL: Sendable, Equatable {
    public var host: String?
    public var port: Int
    public var unixSocketPath: String?
    public var username: String
    public var password: String?
    public var database: String?
    public var sslMode: String
    public var sslRootCertificate: String?

    public init(_ string: String) throws {
        guard let components = URLComponents(string: string),
            let scheme = components.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql"
        else {
            throw PostgresURLError(description: "The database URL must look like postgres://user:password@host:5432/database.")
        }
        guard let user = components.user, !user.isEmpty else {
            throw PostgresURLError(description: "The database URL has no user name (postgres://USER@host/database).")
        }
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] { query[item.name.lowercased()] = item.value ?? "" }
        var database = components.path
        if database.hasPrefix("/") { database.removeFirst() }
        username = user
        password = components.password
        self.database = database.isEmpty ? nil : database
        port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw PostgresURLError(description: "The database URL's port \(port) is out of range.") }
        sslMode = (query["sslmode"] ?? "prefer").lowercased()
        guard ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"].contains(sslMode) else {
            throw PostgresURLError(
                description: "Unknown sslmode '\(sslMode)' in the database URL; use disable, prefer, require, verify-ca or verify-full.")
        }
        sslRootCertificate = query["sslrootcert"].flatMap { $0.isEmpty ? nil : $0 }
        if let socketDirectory = query["host"], socketDirectory.hasPrefix("/") {
            unixSocketPath = "\(socketDirectory)/.s.PGSQL.\(port)"
            return
        }
        var host = components.host ?? ""
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw PostgresURLError(description: "The database URL has no host name.") }
        self.host = host
    }

    /// The PostgresNIO client configuration (TLS settings from `sslMode`).
    public func configuration() -> PostgresClient.Configuration {
        if let unixSocketPath {
            return PostgresClient.Configuration(unixSocketPath: unixSocketPath, username: username, password: password, database: database)
        }
        return PostgresClient.Configuration(
            host: host ?? "localhost", port: port, username: username, password: password, database: database, tls: tls())
    }

    private func tls() -> PostgresClient.Configuration.TLS {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let sslRootCertificate { tls.trustRoots = .file(sslRootCertificate) }
        switch sslMode {
        case "disable":
            return .disable
        case "allow", "prefer":
            tls.certificateVerification = .none
            return .prefer(tls)
        case "require":
            tls.certificateVerification = .none
            return .require(tls)
        case "verify-ca":
            tls.certificateVerification = .noHostnameVerification
            return .require(tls)
        default:
            return .require(tls)
        }
    }
}

extension PostgresDatabase {
    /// The PostgresNIO configuration for a `postgres://` URL (see `PostgresURL`).
    public static func configuration(fromURL string: String) throws -> PostgresClient.Configuration {
        try PostgresURL(string).configuration()
    }
}
