import ArgumentParser

/// `tipline-admin`: the staff, auditor and accountant tool. Grouped by noun.
///
/// Exit codes: 0 success; 1 a check failed (audit); 2 usage or input error; 3 not found;
/// 4 refused (permission, state); 5 wrong passphrase; 6 I/O or server unreachable.
@main
struct TiplineAdmin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tipline-admin",
        abstract: "Set up deployments and manage Tipline as centre staff, auditor or accountant.",
        subcommands: [InitCommand.self, KeysCommand.self, ConfigCommand.self, UnlockCommand.self, LockCommand.self,
                      StaffCommand.self, TipsCommand.self, NetworkCommand.self, InfoCommand.self, BulletinCommand.self, BooksCommand.self, StatsCommand.self, AssessCommand.self, LedgerCommand.self, AuditCommand.self,
                      WatchCommand.self, MetricsCommand.self, AgentServeCommand.self])
}
