import Foundation

/// Every setting Redline reads, in one typed place.
///
/// Values come from environment variables (documented here and in the README) and may be
/// overridden by command-line flags. Invalid values stop the process at start with one message.
/// Variables Kubernetes injects for services (`REDIS_PORT`, `*_SERVICE_HOST`...) are never read:
/// every key is prefixed `REDLINE_`.
public struct RedlineConfiguration: Sendable {
    /// `REDLINE_DATA_DIR` (default `./redline-data`): SQLite database, blobs and the server secret in embedded mode.
    public var dataDirectory: String = "./redline-data"
    /// `REDLINE_DATABASE_URL`: `postgres://user:password@host:5432/db?sslmode=require`. Unset: SQLite in the data directory.
    public var databaseURL: String?
    /// `REDLINE_DATABASE_POOL_SIZE` (default 10): PostgreSQL connections per process.
    public var databasePoolSize: Int = 10
    /// `REDLINE_DATABASE_CONNECTION_WAIT_SECONDS` (default 5): how long a statement waits for a pooled
    /// PostgreSQL connection before failing as transient (503, job retried), e.g. while the database restarts.
    public var databaseConnectionWaitSeconds: Int = 5
    /// `REDLINE_STORAGE_URL`: `s3://bucket/prefix` (with the standard AWS variables) or a directory. Unset: `<data dir>/blobs`.
    public var storageURL: String?
    /// `REDLINE_REDIS_URL`: `redis://[:password@]host:6379/0` for shared rate limits and caching. Optional.
    public var redisURL: String?
    /// `REDLINE_RATE_LIMIT_PER_MINUTE` (default 600): API requests per account per minute (shared through Redis when configured).
    public var rateLimitPerMinute: Int = 600
    /// `REDLINE_HOST` (default `127.0.0.1`).
    public var host: String = "127.0.0.1"
    /// `REDLINE_PORT` (default `8080`).
    public var port: Int = 8080
    /// `REDLINE_MAX_FILE_BYTES` (default 40 MB): largest accepted document per side.
    public var maxFileBytes: Int = 40_000_000
    /// `REDLINE_MAX_PAGES` (default 1000): largest accepted page count per side.
    public var maxPages: Int = 1000
    /// `REDLINE_FETCH_ALLOWLIST`: comma-separated CIDRs (`10.0.0.0/8,127.0.0.1/32`) that `source_url`
    /// may reach although they are private, loopback or link-local. Empty by default.
    public var fetchAllowlist: [String] = []
    /// `REDLINE_FETCH_TIMEOUT_SECONDS` (default 30): total time to download one `source_url`.
    public var fetchTimeoutSeconds: Int = 30
    /// `REDLINE_FRAME_ANCESTORS` (default `*`): CSP `frame-ancestors` for the viewer, so customers can embed it.
    public var frameAncestors: String = "*"
    /// `REDLINE_WORKER_CONCURRENCY` (default 2): comparisons one worker process runs at once.
    public var workerConcurrency: Int = 2
    /// `REDLINE_JOB_LEASE_SECONDS` (default 60): how long a claimed job stays leased without a heartbeat.
    public var jobLeaseSeconds: Int = 60
    /// `REDLINE_JOB_MAX_ATTEMPTS` (default 3): tries before a comparison fails for a transient error.
    public var jobMaxAttempts: Int = 3
    /// `REDLINE_SCHEDULER_INTERVAL_SECONDS` (default 30): how often expired comparisons are deleted.
    public var schedulerIntervalSeconds: Int = 30
    /// `REDLINE_SECRET_KEY`: server secret that seals tokens at rest. Embedded default: generated once
    /// into `<data dir>/secret.key`.
    public var secretKey: String?
    /// `REDLINE_LOG_LEVEL` (default `info`): trace, debug, info, notice, warning, error, critical.
    public var logLevel: String = "info"
    /// `REDLINE_PUBLIC_URL`: the external base URL (`https://redline.example.com`) used in links the API
    /// returns (export downloads). Unset: taken from each request's Host and X-Forwarded-Proto.
    public var publicURL: String?
    /// `REDLINE_CORS_ORIGINS`: comma-separated origins (`https://app.example.com`) allowed to call the API from a browser.
    public var corsOrigins: [String] = []
    /// `REDLINE_LOG_FORMAT` (default `text`): `text` or `json` (one JSON object per line, for log pipelines).
    public var logFormat: String = "text"
    /// `REDLINE_CONVERTER_URL`: the `redline converter` role to send Office files to. Unset: convert in-process.
    public var converterURL: String?
    /// `REDLINE_CONVERTER_POOL_SIZE` (default 2): warm LibreOffice processes per converter.
    public var converterPoolSize: Int = 2
    /// `REDLINE_CONVERTER_MAX_CONVERSIONS` (default 50): conversions before an office process is recycled.
    public var converterMaxConversions: Int = 50
    /// `REDLINE_CONVERTER_TIMEOUT_SECONDS` (default 120): time one conversion may take before its process is killed.
    public var converterTimeoutSeconds: Int = 120
    /// `REDLINE_TRACKED_CHANGES` (default `accept`): compare Word files as printed with tracked changes
    /// accepted (`accept`), rejected (`reject`), or shown as LibreOffice prints them (`show`).
    public var trackedChanges: String = "accept"
    /// `REDLINE_TRACING` (`off` or `otlp`): OpenTelemetry traces over OTLP/HTTP. Default `off`, or `otlp`
    /// when the standard `OTEL_TRACES_EXPORTER=otlp`, `OTEL_EXPORTER_OTLP_ENDPOINT` or
    /// `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is set (and `OTEL_SDK_DISABLED` is not `true`). The
    /// exporter's own settings are the standard `OTEL_*` variables (endpoint, headers, service name).
    public var tracing: String = "off"
    /// `REDLINE_OTEL_EXPORTER_OTLP_ENDPOINT`: the collector's OTLP/HTTP base URL
    /// (`http://otel-collector:4318`; traces go to `/v1/traces`), as the Helm chart's
    /// `config.otelExporterOtlpEndpoint` sets it. Turns tracing on. The standard
    /// `OTEL_EXPORTER_OTLP_ENDPOINT` / `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` win when also set.
    public var otlpEndpoint: String?
    /// `REDLINE_STORAGE_DIRECT_URLS` (`auto`, `on`, `off`; default `auto`): with S3 storage, send clients
    /// to the bucket by pre-signed URL for export downloads and viewer page images. `auto`: on for
    /// Amazon S3, off for other S3-compatible endpoints (`AWS_ENDPOINT_URL_S3`), which browsers often
    /// cannot reach (compose's `http://s3:5000`); then Redline serves the bytes itself.
    public var storageDirectURLs: String = "auto"
    /// `REDLINE_WEB` (default `on`): serve the web app for people (sign-in, compare, history,
    /// administration) beside the API; `off` serves the API and viewer only.
    public var webEnabled: Bool = true
    /// `REDLINE_LOGIN_ATTEMPTS_PER_MINUTE` (default 10): sign-in attempts per email per minute (three
    /// times as many per client address); wrong passwords also lock a user after 5 in a row for 15 minutes.
    public var loginAttemptsPerMinute: Int = 10
    /// `REDLINE_BCRYPT_COST` (default 12): bcrypt work factor for web passwords (4–16).
    public var bcryptCost: Int = 12

