package import Foundation
package import TiplineAdminAPI
package import TiplineCore
package import TiplineDeployment

/// How the staff tools name people, centres, categories and states (issue 13, items 3 and 5):
/// colleagues by name and role@centre (key id only with `--verbose`), centres and categories by
/// the deployment's names, states and urgencies in the reader's language, times in China time.
package struct Presenter: Sendable {
    package let language: Language
    package let policies: PolicySet?
    package let staff: [String: StaffView]
    package let verbose: Bool

    package init(language: Language = UILanguage.current, policies: PolicySet?, staff: [StaffView], verbose: Bool = false) {
        self.language = language
        self.policies = policies
        self.staff = Dictionary(staff.map { ($0.keyID, $0) }, uniquingKeysWith: { first, _ in first })
        self.verbose = verbose
    }

    /// Fetches the staff directory once (every role may read it) and the deployment's policies.
    package static func load(_ session: AdminSession, deployment: URL, verbose: Bool = false) async throws -> Presenter {
        let staff = (try? await session.call(.listStaff, as: [StaffView].self)) ?? []
        return Presenter(policies: try? Deployment.open(at: deployment).policies, staff: staff, verbose: verbose)
    }

    /// `li.wei（受理员@南明区中心）`; the key id itself when nobody in the directory has it.
    package func person(_ keyID: String?) -> String {
        guard let keyID, !keyID.isEmpty else { return "-" }
        if keyID == "server" { return language == .zh ? "受理服务器" : "intake server" }
        guard let member = staff[keyID] else { return keyID }
        let role = "\(member.role.label(language))@\(centre(member.centre))"
        let shown = language == .zh ? "\(member.name)（\(role)）" : "\(member.name) (\(role))"
        return verbose ? shown + " [\(keyID)]" : shown
    }

    /// The key id of the colleague called `name` (what `tips assign --to li.wei` sends).
    package func keyID(named name: String) -> String? {
        let wanted = name.precomposedStringWithCompatibilityMapping.trimmingCharacters(in: .whitespaces).lowercased()
        let live = staff.values.filter { $0.revokedAt == nil && $0.pending == nil }
        return live.first { $0.name == wanted }?.keyID ?? live.first { $0.keyID == wanted }?.keyID
    }

    package func centre(_ id: String) -> String {
        policies?.centres.centre(CentreID(id))?.name(language) ?? id
    }

    /// A district by its id: the district's name from the centre that serves it.
    package func district(_ id: String) -> String {
        guard let centre = policies?.centres.centre(CentreID(id)) else { return id }
        return (language == .zh ? centre.districtZh : centre.districtEn) ?? id
    }

    package func category(_ id: String) -> String {
        policies?.categories.category(CategoryID(id))?.label(language) ?? id
    }

    package func status(_ status: TipStatus) -> String { status.label(language) }

    package func urgency(_ urgency: Urgency) -> String {
        guard let tier = policies?.timeliness.tiers[urgency] else { return urgency.label(language) }
        return language == .zh ? tier.labelZh : urgency.rawValue
    }

    package func time(_ seconds: Int64?) -> String { seconds.map(ShownTime.text) ?? "-" }
}
