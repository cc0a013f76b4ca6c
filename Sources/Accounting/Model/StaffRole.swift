/// The role a staff member acts in, as the caller established it from its staff registry.
public enum StaffRole: String, Sendable, Codable, CaseIterable {
    /// A triage officer of a centre: may propose rewards.
    case triage
    /// A supervisor: may propose, approve or decline rewards, and top up the fund.
    case supervisor
    /// An accountant or cashier: tops up the fund and pays vouchers; never proposes or approves.
    case accountant
}
