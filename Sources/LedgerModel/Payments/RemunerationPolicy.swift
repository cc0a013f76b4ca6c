public import TiplineCore

/// The city's rates for adopted information and its unit subsidies (S-3.4, 三(五)), as in
/// `Policies/remuneration.yaml` (docs/LEDGER.md "remuneration.yaml"). Amounts are integer fen.
///
/// An adoption at a level earns that level's `text_fen`, plus `picture_fen` for each picture the
/// item carries; an item's payments together never exceed `per_item_fen`, and one named author's
/// remuneration in a China-time year never exceeds `per_person_year_fen` (an informant's, which
/// the ledger cannot link to a person, is bounded by the server, which can). Subsidies go to the
/// units ranked first, second, … in the frozen assessment, `grants_fen[rank - 1]` each.
public struct RemunerationPolicy: Sendable, Equatable {
    /// What one adoption at a level earns.
    public struct Rate: Sendable, Equatable {
        /// For the text.
        public var textFen: Int64
        /// For each picture.
        public var pictureFen: Int64

        public init(textFen: Int64, pictureFen: Int64) {
            self.textFen = textFen
            self.pictureFen = pictureFen
        }
    }

    /// Who proposes and who approves (always two different people).
    public struct Approval: Sendable, Equatable {
        public var proposerRoles: [StaffRole]
        public var approverRoles: [StaffRole]

        public init(proposerRoles: [StaffRole], approverRoles: [StaffRole]) {
            self.proposerRoles = proposerRoles
            self.approverRoles = approverRoles
        }
    }

    public var version: Int
    /// How long an informant's voucher can be redeemed, in seconds.
    public var claimWindowSeconds: Int64
    /// The rate of each adoption level (every level has one).
    public var rates: [AdoptionLevel: Rate]
    /// The most an item's payments may total.
    public var perItemFen: Int64
    /// The most one named author (or one informant, checked by the server) may receive in a year.
    public var perPersonYearFen: Int64
    /// Who proposes and approves remuneration.
    public var remunerationApproval: Approval
    /// The grant of each rank, first to last.
    public var subsidyGrantsFen: [Int64]
    /// Who proposes and approves subsidies.
    public var subsidyApproval: Approval

    public init(version: Int = 1, claimWindowSeconds: Int64, rates: [AdoptionLevel: Rate], perItemFen: Int64,
                perPersonYearFen: Int64, remunerationApproval: Approval, subsidyGrantsFen: [Int64], subsidyApproval: Approval) {
        self.version = version
        self.claimWindowSeconds = claimWindowSeconds
        self.rates = rates
        self.perItemFen = perItemFen
        self.perPersonYearFen = perPersonYearFen
        self.remunerationApproval = remunerationApproval
        self.subsidyGrantsFen = subsidyGrantsFen
        self.subsidyApproval = subsidyApproval
    }

    /// The approval rule of `scheme`.
    public func approval(_ scheme: PaymentScheme) -> Approval {
        scheme == .remuneration ? remunerationApproval : subsidyApproval
    }

    /// Returns the policy if it is consistent, else `.invalidPolicy` naming the key.
    public func validated() throws(LedgerError) -> RemunerationPolicy {
        func fail(_ what: String) -> LedgerError { .invalidPolicy(what) }
        guard version == 1 else { throw fail("version must be 1") }
        guard claimWindowSeconds >= 86_400, claimWindowSeconds <= 10 * 366 * 86_400 else {
            throw fail("claim_window_seconds must be between one day and ten years")
        }
        for level in AdoptionLevel.allCases {
            guard let rate = rates[level] else { throw fail("rates.\(level.rawValue) is missing") }
            guard rate.textFen >= 0, rate.pictureFen >= 0, rate.textFen <= perItemFen, rate.pictureFen <= perItemFen else {
                throw fail("rates.\(level.rawValue) needs 0 <= text_fen, picture_fen <= caps.per_item_fen")
            }
        }
        guard perItemFen > 0, perItemFen <= perPersonYearFen, perPersonYearFen <= 100_000_000 else {
            throw fail("caps need 0 < per_item_fen <= per_person_year_fen <= 100000000")
        }
        guard (1...50).contains(subsidyGrantsFen.count), subsidyGrantsFen.allSatisfy({ $0 > 0 && $0 <= 1_000_000_000 }),
              zip(subsidyGrantsFen, subsidyGrantsFen.dropFirst()).allSatisfy({ $0 >= $1 }) else {
            throw fail("subsidy.grants_fen must list 1 to 50 positive amounts, highest rank first, none rising")
        }
        for (name, approval, propose) in [("approval", remunerationApproval, StaffAction.proposeRemuneration),
                                          ("subsidy.approval", subsidyApproval, StaffAction.proposeSubsidy)] {
            guard !approval.proposerRoles.isEmpty, approval.proposerRoles.allSatisfy(propose.allows) else {
                throw fail("\(name).proposer_roles may only name roles allowed to \(propose.rawValue) ("
                           + propose.allowedRoles.map(\.rawValue).sorted().joined(separator: ", ") + ")")
            }
            guard !approval.approverRoles.isEmpty, approval.approverRoles.allSatisfy(StaffAction.approvePayment.allows) else {
                throw fail("\(name).approver_roles may only name roles allowed to approve payments ("
                           + StaffAction.approvePayment.allowedRoles.map(\.rawValue).sorted().joined(separator: ", ") + ")")
            }
        }
        return self
    }

