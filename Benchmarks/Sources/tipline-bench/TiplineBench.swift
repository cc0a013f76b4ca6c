import ArgumentParser
import Foundation

/// `tipline-bench`: the measuring and checking tools behind `Benchmarks/` (see Benchmarks/README.md).
///
/// Every subcommand prints figures as `key=value` lines (scripts parse them) followed by a
/// human summary. Nothing here asserts on timing: the scripts compare figures with targets and say so.
@main
struct TiplineBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tipline-bench",
        abstract: "Benchmarks and proof tools for Tipline (Benchmarks/README.md).",
        subcommands: [ScryptCommand.self, BlackboxCommand.self, NetworkBenchCommand.self, SubmitCommand.self, FollowupCommand.self,
                      SeedCommand.self, TriageCommand.self, InsertCommand.self])
}

/// Monotonic nanoseconds.
func monotonicNanos() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

/// Percentile of an ascending-sorted sample (nearest rank).
func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
    return sorted[min(max(rank, 1), sorted.count) - 1]
}

func format(_ value: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", value) }

/// A deployment directory argument shared by several subcommands.
struct DeploymentOption: ParsableArguments {
    @Option(help: "The deployment directory.") var deployment: String
    var url: URL { URL(fileURLWithPath: deployment) }
}

/// Thrown to end with a given exit code after printing.
struct Failed: Error, CustomStringConvertible {
    let description: String
}
