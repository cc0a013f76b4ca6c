import ArgumentParser
import Foundation
import Sealing
import TiplineCore
import TiplineDeployment

/// `tipline-bench scrypt`: times the receipt KDF at the deployment's parameters and prints the
/// KDF bound of intake throughput, `cores / scrypt time` (every tip costs one derivation).
struct ScryptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scrypt", abstract: "Time Scrypt.derive at the deployment's receipt_kdf and print the KDF bound.")

    @OptionGroup var target: DeploymentOption
    @Option(help: "Seconds to spend on each measurement.") var seconds: Double = 2

    func run() throws {
        let deployment = try Deployment.open(at: target.url)
        let parameters = deployment.policies.security.receiptKDF
        let salt = SecureRandom.bytes(32)
        let password = Array("tipline:v1:receipt:0000111122223333".utf8)
        _ = try Scrypt.derive(password: password, salt: salt, parameters: parameters, length: 64)

        // One thread: samples of `batch` derivations each (≥ ~5 ms a sample), until `seconds` pass.
        var perOp: [Double] = []
        var batch = 1
        let deadline = monotonicNanos() + UInt64(seconds * 1e9)
        while monotonicNanos() < deadline || perOp.count < 5 {
            let start = monotonicNanos()
            for _ in 0..<batch { _ = try Scrypt.derive(password: password, salt: salt, parameters: parameters, length: 64) }
            let elapsed = Double(monotonicNanos() - start) / 1e9
            if elapsed < 0.005 { batch *= 2; continue }
            perOp.append(elapsed / Double(batch))
        }
        perOp.sort()
        let median = percentile(perOp, 50)
        let cores = ProcessInfo.processInfo.activeProcessorCount

        // All cores at once (what the gate does under load): memory bandwidth may make it scale worse.
        let perThread = max(1, Int(seconds / median / 2))
        let start = monotonicNanos()
        DispatchQueue.concurrentPerform(iterations: cores) { _ in
            for _ in 0..<perThread { _ = try? Scrypt.derive(password: password, salt: salt, parameters: parameters, length: 64) }
        }
        let parallelRate = Double(cores * perThread) / (Double(monotonicNanos() - start) / 1e9)
        let bound = Double(cores) / median

        print("scrypt_n=\(parameters.n)")
        print("scrypt_r=\(parameters.r)")
        print("scrypt_p=\(parameters.p)")
        print("scrypt_ms=\(format(median * 1000, 4))")
        print("scrypt_ms_min=\(format(perOp.first! * 1000, 4))")
        print("cores=\(cores)")
        print("kdf_bound_per_s=\(format(bound, 1))")
        print("kdf_parallel_measured_per_s=\(format(parallelRate, 1))")
        FileHandle.standardError.write(Data("""
            scrypt N=\(parameters.n) r=\(parameters.r) p=\(parameters.p): \(format(median * 1000, 3)) ms per derivation (median of \(perOp.count) samples)
            KDF bound: \(cores) cores / \(format(median * 1000, 3)) ms = \(format(bound, 1)) tips/s (measured on all cores at once: \(format(parallelRate, 1))/s)

            """.utf8))
    }
}