    /// What one adoption at `level` of an item with `pictures` pictures earns, before caps.
    public func price(level: AdoptionLevel, pictures: Int) -> Fen {
        let rate = rates[level] ?? Rate(textFen: 0, pictureFen: 0)
        let count = Int64(max(0, min(pictures, 1_000)))
        return Fen(rate.textFen + count * rate.pictureFen)
    }

    /// A stable text form of the whole policy, hashed into every payment proposal.
    public var canonicalText: String {
        var lines = ["version=\(version)", "claim_window_seconds=\(claimWindowSeconds)"]
        for level in AdoptionLevel.allCases {
            let rate = rates[level] ?? Rate(textFen: 0, pictureFen: 0)
            lines.append("rates.\(level.rawValue)=\(rate.textFen)/\(rate.pictureFen)")
        }
        lines += ["caps.per_item_fen=\(perItemFen)", "caps.per_person_year_fen=\(perPersonYearFen)",
                  "approval.proposer_roles=\(remunerationApproval.proposerRoles.map(\.rawValue).joined(separator: ","))",
                  "approval.approver_roles=\(remunerationApproval.approverRoles.map(\.rawValue).joined(separator: ","))",
                  "subsidy.grants_fen=\(subsidyGrantsFen.map(String.init).joined(separator: ","))",
                  "subsidy.approval.proposer_roles=\(subsidyApproval.proposerRoles.map(\.rawValue).joined(separator: ","))",
                  "subsidy.approval.approver_roles=\(subsidyApproval.approverRoles.map(\.rawValue).joined(separator: ","))"]
        return lines.joined(separator: "\n")
    }

    /// Reads `remuneration.yaml`: every key required, unknown keys refused, then `validated()`;
    /// a fault names the file, the line and the key.
    public static func parse(file: String, text: String) throws(PolicyError) -> RemunerationPolicy {
        let doc = try PolicyNode.document(file: file, text: text)
        try doc.onlyKeys(["version", "claim_window_seconds", "rates", "caps", "approval", "subsidy"])
        let fen = 0...1_000_000_000
        func approval(_ node: PolicyNode) throws(PolicyError) -> Approval {
            try node.onlyKeys(["proposer_roles", "approver_roles"])
            func roles(_ key: String) throws(PolicyError) -> [StaffRole] {
                var result: [StaffRole] = []
                for item in try node.array(key) {
                    guard let role = StaffRole(rawValue: try item.asString()) else { throw item.error("unknown role") }
                    result.append(role)
                }
                return result
            }
            return Approval(proposerRoles: try roles("proposer_roles"), approverRoles: try roles("approver_roles"))
        }
        let ratesNode = try doc.mapping("rates")
        try ratesNode.onlyKeys(Set(AdoptionLevel.allCases.map(\.rawValue)))
        var rates: [AdoptionLevel: Rate] = [:]
        for level in AdoptionLevel.allCases {
            let node = try ratesNode.mapping(level.rawValue)
            try node.onlyKeys(["text_fen", "picture_fen"])
            rates[level] = Rate(textFen: Int64(try node.int("text_fen", in: fen)), pictureFen: Int64(try node.int("picture_fen", in: fen)))
        }
        let caps = try doc.mapping("caps")
        try caps.onlyKeys(["per_item_fen", "per_person_year_fen"])
        let subsidy = try doc.mapping("subsidy")
        try subsidy.onlyKeys(["grants_fen", "approval"])
        var grants: [Int64] = []
        for node in try subsidy.array("grants_fen") { grants.append(Int64(try node.asInt())) }
        let policy = RemunerationPolicy(
            version: try doc.int("version", in: 1...1),
            claimWindowSeconds: Int64(try doc.int("claim_window_seconds", in: 86_400...(10 * 366 * 86_400))),
            rates: rates, perItemFen: Int64(try caps.int("per_item_fen", in: fen)),
            perPersonYearFen: Int64(try caps.int("per_person_year_fen", in: fen)),
            remunerationApproval: try approval(try doc.mapping("approval")),
            subsidyGrantsFen: grants, subsidyApproval: try approval(try subsidy.mapping("approval")))
        do {
            return try policy.validated()
        } catch {
            let message: String
            if case .invalidPolicy(let what) = error { message = what } else { message = error.description }
            let key = String(message.prefix { !$0.isWhitespace })
            var node = doc
            for part in key.split(separator: ".") where node.has(String(part)) { node = node.child(String(part)) }
            throw PolicyError(file: file, line: node.line, key: node.path, message: message)
        }
    }
}
