/// The roles a staff key can hold at one centre (ARCHITECTURE "Who uses it").
public enum StaffRole: String, Sendable, Codable, CaseIterable {
    /// A centre's triage officer: works the queue, moves, routes and answers tips, proposes rewards.
    case triage
    /// Holds the centre's identity key: the only role that opens reporters' identities.
    case identityHolder = "identity-holder"
    /// Does what triage does, and approves or declines rewards.
    case supervisor
    /// Funds the reward ledger, redeems and expires vouchers; never sees tips.
    case accountant
    /// Reads counts, the ledger and metrics, exports the audit log and marks canary tips.
    case auditor
    /// Enrols and revokes staff keys; does not handle tips.
    case admin
    /// 信息联络员: files information for its unit (S-3.2); named in bylines (S-3.3).
    case liaison
    /// A district office's informant manager: registers, reviews and (with a reason) opens its informants.
    case handler
    /// The city office's editor: collects, edits and publishes information.
    case editor
    /// Keeps a unit's ledgers (台账, S-5.4).
    case clerk
    /// The city office's assessor (S-3.5, S-6.3).
    case assessor

    /// Roles that open identities, approve money or manage staff: enrolling one takes the approval
    /// of two different administrators (issue 11, staff governance).
    public var needsSecondApproval: Bool {
        switch self {
        case .identityHolder, .supervisor, .accountant, .admin, .handler: true
        case .triage, .auditor, .liaison, .editor, .clerk, .assessor: false
        }
    }

    /// The kinds of unit a staff member of this role may belong to (NETWORK.md "Nodes and people");
    /// nil: any unit.
    public var unitKinds: Set<UnitKind>? {
        switch self {
        case .liaison: [.districtOffice, .memberUnit, .detachment]
        case .handler: [.districtOffice]
        case .editor, .assessor: [.cityOffice]
        case .clerk, .triage, .identityHolder, .supervisor, .accountant, .auditor, .admin: nil
        }
    }
}

/// What a staff request does, for the permission table and the audit's authority check.
public enum StaffAction: String, Sendable, Codable, CaseIterable {
    /// List the centre's queue (`tips queue`).
    case readQueue = "tips.queue"
    /// Read one tip (`tips show`).
    case readTip = "tips.show"
    /// The audit entry of a release of a tip's sealed content to a staff member (`tips show`).
    case readContent = "tip.read"
    /// Move a tip's status (S-5.1).
    case changeStatus = "tip.status"
    /// Assign a tip to a staff member.
    case assign = "tip.assign"
    /// Add an internal note to a tip.
    case note = "tip.note"
    /// Reply to the reporter.
    case reply = "tip.reply"
    /// Raise or lower a tip's urgency, with a reason.
    case changeUrgency = "tip.urgency"
    /// Route a tip to another centre, with a reason.
    case route = "tip.route"
    /// Add an identity wrap for a centre a re-routing left without one.
    case wrapIdentity = "tip.identity-wrap"
    /// Open a reporter's identity, with a reason.
    case unseal = "tip.unseal"
    /// An auditor marks the canary tip they planted (`tipline-audit canary`, proven by its receipt): it
    /// leaves the queues and statistics (issue 13, item 9).
    case markCanary = "tip.canary"
    /// A triage officer records a tip that came by phone, letter, visit or e-mail (`tipline-admin tips
    /// record`, issue 15): validated, routed, sealed and receipted as web intake, with the identity
    /// sealed on the officer's machine. The entry follows the tip's own `tip.received` entry.
    case recordTip = "tip.record"
    /// Read the tip counts (`stats`).
    case readStats = "stats"
    /// Enrol a staff key.
    case enrolStaff = "staff.enrol"
    /// The first of the two approvals a privileged role's enrolment needs.
    case enrolPending = "staff.enrol-pending"
    /// Revoke a staff key.
    case revokeStaff = "staff.revoke"
    /// Read the staff directory (names, roles, centres).
    case listStaff = "staff.list"
    /// Propose a reward for a verified tip.
    case proposeReward = "reward.propose"
    /// Approve or decline a proposed reward.
    case approveReward = "reward.approve"
    /// Top up the reward fund.
    case fundRewards = "ledger.fund"
    /// Pay a voucher out (redeem its code).
    case redeemVoucher = "ledger.redeem"
    /// Expire vouchers past their claim deadline.
    case expireVouchers = "ledger.expire"
    /// Read the reward ledger.
    case readLedger = "ledger.read"
    /// Export the audit log.
    case exportAudit = "audit.export"
    /// Read the Prometheus metrics (`GET /metrics`).
    case readMetrics = "metrics"
    /// Content-free notifications for the caller's centre and role (`tipline-admin watch`).
    case watchEvents = "events.watch"

