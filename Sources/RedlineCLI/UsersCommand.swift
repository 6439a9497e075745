import ArgumentParser
import Foundation
import Logging
import RedlineCore
import RedlineRedis
import RedlineStorage

/// `redline users …`: web-app users from the command line (the first admin, resets when locked out).
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "Create and list web-app users; issue password reset links.",
        subcommands: [Create.self, List.self, Reset.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a user. Without --password-stdin, prints a one-time link where they choose a password.")
        @OptionGroup var store: StoreOptions
        @Option(name: .long, help: "Email address (what they sign in with).") var email: String
        @Option(name: .long, help: "Display name.") var name: String = ""
        @Flag(name: .long, help: "Make the user an administrator of the account.") var admin = false
        @Option(name: .long, help: "The account id; without it, the only account, or a new one when there is none.") var account: String?
        @Option(name: .long, help: "Name of the new account when one is created.") var accountName: String = "Redline"
        @Flag(name: .long, help: "Read the password from standard input.") var passwordStdin = false
        @Option(name: .long, help: "Base URL for the printed link (default REDLINE_PUBLIC_URL or http://HOST:PORT).") var baseURL: String?
        @Flag(name: .long, help: "Print JSON.") var json = false

        func run() async throws {
            let password = passwordStdin ? readLine(strippingNewline: true) ?? "" : nil
            try await withUserService(store) { backends, users in
                let accountID = try await resolveAccount(backends)
                let (user, token) = try await users.create(
                    accountID: accountID, email: email, name: name, role: admin ? .admin : .member, password: password)
                let link = token.map { "\(base(backends.configuration))/password/\($0)" }
                if json {
                    var object: [String: String] = ["user_id": user.id, "email": user.email, "role": user.role.rawValue, "account_id": accountID]
                    object["password_link"] = link
                    print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self))
                } else {
                    print("Created \(user.role.rawValue) \(user.email) in account \(accountID).")
                    if let link { print("One-time link to choose a password (valid 72 hours): \(link)") }
                }
            }
        }

        func resolveAccount(_ backends: Backends) async throws -> String {
            if let account { return account }
            let accounts = try await backends.accountRepository.list()
            if accounts.count == 1 { return accounts[0].id }
            if accounts.isEmpty { return try await backends.accountService.create(name: accountName).accountID }
            throw RedlineError.invalid("account", "there are \(accounts.count) accounts; choose one with --account (see `redline accounts list`)")
        }

        func base(_ configuration: RedlineConfiguration) -> String {
            baseURL ?? configuration.publicURL ?? "http://\(configuration.host):\(configuration.port)"
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the users of an account (or of every account).")
        @OptionGroup var store: StoreOptions
        @Option(name: .long, help: "The account id.") var account: String?

        func run() async throws {
            try await withUserService(store) { backends, users in
                var accounts = try await backends.accountRepository.list().map(\.id)
                if let account { accounts = [account] }
                for accountID in accounts {
                    for user in try await users.list(accountID: accountID) {
                        print("\(accountID)\t\(user.email)\t\(user.role.rawValue)\t\(user.disabled ? "disabled" : "active")")
                    }
                }
            }
        }
    }

    struct Reset: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a one-time password link for a user and end their sessions.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The user's email.") var email: String
        @Option(name: .long, help: "Base URL for the printed link.") var baseURL: String?

        func run() async throws {
            try await withUserService(store) { backends, users in
                guard let user = try await users.users.find(email: email.lowercased()) else {
                    throw RedlineError.notFound("No user with email '\(email)'.")
                }
                let token = try await users.issuePasswordLink(userID: user.id, accountID: user.accountID)
                let configuration = backends.configuration
                let base = baseURL ?? configuration.publicURL ?? "http://\(configuration.host):\(configuration.port)"
                print("One-time link to choose a password (valid 72 hours): \(base)/password/\(token)")
            }
        }
    }
}

/// Runs `body` with the user service on the configured backends (sessions in Redis when configured).
private func withUserService(
    _ store: StoreOptions, _ body: (Backends, UserService<SQLUserRepository, SQLAccountRepository>) async throws -> Void
) async throws {
    try await withBackends(store) { backends in
        let logger = backends.configuration.logger
        let redis = try backends.configuration.redisURL.map { RedisClient(configuration: try RedisConfiguration(url: $0), logger: logger) }
        let sessions: any SessionStore = redis.map { RedisSessionStore(client: $0) } ?? SQLSessionStore(database: backends.database)
        do {
            try await body(backends, backends.userService(sessions: sessions, logger: logger))
        } catch {
            await redis?.close()
            throw error
        }
        await redis?.close()
    }
}
