/// Counts what a check examined and keeps its first problem.
struct CheckTally {
    let check: LedgerVerification.Check
    var checked = 0
    var problems = 0
    var first: String?

    init(_ check: LedgerVerification.Check) { self.check = check }

    mutating func examine(_ count: Int = 1) { checked += count }

    /// Records a problem unless `condition` holds.
    mutating func require(_ condition: Bool, _ problem: @autoclosure () -> String) {
        if !condition { fail(problem()) }
    }

    mutating func fail(_ problem: String) {
        problems += 1
        if first == nil { first = problem }
    }

    func result(skipped: Bool = false) -> LedgerVerification.Result {
        .init(check: check, checked: checked, problems: problems, firstProblem: first, skipped: skipped)
    }
}
