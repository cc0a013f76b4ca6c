/// Counts for one check while the verifier runs; keeps the failure with the lowest sequence number
/// (findings may arrive out of order when signatures are verified in parallel batches).
struct CheckTally {
    let name: AuditCheckName
    var checked = 0
    var failures = 0
    var first: AuditFinding?

    init(_ name: AuditCheckName) { self.name = name }

    mutating func fail(_ finding: AuditFinding) {
        failures += 1
        guard let current = first else { first = finding; return }
        if let seq = finding.seq, current.seq.map({ seq < $0 }) ?? false { first = finding }
    }

    mutating func fail(seq: Int64?, subject: String?, _ problem: String) {
        fail(AuditFinding(seq: seq, subject: subject, problem: problem))
    }

    var result: AuditCheckResult { AuditCheckResult(name: name, checked: checked, failures: failures, first: first) }
}