    // The reporting network's registry (issue 14, docs/NETWORK.md).
    /// Units, their responsibility records, liaisons, trainings, areas and coverage: nothing secret.
    case readNetwork = "network.read"
    /// A unit's responsibility record for a year (主要领导/分管领导/具体负责人).
    case setUnitLeaders = "network.unit-leaders"
    /// A unit's annual "in place" self-check (staff, funds, support).
    case unitSelfCheck = "network.unit-check"
    /// A liaison's appointment date and qualification attestation.
    case recordLiaison = "network.liaison"
    /// A training session with its attendees.
    case addTraining = "network.training"
    /// Communities and villages of a district (`network areas import`).
    case importAreas = "network.areas-import"
    /// A new informant: pseudonym, areas, source role, sealed identity, code record.
    case registerInformant = "informant.register"
    /// The district's informants by pseudonym (no identity).
    case readInformants = "informant.list"
    /// Suspend, retire or reinstate an informant.
    case changeInformant = "informant.status"
    /// A periodic review with the next due date.
    case reviewInformant = "informant.review"
    /// A new informant code (the old one stops working).
    case reissueInformantCode = "informant.code"
    /// A city identity holder asks to open an informant's identity (needs a second holder).
    case requestInformantUnseal = "informant.unseal-request"
    /// A second city identity holder approves another holder's request.
    case approveInformantUnseal = "informant.unseal-approve"
    /// The release of an informant's sealed identity (the district's handler, or an approved city holder).
    case unsealInformant = "informant.unseal"

    // Information items (issue 15).
    /// A liaison writes and signs an item for its unit (a draft, sealed to the unit and the city office).
    case newItem = "info.new"
    /// A picture of a draft, stripped and sealed on the writer's machine like the content.
    case addItemPicture = "info.picture"
    /// The item is sent to the city office: its timeliness is fixed, it can no longer be withheld.
    case submitItem = "info.submit"
    /// Lists of items (clear fields) and the silent nodes.
    case listItems = "info.list"
    /// The release of an item's sealed content to a reader (`info show`).
    case readItem = "info.read"
    /// The city office returns an item with a reason.
    case returnItem = "info.return"
    /// The city office accepts an item.
    case acceptItem = "info.accept"
    /// A node with nothing to report in a period (S-4.3).
    case zeroReport = "info.zero-report"
    /// The city office opens a call for research or a summary (约稿, S-3.6).
    case openCall = "info.call"

    // The city desk (issue 16).
    /// An editor's signed version of an item (the author's original stays).
    case editItem = "info.edit"
    /// An adoption record (level, date, reference).
    case adoptItem = "info.adopt"
    /// Adoption statistics and feedback (clear counts).
    case readAdoption = "info.adoption"
    /// A new issue of the quick report or the briefing.
    case newBulletin = "bulletin.new"
    /// An item into a draft issue.
    case addToBulletin = "bulletin.add"
    /// Publishing an issue: scanned, sealed to every receiving unit, its items adopted.
    case publishBulletin = "bulletin.publish"
    /// Lists and drafts of issues (clear fields).
    case listBulletins = "bulletin.list"
    /// The release of a published issue's sealed document to a receiving unit.
    case readBulletin = "bulletin.read"

    // The informant channel (issue 15).
    /// Informant reports (clear fields: pseudonym, kind, time, what became of them).
    case listReports = "informant.reports"
    /// The release of an informant report's sealed content (`info report`).
    case readReport = "informant.report-read"
    /// The handler's reply to an informant, sealed to the informant's key and the district office.
    case replyReport = "informant.reply"
    /// The handler turns a report into a tip (channel `informant`, no identity): recorded like
    /// `tip.record`, right after the new tip's `tip.received` entry, naming the report.
    case reportToTip = "tip.from-informant"

    // The seven ledgers (issue 16, S-5.4; docs/NETWORK.md "The seven ledgers").
    /// The ledgers' definitions, the generated tip-lead ledger (no identity) and completeness: nothing sealed.
    case listBooks = "books.list"
    /// A clerk or liaison writes a record of its own unit, sealed on its machine to the unit and the city office.
    case addRecord = "books.add"
    /// A new version of a record of the writer's unit; every earlier version stays.
    case editRecord = "books.edit"
    /// The release of ledger records' sealed content to a reader (`books list|show|export`).
    case readRecords = "books.read"
    /// The release of a record's sealed names of individual operators, with a reason: the owning district
    /// office's handler (registry key) or a city identity holder (identity key).
    case readRecordNames = "books.names"
    /// A unit with no records in a ledger for a period.
    case bookZeroReport = "books.zero-report"
    /// Propose remuneration for an adopted item (issue 17, S-3.4): the amount comes from `remuneration.yaml`.
    case proposeRemuneration = "remuneration.propose"
    /// Propose subsidies to the best units from the frozen assessment (issue 17, 三(五)).
    case proposeSubsidy = "subsidy.propose"
    /// Approve or decline a remuneration or subsidy proposal: a second person (issue 17).
    case approvePayment = "payment.approve"
    /// Record that an approved payment to a named author or a unit was made (issue 17).
    case payPayment = "payment.pay"
    /// Read remuneration and subsidy payments (issue 17).
    case readPayments = "payment.read"

