import ArgumentParser

/// The `redline` binary: every role and admin command of the service.
@main
struct Redline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redline",
        abstract: "Self-hosted document comparison, compatible with the Draftable Compare API v1.",
        subcommands: [
            ServeCommand.self, WorkerCommand.self, SchedulerCommand.self, ConverterCommand.self, MigrateCommand.self, DoctorCommand.self, AccountsCommand.self,
            UsersCommand.self, CompareCommand.self, BenchCommand.self,
        ]
    )
}
