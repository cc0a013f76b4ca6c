extension ReportingPeriod {
    /// The period's first day, `YYYY-MM-DD` (China).
    public var firstDay: String { CivilDate.today(at: start) }
    /// The period's last day, `YYYY-MM-DD` (China): a dated ledger's records dated from `firstDay` to this.
    public var lastDay: String { CivilDate.today(at: end - 1) }
}
