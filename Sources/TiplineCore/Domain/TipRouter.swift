/// The outcome of routing one tip: where it goes, why, and under which policy.
public struct RoutingDecision: Sendable, Equatable {
    /// The centre that handles the tip.
    public let centre: CentreID
    /// Centres whose queues also show the tip (the city, for major tips).
    public let copies: [CentreID]
    /// The id of the rule that fired.
    public let rule: String
    /// SHA-256 of `routing.yaml` at the time.
    public let policyHash: String

    /// A decision.
    public init(centre: CentreID, copies: [CentreID], rule: String, policyHash: String) {
        self.centre = centre
        self.copies = copies
        self.rule = rule
        self.policyHash = policyHash
    }

    /// Centres whose keys receive wraps: the routed centre, the copies and always the city centre.
    public func recipients(city: CentreID) -> [CentreID] {
        var result = [centre]
        for id in copies + [city] where !result.contains(id) { result.append(id) }
        return result
    }
}

/// Routes tips by `routing.yaml`: ordered rules, first match wins. Pure; table-tested.
public struct TipRouter: Sendable {
    /// The rules.
    public let routing: RoutingPolicy
    /// The centres, for the city and the districts.
    public let centres: CentresPolicy
    /// SHA-256 of `routing.yaml`, recorded with each decision.
    public let policyHash: String

    /// A router over validated policies.
    public init(routing: RoutingPolicy, centres: CentresPolicy, policyHash: String) {
        self.routing = routing
        self.centres = centres
        self.policyHash = policyHash
    }

    /// The first rule that matches, with the city copy for the policy's urgencies.
    /// A district rule for an unknown district routes to the city centre.
    public func route(category: CategoryID, district: TipDistrict, urgency: Urgency) -> RoutingDecision {
        for rule in routing.rules where matches(rule.condition, category: category, district: district, urgency: urgency) {
            let centre: CentreID
            switch (rule.target, district) {
            case (.centre(let id), _): centre = id
            case (.district, .known(let id)): centre = id
            // A district rule cannot serve a tip without a district: the city centre takes it.
            case (.district, .unknown): centre = centres.city.id
            }
            var copies: [CentreID] = []
            if routing.copyToCityUrgencies.contains(urgency), centre != centres.city.id {
                copies.append(centres.city.id)
            }
            return RoutingDecision(centre: centre, copies: copies, rule: rule.id, policyHash: policyHash)
        }
        // Unreachable for a validated policy (the last rule matches everything); safe default anyway.
        return RoutingDecision(centre: centres.city.id, copies: [], rule: "default-city", policyHash: policyHash)
    }

    private func matches(_ condition: RoutingPolicy.Condition, category: CategoryID, district: TipDistrict, urgency: Urgency) -> Bool {
        if let wanted = condition.category, wanted != category { return false }
        if let wanted = condition.district, wanted != district.token { return false }
        if let wanted = condition.urgency, wanted != urgency { return false }
        return true
    }
}
