import Foundation
import Logging
import RedlineCore
import RedlinePostgres
import RedlineS3
import RedlineStorage
import ServiceLifecycle

/// The backends a process runs on, chosen by configuration: SQLite or PostgreSQL, local disk or
/// S3. Everything above sees only the seams (`SQLDatabase`, `BlobStore`, repositories, queue).
struct Backends {
    let configuration: RedlineConfiguration
    let database: any SQLDatabase
    let blobs: AnyBlobStore
    let accountRepository: SQLAccountRepository
    let comparisonRepository: SQLComparisonRepository
    let exportRepository: SQLExportRepository
    let queue: SQLJobQueue
    let sealer: TokenSealer
    let downloadLinks: DownloadLinkSigner
    /// The server secret (signs web cookies; sealing and download links derive from it too).
    let secret: Data
    /// Long-running pieces of the backends (the Postgres pool and its job listener).
    private let background: Task<Void, Never>?

    /// Opens the backends; with `migrate`, applies pending migrations (under an advisory lock on
    /// PostgreSQL), otherwise refuses a schema this build does not know.
    static func open(_ configuration: RedlineConfiguration, migrate: Bool, logger: Logger) async throws -> Backends {
        let signal = AsyncSignal()
        let database: any SQLDatabase
        var background: Task<Void, Never>?
        let secret: Data
        if let url = configuration.databaseURL {
            guard let key = configuration.secretKey else {
                throw ConfigurationError(
                    variable: "REDLINE_SECRET_KEY", message: "is required with REDLINE_DATABASE_URL: every process must share the same secret")
            }
            secret = Data(key.utf8)
            let postgres = try PostgresDatabase(
                url: url, maximumConnections: configuration.databasePoolSize,
                connectionWait: .seconds(configuration.databaseConnectionWaitSeconds), logger: logger)
            let listener = PostgresJobListener(database: postgres, signal: signal, logger: logger)
            background = Task {
                await withDiscardingTaskGroup { group in
                    group.addTask { await postgres.run() }
                    group.addTask { await listener.run() }
                }
            }
            database = postgres
            if migrate {
                let applied = try await postgres.migrateWithLock()
                if !applied.isEmpty { logger.info("schema migrated", metadata: ["versions": "\(applied)"]) }
            }
        } else {
            let root = URL(fileURLWithPath: configuration.dataDirectory)
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            database = try await SQLiteDatabase.open(path: root.appendingPathComponent("redline.sqlite").path, logger: logger)
            secret = try localSecret(configuration, root: root)
            if migrate {
                let applied = try await Migrator(database: database).migrate()
                if !applied.isEmpty { logger.info("schema migrated", metadata: ["versions": "\(applied)"]) }
            }
        }
        do {
            try await Migrator(database: database).checkCompatible()
        } catch {
            background?.cancel()
            throw error
        }
        return Backends(
            configuration: configuration,
            database: database,
            blobs: try blobStore(configuration, logger: logger),
            accountRepository: SQLAccountRepository(database: database),
            comparisonRepository: SQLComparisonRepository(database: database, maxAttempts: configuration.jobMaxAttempts, workSignal: signal),
            exportRepository: SQLExportRepository(database: database, maxAttempts: configuration.jobMaxAttempts, workSignal: signal),
            queue: SQLJobQueue(database: database, workSignal: signal),
            sealer: TokenSealer(secret: secret),
            downloadLinks: DownloadLinkSigner(secret: secret),
            secret: secret,
            background: background
        )
    }

    var accountService: AccountService<SQLAccountRepository> {
        AccountService(accounts: accountRepository, sealer: sealer)
    }

    /// Web-app users; sessions in `sessions` (SQL unless Redis is configured).
    func userService(sessions: any SessionStore, logger: Logger) -> UserService<SQLUserRepository, SQLAccountRepository> {
        UserService(
            users: SQLUserRepository(database: database), sessions: sessions, accounts: accountService,
            hasher: BcryptPasswordHasher(cost: UInt8(configuration.bcryptCost)), logger: logger)
    }

    func close() async {
        if let sqlite = database as? SQLiteDatabase { try? await sqlite.close() }
        background?.cancel()
        await background?.value
    }

    /// `REDLINE_STORAGE_URL`: `s3://bucket/prefix`, a directory, or (unset) `<data dir>/blobs`.
    static func blobStore(_ configuration: RedlineConfiguration, logger: Logger) throws -> AnyBlobStore {
        guard let url = configuration.storageURL else {
            return AnyBlobStore(try LocalBlobStore(root: URL(fileURLWithPath: configuration.dataDirectory).appendingPathComponent("blobs")))
        }
        if url.hasPrefix("s3://") {
            do {
                let s3 = try S3Configuration.fromEnvironment(storageURL: url, environment: ProcessInfo.processInfo.environment)
                let direct = configuration.storageDirectURLs == "on" || (configuration.storageDirectURLs == "auto" && s3.isAmazonS3)
                return AnyBlobStore(S3BlobStore(configuration: s3, logger: logger, directURLs: direct))
            } catch let error as S3ConfigurationError {
                throw ConfigurationError(variable: "REDLINE_STORAGE_URL", message: error.description)
            }
        }
        let path = url.hasPrefix("file://") ? String(url.dropFirst("file://".count)) : url
        return AnyBlobStore(try LocalBlobStore(root: URL(fileURLWithPath: path)))
    }

    /// `REDLINE_SECRET_KEY`, or a random secret generated once into `<data dir>/secret.key` (mode 0600).
    static func localSecret(_ configuration: RedlineConfiguration, root: URL) throws -> Data {
        if let key = configuration.secretKey { return Data(key.utf8) }
        let file = root.appendingPathComponent("secret.key")
        if let existing = try? Data(contentsOf: file), existing.count >= 32 { return existing }
        var bytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255, using: &generator) }
        let data = Data(bytes.hexString.utf8)
        guard FileManager.default.createFile(atPath: file.path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw ConfigurationError(variable: "REDLINE_DATA_DIR", message: "is not writable: cannot create \(file.path)")
        }
        return data
    }
}

extension RedlineConfiguration {
    var logger: Logger {
        var logger = Logger(label: "redline")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        return logger
    }
}
