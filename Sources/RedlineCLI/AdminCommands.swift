import ArgumentParser
import Foundation
import RedlineCore
import RedlineStorage

/// `redline migrate`: applies pending schema migrations (forward-only, versioned).
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply pending database schema migrations.")

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let configuration = try store.configuration()
        let backends = try await Backends.open(configuration, migrate: true, logger: configuration.logger)
        let version = try await Migrator(database: backends.database).currentVersion()
        print("Database schema is at version \(version).")
        await backends.close()
    }
}

/// `redline accounts …`: manage accounts and their API tokens.
struct AccountsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accounts", abstract: "Create, list and delete accounts; rotate API tokens.",
        subcommands: [Create.self, List.self, RotateToken.self, Delete.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an account and print its id and API token.")
        @OptionGroup var store: StoreOptions
        @Option(name: .long, help: "A name for the account.") var name: String
        @Flag(name: .long, help: "Print {\"account_id\", \"auth_token\"} as JSON.") var json = false

        func run() async throws {
            try await withBackends(store) { backends in
                let service = backends.accountService
                let credentials = try await service.create(name: name)
                printCredentials(credentials, json: json)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List accounts.")
        @OptionGroup var store: StoreOptions
        @Flag(name: .long, help: "Print JSON.") var json = false

        func run() async throws {
            try await withBackends(store) { backends in
                let service = backends.accountService
                let accounts = try await service.accounts.list()
                if json {
                    let rows = accounts.map { ["account_id": $0.id, "name": $0.name, "created_at": Timestamp.format($0.createdAt)] }
                    print(String(decoding: try JSONSerialization.data(withJSONObject: rows, options: [.sortedKeys]), as: UTF8.self))
                } else {
                    for account in accounts { print("\(account.id)\t\(account.name)\t\(Timestamp.format(account.createdAt))") }
                }
            }
        }
    }

    struct RotateToken: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rotate-token", abstract: "Issue a new API token; the old one stops working.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The account id.") var accountID: String
        @Flag(name: .long, help: "Print JSON.") var json = false

        func run() async throws {
            try await withBackends(store) { backends in
                let service = backends.accountService
                printCredentials(try await service.rotateToken(accountID: accountID), json: json)
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete an account with all its comparisons.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The account id.") var accountID: String

        func run() async throws {
            try await withBackends(store) { backends in
                guard try await backends.accountRepository.delete(id: accountID) else {
                    throw RedlineError.notFound("No account with id '\(accountID)'.")
                }
                try await backends.blobs.deleteAll(prefix: "accounts/\(accountID)/")
                print("Deleted account \(accountID).")
            }
        }
    }
}

/// Opens the store for an admin command, closes it afterwards, and turns domain errors into messages.
func withBackends(_ store: StoreOptions, _ body: (Backends) async throws -> Void) async throws {
    let configuration = try store.configuration()
    let backends = try await Backends.open(configuration, migrate: true, logger: configuration.logger)
    do {
        try await body(backends)
    } catch let error as RedlineError {
        await backends.close()
        throw ValidationError(error.description)
    } catch {
        await backends.close()
        throw error
    }
    await backends.close()
}

private func printCredentials(_ credentials: IssuedCredentials, json: Bool) {
    if json {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        print(String(decoding: (try? encoder.encode(credentials)) ?? Data(), as: UTF8.self))
    } else {
        print("account_id: \(credentials.accountID)\nauth_token: \(credentials.authToken)")
        print("Keep the token safe: it is shown only now.")
    }
}
