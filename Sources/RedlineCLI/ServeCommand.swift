import ArgumentParser
import RedlineAPI
import RedlineCore
import RedlineObservability

/// `redline serve`: API, viewer, docs; on the embedded default also the worker, scheduler and converter.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the API and viewer; unless --api-only, also the worker, scheduler and converter in-process.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var listen: ListenOptions

    @Flag(name: .long, help: "Serve HTTP only: run `redline worker`, `redline scheduler` and `redline converter` separately.")
    var apiOnly = false

    func run() async throws {
        var configuration = try store.configuration()
        listen.apply(to: &configuration)
        let apiOnly = self.apiOnly
        // The embedded default migrates itself; with PostgreSQL, `redline migrate` runs first as its own step.
        try await RoleRunner.run(configuration, role: apiOnly ? "api" : "serve", migrate: configuration.databaseURL == nil) { roles in
            let services = apiOnly ? [] : roles.converterServices() + [roles.worker(), roles.scheduler()]
            return (try roles.serveRouter(), services)
        }
    }
}
