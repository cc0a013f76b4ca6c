public import TiplineCore

extension RewardPolicy {
    /// Reads `rewards.yaml` (docs/LEDGER.md "rewards.yaml"): every key required, unknown keys
    /// refused, then `validated()`; a fault is a `PolicyError` naming the file, the line and the key,
    /// so a deployment whose file is broken refuses to start and says where.
    public static func parse(file: String, text: String) throws(PolicyError) -> RewardPolicy {
        let doc = try PolicyNode.document(file: file, text: text)
        try doc.onlyKeys(["version", "claim_window_seconds", "max_single_reward_fen", "approval", "tiers"])
        let approval = try doc.mapping("approval")
        try approval.onlyKeys(["distinct_people", "proposer_roles", "approver_roles"])
        func roles(_ key: String) throws(PolicyError) -> [StaffRole] {
            var result: [StaffRole] = []
            for node in try approval.array(key) {
                let name = try node.asString()
                guard let role = StaffRole(rawValue: name) else { throw node.error("unknown role") }
                result.append(role)
            }
            return result
        }
        let tiers = try doc.mapping("tiers")
        try tiers.onlyKeys(["administrative", "criminal", "illegal_publishing_turnover", "equipment_lead", "harms_minors_online"])
        let fenRange = 0...Int(Int64(1) << 53)
        func band(_ key: String) throws(PolicyError) -> Band {
            let node = try tiers.mapping(key)
            try node.onlyKeys(["min_fen", "max_fen"])
            return Band(minFen: Int64(try node.int("min_fen", in: fenRange)), maxFen: Int64(try node.int("max_fen", in: fenRange)))
        }
        func share(_ key: String) throws(PolicyError) -> Share {
            let node = try tiers.mapping(key)
            try node.onlyKeys(["max_basis_points"])
            return Share(maxBasisPoints: Int64(try node.int("max_basis_points", in: 1...10_000)))
        }
        let minors = try tiers.mapping("harms_minors_online")
        try minors.onlyKeys(["max_fen"])
        let policy = RewardPolicy(
            version: 1,
            claimWindowSeconds: Int64(try doc.int("claim_window_seconds", in: 86_400...(10 * 366 * 86_400))),
            maxSingleRewardFen: Int64(try doc.int("max_single_reward_fen", in: fenRange)),
            approval: Approval(distinctPeople: try approval.int("distinct_people", in: 2...2),
                               proposerRoles: try roles("proposer_roles"), approverRoles: try roles("approver_roles")),
            tiers: Tiers(administrative: try band("administrative"), criminal: try band("criminal"),
                         illegalPublishingTurnover: try share("illegal_publishing_turnover"),
                         equipmentLead: try share("equipment_lead"),
                         harmsMinorsOnline: Cap(maxFen: Int64(try minors.int("max_fen", in: fenRange)))))
        do {
            return try policy.validated()
        } catch {
            // The rules across keys (bands inside the single cap, roles the permission table allows):
            // point at the key or section the message names.
            let message: String
            if case .invalidPolicy(let what) = error { message = what } else { message = error.description }
            let key = String(message.prefix { !$0.isWhitespace })
            let section = key.hasPrefix("approval") ? doc.child("approval") : key.hasPrefix("tiers") ? doc.child("tiers") : doc
            var node = section
            for part in key.split(separator: ".").dropFirst() where node.has(String(part)) { node = node.child(String(part)) }
            throw PolicyError(file: file, line: node.line, key: node.path, message: message)
        }
    }
}
