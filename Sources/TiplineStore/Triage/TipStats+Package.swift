/// Constructors of the `stats` answer for other modules of this package (the reference queries in
/// TiplineTestSupport build the same values the store does); not part of the public API.
extension TipStats {
    package static func make(total: Int, byCentre: [Count], byStatus: [Count], byCategory: [Count], byUrgency: [Count],
                             overdueByCentre: [Count], onTime: [OnTime]) -> TipStats {
        TipStats(total: total, byCentre: byCentre, byStatus: byStatus, byCategory: byCategory, byUrgency: byUrgency,
                 overdueByCentre: overdueByCentre, onTime: onTime)
    }
}

extension TipStats.Count {
    package static func make(key: String, count: Int) -> TipStats.Count { TipStats.Count(key: key, count: count) }
}

extension TipStats.OnTime {
    package static func make(urgency: String, acted: Int, onTime: Int) -> TipStats.OnTime {
        TipStats.OnTime(urgency: urgency, acted: acted, onTime: onTime)
    }
}
