import ArgumentParser
import Foundation
import RedlineCore

/// Flags shared by commands that open the data store; they override the environment.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "Data directory for the embedded SQLite database and blobs (env REDLINE_DATA_DIR, default ./redline-data).")
    var dataDir: String?

    /// The configuration from the environment, with these flags applied.
    func configuration() throws -> RedlineConfiguration {
        var configuration: RedlineConfiguration
        do {
            configuration = try RedlineConfiguration(environment: ProcessInfo.processInfo.environment)
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
        if let dataDir { configuration.dataDirectory = dataDir }
        return configuration
    }
}

/// Flags of the commands that listen for HTTP.
struct ListenOptions: ParsableArguments {
    @Option(name: .long, help: "Address to listen on (env REDLINE_HOST, default 127.0.0.1).")
    var host: String?

    @Option(name: .long, help: "Port to listen on (env REDLINE_PORT, default 8080).")
    var port: Int?

    func apply(to configuration: inout RedlineConfiguration) {
        if let host { configuration.host = host }
        if let port { configuration.port = port }
    }
}