    // The yearly assessment (issue 17, S-3.5, S-3.6, S-6.3; docs/NETWORK.md "Assessment").
    /// The draft computed from the data, or the frozen results and ranking: counts and points only.
    case readAssessment = "assess.read"
    /// Points added to (or taken from) a unit's criterion with a reason, before the freeze.
    case adjustAssessment = "assess.adjust"
    /// The year's results fixed for good: stored with their hash, which the assessor's request signs.
    case freezeAssessment = "assess.freeze"

    // Centre key rotation (issue 11; Keys/README.md "Rotation").
    /// Register a new centre key made on the administrator's workstation; the old one is superseded.
    case rotateKey = "keys.rotate"
    /// Add wraps of old records' data keys for a centre's new key (a holder of the old key, from their machine).
    case rewrapKeys = "keys.rewrap"
    /// Retire a superseded centre key once every live record has a wrap for a current key.
    case retireKey = "keys.retire"

    /// The roles allowed to do this. Least privilege: the administrator manages staff, not tips;
    /// only identity holders open identities; accountants never see tips.
    public var allowedRoles: Set<StaffRole> {
        switch self {
        case .readQueue: [.triage, .supervisor, .identityHolder]
        case .readTip, .readContent, .changeStatus, .assign, .note, .reply, .changeUrgency, .route, .recordTip: [.triage, .supervisor]
        case .wrapIdentity, .unseal: [.identityHolder]
        // Counts only; the city office's editors, clerks and assessors build the results table and assessment from them.
        case .readStats: [.triage, .supervisor, .identityHolder, .auditor, .editor, .clerk, .assessor]
        case .enrolStaff, .enrolPending, .revokeStaff: [.admin]
        // The staff directory (names, roles, centres; no secrets): every role reads colleagues by name (issue 13, item 5).
        case .listStaff: Set(StaffRole.allCases)
        case .proposeReward: [.triage, .supervisor]
        case .approveReward: [.supervisor]
        case .fundRewards, .redeemVoucher, .expireVouchers: [.accountant]
        case .readLedger: [.accountant, .auditor, .supervisor]
        case .exportAudit, .markCanary: [.auditor]
        case .readMetrics: [.auditor, .admin]
        case .watchEvents: Set(StaffRole.allCases)
        case .readNetwork: [.liaison, .handler, .editor, .clerk, .assessor, .admin, .auditor, .supervisor, .identityHolder]
        case .setUnitLeaders, .unitSelfCheck: [.liaison, .clerk, .editor]
        case .recordLiaison: [.editor]
        case .addTraining: [.editor, .clerk]
        case .importAreas: [.handler, .editor]
        case .registerInformant, .readInformants, .changeInformant, .reviewInformant, .reissueInformantCode: [.handler]
        case .requestInformantUnseal, .approveInformantUnseal: [.identityHolder]
        case .unsealInformant: [.handler, .identityHolder]
        // A handler writes an item only from an informant's report (`info new --from-report`, unit-only byline).
        case .newItem, .submitItem, .addItemPicture: [.liaison, .handler]
        case .zeroReport: [.liaison]
        case .listItems, .readItem: [.liaison, .handler, .editor, .assessor]
        case .listReports, .readReport: [.handler, .liaison, .editor]
        case .editItem, .adoptItem, .newBulletin, .addToBulletin, .publishBulletin: [.editor]
        case .readAdoption, .listBulletins: [.editor, .assessor, .liaison, .handler]
        case .readBulletin: [.editor, .assessor, .liaison, .handler, .clerk]
        case .replyReport, .reportToTip: [.handler]
        case .returnItem, .acceptItem, .openCall: [.editor]
        case .listBooks: [.clerk, .liaison, .editor, .assessor]
        case .proposeRemuneration: [.editor]
        case .proposeSubsidy: [.assessor]
        case .approvePayment, .payPayment: [.accountant]
        case .readPayments: [.accountant, .auditor, .editor, .assessor]
        // A district office's handler reads its unit's records too, to open an operator's name beside them.
        case .readRecords: [.clerk, .liaison, .editor, .assessor, .handler]
        case .addRecord, .editRecord, .bookZeroReport: [.clerk, .liaison]
        case .readRecordNames: [.handler, .identityHolder]
        // The city office's assessors score; editors, accountants (unit subsidies) and auditors read the results.
        case .readAssessment: [.assessor, .editor, .accountant, .auditor]
        case .adjustAssessment, .freezeAssessment: [.assessor]
        // The administrator manages keys as it manages staff, and never holds a centre key after handing it over;
        // re-wrapping needs the old centre key: content for triage and supervisors, identity for identity holders.
        case .rotateKey, .retireKey: [.admin]
        case .rewrapKeys: [.triage, .supervisor, .identityHolder]
        }
    }

    /// Whether `role` may take this action.
    public func allows(_ role: StaffRole) -> Bool { allowedRoles.contains(role) }
}