    public init() {}

    /// Reads the environment. Throws `ConfigurationError` naming the variable and what is wrong.
    public init(environment: [String: String]) throws {
        self.init()
        let reader = EnvironmentReader(environment: environment)
        dataDirectory = reader.string("REDLINE_DATA_DIR") ?? dataDirectory
        databaseURL = reader.string("REDLINE_DATABASE_URL")
        if let url = databaseURL, !(url.hasPrefix("postgres://") || url.hasPrefix("postgresql://")) {
            throw ConfigurationError(variable: "REDLINE_DATABASE_URL", message: "must start with postgres:// (unset it to use the embedded SQLite database)")
        }
        databasePoolSize = try reader.int("REDLINE_DATABASE_POOL_SIZE", in: 1...500) ?? databasePoolSize
        databaseConnectionWaitSeconds =
            try reader.int("REDLINE_DATABASE_CONNECTION_WAIT_SECONDS", in: 1...300) ?? databaseConnectionWaitSeconds
        storageURL = reader.string("REDLINE_STORAGE_URL")
        redisURL = reader.string("REDLINE_REDIS_URL")
        if let url = redisURL, !(url.hasPrefix("redis://") || url.hasPrefix("rediss://")) {
            throw ConfigurationError(variable: "REDLINE_REDIS_URL", message: "must start with redis:// or rediss://")
        }
        rateLimitPerMinute = try reader.int("REDLINE_RATE_LIMIT_PER_MINUTE", in: 1...1_000_000) ?? rateLimitPerMinute
        host = reader.string("REDLINE_HOST") ?? host
        port = try reader.int("REDLINE_PORT", in: 0...65535) ?? port
        maxFileBytes = try reader.int("REDLINE_MAX_FILE_BYTES", in: 1...2_000_000_000) ?? maxFileBytes
        maxPages = try reader.int("REDLINE_MAX_PAGES", in: 1...100_000) ?? maxPages
        fetchAllowlist = reader.list("REDLINE_FETCH_ALLOWLIST") ?? []
        for entry in fetchAllowlist where CIDR(entry) == nil {
            throw ConfigurationError(variable: "REDLINE_FETCH_ALLOWLIST", message: "'\(entry)' is not a CIDR such as 10.0.0.0/8 or 127.0.0.1/32")
        }
        fetchTimeoutSeconds = try reader.int("REDLINE_FETCH_TIMEOUT_SECONDS", in: 1...3600) ?? fetchTimeoutSeconds
        frameAncestors = reader.string("REDLINE_FRAME_ANCESTORS") ?? frameAncestors
        workerConcurrency = try reader.int("REDLINE_WORKER_CONCURRENCY", in: 1...64) ?? workerConcurrency
        jobLeaseSeconds = try reader.int("REDLINE_JOB_LEASE_SECONDS", in: 5...3600) ?? jobLeaseSeconds
        jobMaxAttempts = try reader.int("REDLINE_JOB_MAX_ATTEMPTS", in: 1...20) ?? jobMaxAttempts
        schedulerIntervalSeconds = try reader.int("REDLINE_SCHEDULER_INTERVAL_SECONDS", in: 1...86400) ?? schedulerIntervalSeconds
        secretKey = reader.string("REDLINE_SECRET_KEY")
        if let key = secretKey, key.utf8.count < 32 {
            throw ConfigurationError(variable: "REDLINE_SECRET_KEY", message: "must be at least 32 characters")
        }
        publicURL = reader.string("REDLINE_PUBLIC_URL").map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        if let url = publicURL, URL(string: url)?.host == nil {
            throw ConfigurationError(variable: "REDLINE_PUBLIC_URL", message: "must be an absolute URL such as https://redline.example.com")
        }
        corsOrigins = reader.list("REDLINE_CORS_ORIGINS") ?? []
        for origin in corsOrigins where origin != "*" && URL(string: origin)?.host == nil {
            throw ConfigurationError(variable: "REDLINE_CORS_ORIGINS", message: "'\(origin)' is not an origin such as https://app.example.com")
        }
        logFormat = reader.string("REDLINE_LOG_FORMAT") ?? logFormat
        guard ["text", "json"].contains(logFormat) else {
            throw ConfigurationError(variable: "REDLINE_LOG_FORMAT", message: "must be text or json")
        }
        converterURL = reader.string("REDLINE_CONVERTER_URL")
        if let url = converterURL, URL(string: url)?.host == nil || !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            throw ConfigurationError(variable: "REDLINE_CONVERTER_URL", message: "must be an http(s) URL such as http://redline-converter:8081, not '\(url)'")
        }
        converterPoolSize = try reader.int("REDLINE_CONVERTER_POOL_SIZE", in: 1...32) ?? converterPoolSize
        converterMaxConversions = try reader.int("REDLINE_CONVERTER_MAX_CONVERSIONS", in: 1...100_000) ?? converterMaxConversions
        converterTimeoutSeconds = try reader.int("REDLINE_CONVERTER_TIMEOUT_SECONDS", in: 5...3600) ?? converterTimeoutSeconds
        trackedChanges = reader.string("REDLINE_TRACKED_CHANGES") ?? trackedChanges
        guard ["accept", "reject", "show"].contains(trackedChanges) else {
            throw ConfigurationError(variable: "REDLINE_TRACKED_CHANGES", message: "must be accept, reject or show, not '\(trackedChanges)'")
        }
        otlpEndpoint = reader.string("REDLINE_OTEL_EXPORTER_OTLP_ENDPOINT").map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        if let url = otlpEndpoint, URL(string: url)?.host == nil || !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            throw ConfigurationError(
                variable: "REDLINE_OTEL_EXPORTER_OTLP_ENDPOINT", message: "must be an http(s) URL such as http://otel-collector:4318, not '\(url)'")
        }
        tracing = try Self.tracing(reader)
        storageDirectURLs = reader.string("REDLINE_STORAGE_DIRECT_URLS") ?? storageDirectURLs
        guard ["auto", "on", "off"].contains(storageDirectURLs) else {
            throw ConfigurationError(variable: "REDLINE_STORAGE_DIRECT_URLS", message: "must be auto, on or off, not '\(storageDirectURLs)'")
        }
        switch reader.string("REDLINE_WEB")?.lowercased() {
        case nil, "on", "true", "1": webEnabled = true
        case "off", "false", "0": webEnabled = false
        case let other?: throw ConfigurationError(variable: "REDLINE_WEB", message: "must be on or off, not '\(other)'")
        }
        loginAttemptsPerMinute = try reader.int("REDLINE_LOGIN_ATTEMPTS_PER_MINUTE", in: 1...10_000) ?? loginAttemptsPerMinute
        bcryptCost = try reader.int("REDLINE_BCRYPT_COST", in: 4...16) ?? bcryptCost
        logLevel = reader.string("REDLINE_LOG_LEVEL") ?? logLevel
        let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
        guard levels.contains(logLevel) else {
            throw ConfigurationError(variable: "REDLINE_LOG_LEVEL", message: "must be one of \(levels.joined(separator: ", "))")
        }
    }
}

