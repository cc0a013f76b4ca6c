/// Where a tip goes (`routing.yaml`): ordered rules, first match wins, plus city copies.
public struct RoutingPolicy: Sendable, Equatable {
    /// The condition of a rule; `nil` parts match anything.
    public struct Condition: Sendable, Equatable {
        /// Matches tips of this category.
        public var category: CategoryID?
        /// Matches tips of this district centre id, or of `unknown`.
        public var district: String?
        /// Matches tips of this urgency.
        public var urgency: Urgency?
    }

    /// Where a matching rule sends the tip.
    public enum Target: Sendable, Equatable {
        /// The centre of the tip's own district.
        case district
        /// A named centre.
        case centre(CentreID)
    }

    /// One rule of `routing.yaml`: when its condition matches, the tip goes to its target.
    public struct Rule: Sendable, Equatable {
        /// The rule's id, recorded with each tip it routes.
        public let id: String
        /// Which tips it matches.
        public let condition: Condition
        /// Where it sends them.
        public let target: Target
    }

    /// The rules in file order; the last one matches every tip.
    public let rules: [Rule]
    /// Urgencies whose tips are also copied to the city centre's queue.
    public let copyToCityUrgencies: Set<Urgency>

    /// A policy of `rules` and city copies.
    public init(rules: [Rule], copyToCityUrgencies: Set<Urgency>) {
        self.rules = rules
        self.copyToCityUrgencies = copyToCityUrgencies
    }

    static func parse(file: String, text: String, centres: CentresPolicy, categories: CategoriesPolicy)
        throws(PolicyError) -> RoutingPolicy
    {
        let doc = try PolicyNode.document(file: file, text: text)
        try doc.onlyKeys(["version", "rules", "copy_to_city"])
        var rules: [Rule] = []
        var ids: Set<String> = []
        for node in try doc.array("rules") {
            try node.onlyKeys(["id", "when", "route_to"])
            let id = try node.string("id")
            guard ids.insert(id).inserted else { throw node.child("id").error("duplicate rule id") }
            var condition = Condition()
            if node.has("when") {
                let when = try node.mapping("when")
                try when.onlyKeys(["category", "district", "urgency"])
                if let text = try when.optionalString("category") {
                    guard categories.category(CategoryID(text)) != nil else {
                        throw when.child("category").error("no such category in categories.yaml")
                    }
                    condition.category = CategoryID(text)
                }
                if let text = try when.optionalString("district") {
                    guard text == TipDistrict.unknownToken || centres.districts.contains(where: { $0.id.rawValue == text }) else {
                        throw when.child("district").error("expected a district centre id or 'unknown'")
                    }
                    condition.district = text
                }
                if let text = try when.optionalString("urgency") {
                    guard let urgency = Urgency(rawValue: text) else {
                        throw when.child("urgency").error("expected one of major, important, routine")
                    }
                    condition.urgency = urgency
                }
            }
            let targetText = try node.string("route_to")
            let target: Target
            if targetText == "district" {
                target = .district
            } else if centres.centre(CentreID(targetText)) != nil {
                target = .centre(CentreID(targetText))
            } else {
                throw node.child("route_to").error("expected 'district' or a centre id from centres.yaml")
            }
            rules.append(Rule(id: id, condition: condition, target: target))
        }
        guard let last = rules.last, last.condition == Condition() else {
            throw doc.child("rules").error("the last rule must have no 'when', so that every tip is routed")
        }
        var copies: Set<Urgency> = []
        if doc.has("copy_to_city") {
            let copy = try doc.mapping("copy_to_city")
            try copy.onlyKeys(["urgencies"])
            for item in try copy.array("urgencies") {
                guard let urgency = Urgency(rawValue: try item.asString()) else {
                    throw item.error("expected one of major, important, routine")
                }
                copies.insert(urgency)
            }
        }
        return RoutingPolicy(rules: rules, copyToCityUrgencies: copies)
    }
}
