public import FuzzSupport
import Sealing
import TiplineCore

/// `FuzzPolicyYAML`: the input as each of the six policy files in turn, the other five being
/// the repository's, through `PolicySet.parse`.
///
/// Properties beyond "no crash, no hang": a refusal names one of the six files; an accepted
/// set keeps the invariants the parsers promise (at least one district and category, an
/// unconditional last routing rule, tiers ordered by urgency, content kept at least as long as
/// identity, a power-of-two scrypt cost, the JSON body bound within the body bound).
public enum PolicyYAMLHarness {
    /// Checks one input against the base policy texts `base` (file name → text).
    public static func check(_ bytes: [UInt8], base: [String: String]) throws(FuzzPropertyViolation) {
        // PolicySet.load refuses a file that is not UTF-8 before parsing it.
        guard let text = String(validating: bytes, as: UTF8.self) else { return }
        for name in PolicySet.fileNames {
            var texts = base
            texts[name] = text
            let policies: PolicySet
            do {
                policies = try PolicySet.parse(texts: texts)
            } catch {
                guard PolicySet.fileNames.contains(error.file) else {
                    throw FuzzPropertyViolation("a refusal names no policy file")
                }
                continue
            }
            try checkInvariants(policies)
        }
    }

    private static func checkInvariants(_ policies: PolicySet) throws(FuzzPropertyViolation) {
        guard !policies.centres.districts.isEmpty, !policies.categories.categories.isEmpty else {
            throw FuzzPropertyViolation("accepted without districts or categories")
        }
        guard let last = policies.routing.rules.last?.condition, last.category == nil, last.district == nil, last.urgency == nil else {
            throw FuzzPropertyViolation("accepted a routing policy that can leave a tip unrouted")
        }
        let timeliness = policies.timeliness
        guard timeliness.dueSeconds(.major) <= timeliness.dueSeconds(.important),
              timeliness.dueSeconds(.important) <= timeliness.dueSeconds(.routine) else {
            throw FuzzPropertyViolation("accepted tiers out of order")
        }
        for period in policies.retention.periods.values where period.contentDays < period.identityDays {
            throw FuzzPropertyViolation("accepted content destroyed before identity")
        }
        let n = policies.security.receiptKDF.n
        guard n >= 2, n & (n - 1) == 0 else { throw FuzzPropertyViolation("accepted a scrypt cost that is not a power of two") }
        let limits = policies.security.limits
        guard limits.maxJSONBodyBytes <= limits.maxBodyBytes else {
            throw FuzzPropertyViolation("accepted a JSON bound above the body bound")
        }
        guard policies.hashes.count == PolicySet.fileNames.count else { throw FuzzPropertyViolation("a file has no hash") }
    }
}