extension RedlineConfiguration {
    /// Whether to export traces: the standard OpenTelemetry opt-outs (`OTEL_SDK_DISABLED=true`,
    /// `OTEL_TRACES_EXPORTER=none`) always win, as the OpenTelemetry SDK itself would honour them;
    /// then `REDLINE_TRACING`; otherwise the standard variables decide, so a collector sidecar's
    /// usual environment turns tracing on.
    static func tracing(_ reader: EnvironmentReader) throws -> String {
        let otelDisabled = reader.string("OTEL_SDK_DISABLED")?.lowercased() == "true"
        let exporter = reader.string("OTEL_TRACES_EXPORTER")?.lowercased()
        let explicit = reader.string("REDLINE_TRACING")
        if let explicit, !["off", "otlp"].contains(explicit) {
            throw ConfigurationError(variable: "REDLINE_TRACING", message: "must be off or otlp, not '\(explicit)'")
        }
        let setting: String
        if otelDisabled || exporter == "none" {
            setting = "off"
        } else if let explicit {
            setting = explicit
        } else if exporter == "otlp" || reader.string("OTEL_EXPORTER_OTLP_ENDPOINT") != nil
            || reader.string("REDLINE_OTEL_EXPORTER_OTLP_ENDPOINT") != nil
            || reader.string("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != nil
        {
            setting = "otlp"
        } else {
            setting = "off"
        }
        if let exporter, setting == "otlp", exporter != "otlp" {
            throw ConfigurationError(variable: "OTEL_TRACES_EXPORTER", message: "must be otlp (the only trace exporter built in), not '\(exporter)'")
        }
        // The signal-specific variable wins over the shared one, as in every OpenTelemetry SDK.
        let key = reader.string("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL") != nil ? "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL" : "OTEL_EXPORTER_OTLP_PROTOCOL"
        if setting == "otlp", let proto = reader.string(key), proto != "http/protobuf" {
            throw ConfigurationError(variable: key, message: "must be http/protobuf (only the OTLP/HTTP exporter is built in), not '\(proto)'")
        }
        return setting
    }
}

/// A configuration value that cannot be used.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public var variable: String
    public var message: String

    public init(variable: String, message: String) {
        self.variable = variable
        self.message = message
    }

    public var description: String { "Invalid configuration: \(variable) \(message)." }
}

struct EnvironmentReader {
    let environment: [String: String]

    func string(_ key: String) -> String? {
        guard let value = environment[key]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    func int(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let raw = string(key) else { return nil }
        guard let value = Int(raw), range.contains(value) else {
            throw ConfigurationError(variable: key, message: "must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(raw)'")
        }
        return value
    }

    func list(_ key: String) -> [String]? {
        string(key).map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
    }
}
