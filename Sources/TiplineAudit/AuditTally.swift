import TiplineCore

/// The audit verifier's tally (one `CheckTally` for every verifier): the failure with the lowest
/// sequence number is first (findings arrive out of order when signatures are verified in
/// parallel batches).
typealias AuditTally = CheckTally<AuditCheckName, AuditFinding>

extension CheckTally where Name == AuditCheckName, Failure == AuditFinding {
    init(_ name: AuditCheckName) {
        self.init(name) { finding, current in
            guard let seq = finding.seq else { return false }
            return current.seq.map { seq < $0 } ?? false
        }
    }

    mutating func fail(seq: Int64?, subject: String?, _ problem: String) {
        fail(AuditFinding(seq: seq, subject: subject, problem: problem))
    }

    var result: AuditCheckResult { AuditCheckResult(name: name, checked: checked, failures: failures, first: first) }
}
