import Foundation
public import Sealing
public import TiplineAdminAPI
public import TiplineCore

// The stores the server uses, one protocol per concern (issue 12, item 10). `TriageStore` is the
// SQLite implementation of every one of them; a PostgreSQL implementation will conform next and must
// pass the same conformance suite (Tests/TiplineStoreTests/Conformance). So nothing SQLite-specific
// appears here: no GRDB type, no `Database`, no SQL. The value types nested in `TriageStore`
// (`TriageStore.QueueFilter`, `TriageStore.EventSource`, …) are the stores' vocabulary, plain values.
// Every method that changes something writes its audit entry in the same transaction (rule 3).

/// Staff keys: the first administrator, enrolment (with a second approval where policy asks), revocation, replay nonces.
public protocol StaffStore: Sendable {
    /// Enrols the deployment's first administrator (from `public/keys.json`) if no staff exist yet.
    func bootstrapAdministrator(name: String, centre: String, publicKey: [UInt8], at: Int64) async throws(StoreError)

    /// The staff member with `keyID`, revoked or not.
    func staffMember(_ keyID: String) async throws(StoreError) -> StaffMember?

    /// Every enrolled key, revoked ones included, in enrolment order.
    func listStaff() async throws(StoreError) -> [StaffMember]

    /// Records a request nonce; false if it was already used (a replay). Old nonces are pruned.
    func recordNonce(keyID: String, nonce: String, at: Int64) async throws(StoreError) -> Bool

    /// Approves an enrolment request (administrator only; the caller checked the role).
    ///
    /// A privileged role (`StaffRole.needsSecondApproval`) takes two administrators: the first
    /// approval is kept as pending (`staff.enrol-pending`), a different administrator's approval of
    /// the same request completes it (`staff.enrol`, with `first_approver`). The one exception is a
    /// deployment's sole active administrator enrolling a second administrator (`approval` =
    /// `sole-admin`): without it no deployment could ever have two.
    func enrol(_ request: EnrolmentRequest, by actor: StaffActor, at: Int64) async throws(StoreError) -> TriageStore.EnrolmentResult

    /// The unit of a staff member: as enrolled, or for a key enrolled before units, the unit running its centre.
    func unit(of member: StaffMember) -> NetworkUnit

    /// Revokes a staff key; its past signatures stay verifiable.
    func revoke(keyID: String, reason: String, by actor: StaffActor, at: Int64) async throws(StoreError)
}

/// What centres see of tips: queues, details (a content release is an audit entry), pending identity wraps, statistics.
public protocol TipQueueStore: Sendable {
    /// Tips the member's centre may see, most urgent and most overdue first: open tips by due time,
    /// then closed ones (by due time, then id).
    ///
    /// Built to stay fast at 10^6 tips (Benchmarks/README.md, "Triage at scale"): open and closed
    /// tips are read by two queries whose order an index gives (`tip_open_due`, `tip_open_centre_due`,
    /// `tip_due`, `tip_queue`), so SQLite stops after `limit` rows instead of sorting the table; a
    /// district's view is its own tips merged (UNION ALL … ORDER BY) with the tips copied to it.
    func queue(_ filter: TriageStore.QueueFilter, for member: StaffMember) async throws(StoreError) -> [TipSummary]

    /// Releases a tip's sealed content and its content wraps to a staff member (`tips show`): the
    /// `tip.read` audit entry (who, which tip, when) is committed before anything is returned, so an
    /// auditor can answer "who read this tip" (rule 8). No entry, no release.
    func release(_ reference: String, to actor: StaffActor, at: Int64) async throws(StoreError) -> TipDetail

    /// A tip's sealed content and wraps as `release` returns them, without recording a read.
    /// `release` is what serves staff; this read alone writes no `tip.read` entry.
    func detail(_ reference: String, for member: StaffMember) async throws(StoreError) -> TipDetail

    /// Identity wraps still to be added after re-routings.
    func pendingWraps(for member: StaffMember) async throws(StoreError) -> [PendingWrap]

    /// Counts by centre, status, category and urgency; overdue per centre; on-time rate per tier.
    ///
    /// The counts come from `tip_tally` (kept by triggers on `tip`, migration v3), a few hundred rows
    /// however many tips there are; a district adds the tips copied to it, counted directly. Overdue
    /// depends on the time, so it is counted from `tip_open_centre_due` (open tips only). Canary tips
    /// (`tip.canary`) count nowhere: the triggers leave them out of the tally (v10), the rest says so.
    func stats(at now: Int64, for member: StaffMember?) async throws(StoreError) -> TipStats

    /// Tips received in `[start, end)` (canaries left out): the counts of `PeriodStats`. A district
    /// member sees its centre's tips and those copied to it; the city all.
    func periodStats(from: String, to: String, start: Int64, end: Int64, for member: StaffMember?) async throws(StoreError) -> PeriodStats

    /// The metrics gauges' counts at `now` (Unix seconds, UTC); canary tips left out of the overdue counts.
    func metricCounts(at now: Int64) async throws(StoreError) -> TriageStore.MetricCounts
}

/// What staff change on a tip: status, urgency, assignment, duplicates, replies, notes, routing, identity wraps, unsealing, canaries, tips recorded by hand.
public protocol TipChangeStore: Sendable {
    /// Marks `reference` as an auditor's canary tip (`tipline-audit canary`, issue 13 item 9): sets
    /// `canary_at` and appends the `tip.canary` entry (actor the auditor, subject the reference) in the
    /// same transaction. From then on the tip is in no queue, overdue or pending list, notification or
    /// count (the tally triggers drop it; every listing reads `canary_at IS NULL`); nothing else about
    /// it changes, and the reward ledger is not touched.
    ///
    /// The caller has already proved the actor planted the tip (its receipt opens it, checked like a
    /// follow-up): the store never sees the receipt. A tip marked before is a conflict (409).
    func markCanary(_ reference: String, by actor: StaffActor, at: Int64) async throws(StoreError)

    /// When `reference` was marked as a canary (nil: it is not one, or there is no such tip).
    func canaryMarkedAt(_ reference: String) async throws(StoreError) -> Int64?

    /// Moves a tip's status (S-5.1 state machine) and records it.
    func changeStatus(_ reference: String, _ change: StatusChange, by actor: StaffActor, at: Int64) async throws(StoreError) -> TipStatus

    /// Raises or lowers a tip's urgency with a reason; the due time follows.
    func changeUrgency(_ reference: String, to urgency: Urgency, reason: String, by actor: StaffActor, at: Int64) async throws(StoreError)

    /// Assigns a tip to a staff member of a centre that sees it.
    func assign(_ reference: String, to keyID: String, by actor: StaffActor, at: Int64) async throws(StoreError)

    /// Marks a tip as a duplicate of an earlier one (the first reporter counts for rewards).
    func markDuplicate(_ reference: String, of earlier: String, reason: String, by actor: StaffActor, at: Int64) async throws(StoreError)

    /// Adds a reply to the thread. The envelope must be wrapped exactly for the reporter key and
    /// the content keys of the tip's centres: no other recipient can be slipped in.
    func addReply(_ reference: String, envelope: Envelope, by actor: StaffActor, at: Int64) async throws(StoreError)

    /// Adds an internal note, sealed to the content keys of the tip's centres only.
    func addNote(_ reference: String, envelope: Envelope, by actor: StaffActor, at: Int64) async throws(StoreError)

    /// Re-routes a tip. The CLI re-wrapped the content key (and, if the operator holds it, the
    /// identity key) for the new centre; without an identity wrap a pending task is left for an
    /// identity holder. This is the only path that adds a recipient to a tip.
    ///
    /// Wraps are append-only (issue 11, item 2): a key of the new centre that already has a wrap
    /// (the city, or a centre the tip was routed to before) keeps it byte for byte. The CLI then
    /// sends no wrap for it; a different wrap for it is refused (409), an identical one is ignored.
    /// Each added wrap's SHA-256 goes into the entry's `wrap_hashes`, which `audit verify` compares
    /// with the stored bytes.
    func route(_ reference: String, to centre: CentreID, reason: String, contentWrap: RecipientWrap?,
                      identityWrap: RecipientWrap?, by actor: StaffActor, at: Int64) async throws(StoreError) -> Bool

    /// Adds the identity wrap a re-routing left pending (an identity holder of the city or the old centre).
    func addIdentityWrap(_ reference: String, centre: CentreID, wrap: RecipientWrap, by actor: StaffActor, at: Int64) async throws(StoreError)

    /// Releases a tip's identity ciphertext to an identity holder. The audit entry is written in
    /// the same transaction *before* anything is returned: no release without a record.
    func unseal(_ reference: String, reason: String, by actor: StaffActor, at: Int64) async throws(StoreError) -> UnsealedIdentity

    /// Stores a tip a triage officer recorded (`POST tips/record`, issue 15): in one transaction, the
    /// tip exactly as intake stores it (reference, row with its channel, route, copies, fields, wraps,
    /// the server's signed `tip.received` entry) and, right after it, the officer's `tip.record` entry
    /// (actor the officer, subject the new reference, details the channel and the record id) with the
    /// signed request. The receipt never reaches the store: only the row's verifier, salt and locator
    /// hash, as for every tip. `StoreError.receiptLocatorInUse`: nothing was written, issue a new receipt.
    func recordTip(_ tip: NewTip, by actor: StaffActor) async throws(StoreError) -> StoredTip
}

/// The audit log as the server reads and extends it outside a staff change: its head, the notification feed, server events, ledger actions.
public protocol AuditTrailStore: Sendable {
    /// The highest audit sequence number (the feed starts after it: no history is replayed).
    func lastAuditSeq() async throws(StoreError) -> Int64

    /// Audit entries after `seq` of the actions that make notifications, oldest first; none about a
    /// tip marked as a canary (`tip.canary`) by the time the feed reads it.
    func eventSources(after seq: Int64, limit: Int) async throws(StoreError) -> [TriageStore.EventSource]

    /// Open tips whose due time is between `now` and the last quarter of their tier's time
    /// (`timeliness.yaml`), with the centres that see them (the tip's and its copies).
    func dueSoon(at now: Int64) async throws(StoreError) -> [TriageStore.DueSoon]

    /// The stored hash of audit entry `seq`, nil when there is none (for auditors pulling checkpoints).
    func auditHash(at seq: Int64) async throws(StoreError) -> [UInt8]?

    /// Records a staff action on the reward ledger in the audit log (the ledger keeps its own chain too).
    func recordLedgerAction(_ action: StaffAction, subject: String, details: [String: String], by actor: StaffActor, at: Int64) async throws(StoreError)

    /// Records something the server did on its own (a timer), signed by the server key.
    func recordServerEvent(_ action: ServerAction, subject: String, details: [String: String], at: Int64) async throws(StoreError)
}

/// The tip database's half of rewards and payments: a tip's facts, visibility, vouchers sealed to reporters, and reconciling ledger postings with the audit log.
public protocol RewardRecordStore: Sendable {
    /// The ledger postings named by the latest `limit` audit entries that name any (newest first).
    func recentLedgerClaims(limit: Int) async throws(StoreError) -> Set<Int64>

    /// Records a posting the ledger committed without its audit entry: the server's `ledger.reconciled`
    /// entry and, for an approval, the voucher copy for the reporter or the informant, in one transaction.
    func recordReconciliation(_ posting: UnrecordedPosting, at: Int64) async throws(StoreError)

    /// The tip's facts for a reward decision, if the actor's centre sees the tip.
    func rewardFacts(_ reference: String, for member: StaffMember) async throws(StoreError) -> TriageStore.RewardFacts

    /// Throws `.notFound` unless `member`'s centre sees the tip (the same answer as a missing tip).
    func requireVisible(_ reference: String, to member: StaffMember) async throws(StoreError)

    /// Which of `references` `member`'s centre sees now: the city all, a district those routed or copied to it.
    func visibleReferences(_ references: [String], to member: StaffMember) async throws(StoreError) -> Set<String>

    /// Stores an approved reward's voucher, sealed to the reporter key, with its audit entry.
    /// Idempotent: a retried approval finds the voucher already stored and records nothing twice.
    func storeVoucher(_ reference: String, envelope: Envelope, amountFen: Int64, expiresAt: Int64,
                             details: [String: String], by actor: StaffActor, at: Int64) async throws(StoreError)
}

/// The tip database's half of remuneration: adoptions that can be paid and vouchers sealed to informants.
public protocol RemunerationStore: Sendable {
    /// Every adoption of `item` (or of every item adopted in China-time `year`), oldest first, at most `limit`.
    func payableAdoptions(item: String?, year: Int?, limit: Int) async throws(StoreError) -> [PayableAdoption]

    /// What informant `pseudonym` was paid (vouchers issued) in `[from, to)`, for the per-person cap
    /// the ledger cannot check (it never learns who an informant is).
    /// (`excluding`: a payment not to count, so that a retried approval is not refused by its own voucher.)
    func informantRemuneration(_ pseudonym: String, from: Int64, to: Int64, excluding: Int64?) async throws(StoreError) -> Int64

    /// Stores an informant's remuneration voucher (sealed to the informant's key alone) with the
    /// approval's audit entry, in one transaction. A retried approval finds it stored and records nothing twice.
    func storeInformantVoucher(paymentID: Int64, item: String, pseudonym: String, envelope: Envelope, amountFen: Int64,
                                      expiresAt: Int64, details: [String: String], by actor: StaffActor,
                                      at: Int64) async throws(StoreError)
}

/// Centre key rotation: register a new public key, re-wrap from the holders’ machines in batches, retire the old key.
public protocol KeyRotationStore: Sendable {
    /// `keys.rotate`: `newKey` becomes the current key of `centre`/`keyClass`. `apply` persists the new
    /// key set (keys.json) and updates the running server; it runs inside the transaction, after the entry.
    func rotateKey(centre: CentreID, keyClass: KeyClass, newKey: X25519PublicKey, by actor: StaffActor, at: Int64,
                          apply: @escaping TriageStore.KeyChangeApply) async throws(StoreError) -> AuditEntry

    /// Records of `kind` still to re-wrap from the superseded key `oldKey` of `centre`/`keyClass` for the
    /// current key: those with a wrap for `oldKey` and none for the current key, whose class is not destroyed.
    func rewrapPending(centre: CentreID, keyClass: KeyClass, oldKey: String, kind: RewrapKind, limit: Int,
                              after: String?) async throws(StoreError) -> RewrapPending

    /// One batch of `keys.rewrap`: adds each new wrap (for the current key, opened from `oldKey` on the
    /// holder's machine) to its tip or record. One that already has that very wrap is a retry and is counted
    /// as unchanged; a different one is refused (wraps are append-only). One entry names every tip and record
    /// and the SHA-256 of every wrap added; a batch that adds nothing writes no entry.
    func rewrap(centre: CentreID, keyClass: KeyClass, oldKey: String, wraps: [TriageStore.RewrapInput],
                       by actor: StaffActor, at: Int64) async throws(StoreError) -> RewrapReply

    /// `keys.retire`: refused (409) while a live record still needs `keyID` (a tip with no wrap for the
    /// current key, or a record the API cannot re-wrap); then no wrap for it is ever stored again.
    func retireKey(centre: CentreID, keyClass: KeyClass, keyID: String, by actor: StaffActor, at: Int64,
                          apply: @escaping TriageStore.KeyChangeApply) async throws(StoreError) -> AuditEntry
}

/// Retention: crypto-shredding of identities and content when their time is up (S-6).
public protocol RetentionStore: Sendable {
    /// Applies `retention.yaml` at `now`: destroys the identity wraps and fields of closed tips past
    /// their identity period (crypto-shredding), then, later, their content. Each destruction is an
    /// audit entry in the same transaction; `secure_delete` overwrites the freed pages.
    func applyRetention(at now: Int64, batch: Int) async throws(StoreError) -> TriageStore.RetentionResult
}

/// Information items units file through their liaisons: drafts, submission, decisions, zero reports, silent nodes, calls.
public protocol InformationStore: Sendable {
    /// Records a draft item after checking the statement, its signature by the caller, the sealing
    /// and the classification. The reference is `XX-<year>-<serial>` (信息).
    func newItem(_ body: NewItemBody, by actor: StaffActor, at: Int64) async throws(StoreError) -> ItemSummary

    /// Sends a draft (or a returned item) to the city office: the due time and the late flag are fixed;
    /// a `dynamic` item whose event is older than the policy's limit is refused (S-5.2).
    func submitItem(_ reference: String, by actor: StaffActor, at: Int64) async throws(StoreError) -> ItemSummary

    /// Adds the next picture of a draft: the writer's own unit, bound to `<uid>.<n>`, one field `picture`,
    /// a key commitment, wrapped for exactly the unit's and the city office's content keys.
    func addItemPicture(_ reference: String, _ body: ItemPictureBody, by actor: StaffActor, at: Int64) async throws(StoreError) -> ItemSummary

    /// The city office returns a submitted item with a reason, or accepts it.
    func decideItem(_ reference: String, accept: Bool, reason: String?, by actor: StaffActor, at: Int64) async throws(StoreError) -> ItemSummary

    /// Items by filter, newest first: a liaison sees its own unit's; the city office all (drafts stay with their unit).
    func items(for member: StaffMember, unit: String?, kind: String?, late: Bool, period: ReportingPeriod?, limit: Int) async throws(StoreError) -> [ItemSummary]

    /// Releases an item's sealed content with its signed statement, after an `info.read` audit entry.
    func readItem(_ reference: String, by actor: StaffActor, at: Int64) async throws(StoreError) -> ItemDetail

    /// Records a node's zero report for a period (S-4.3).
    func zeroReport(_ period: ReportingPeriod, by actor: StaffActor, at: Int64) async throws(StoreError)

    /// The nodes that in `period` neither submitted an item nor filed a zero report (for the period or one of its months).
    func silentNodes(_ period: ReportingPeriod) async throws(StoreError) -> SilentReply

    /// Opens a call for research or a summary to some units (or every node) by a date.
    func openCall(_ body: CallBody, by actor: StaffActor, at: Int64) async throws(StoreError) -> CallView

    /// Every call with the units that answered (a submitted item naming it) and those that have not.
    func calls() async throws(StoreError) -> [CallView]

    /// Research items submitted per district office in a year; the offices that owe one (S-3.6).
    func researchDuty(year: Int) async throws(StoreError) -> ResearchDutyReply
}

/// Informants (信息员): registration, status, reviews, codes, and the two-person opening of a true identity.
public protocol InformantRegistryStore: Sendable {
    /// The key ids an informant identity must be wrapped for: the district office's registry key and the city's identity key.
    func informantIdentityKeys(district: String) throws(StoreError) -> Set<String>

    /// Registers an informant; the server assigns the pseudonym (district prefix + next serial).
    func registerInformant(_ body: InformantRegistration, by actor: StaffActor, at: Int64) async throws(StoreError) -> InformantView

    /// The handler's district's informants (by status; `overdueOn`: those whose review is due before that date).
    func informants(for member: StaffMember, status: InformantStatus?, overdueOn: String?, limit: Int) async throws(StoreError) -> [InformantView]

    /// One informant with its reviews and who opened its identity (from the audit log).
    func informantDetail(_ pseudonym: String, for member: StaffMember) async throws(StoreError) -> InformantDetail

    /// Suspends, retires or reinstates an informant, with a reason.
    func changeInformant(_ pseudonym: String, _ body: InformantStatusBody, by actor: StaffActor, at: Int64) async throws(StoreError) -> InformantView

    /// Records a periodic review and the next due date.
    func reviewInformant(_ pseudonym: String, _ body: InformantReviewBody, by actor: StaffActor, at: Int64) async throws(StoreError) -> InformantView

    /// Replaces the informant's code record: the old code stops working at once.
    func reissueInformantCode(_ pseudonym: String, _ body: InformantCodeBody, by actor: StaffActor, at: Int64) async throws(StoreError) -> InformantView

    /// A city identity holder asks to open an informant's identity; a second city holder must approve.
    func requestInformantUnseal(_ pseudonym: String, reason: String, by actor: StaffActor, at: Int64) async throws(StoreError) -> UnsealRequestReply

    /// A second, different city identity holder approves a pending request.
    func approveInformantUnseal(_ pseudonym: String, _ body: UnsealApprovalBody, by actor: StaffActor, at: Int64) async throws(StoreError)

    /// Releases an informant's sealed identity after writing its audit entry: to the district's handler
    /// with a reason; to a city identity holder with a reason and an approved, unused request of theirs.
    func unsealInformant(_ pseudonym: String, reason: String, by actor: StaffActor, at: Int64) async throws(StoreError) -> InformantIdentityRelease
}

/// Reports informants file under their pseudonyms, as districts read and answer them.
public protocol InformantReportStore: Sendable {
    /// Reports newest first (clear fields only).
    func informantReports(for member: StaffMember, limit: Int) async throws(StoreError) -> [InformantReportSummary]

    /// Releases a report's sealed content, photos and replies after its `informant.report-read` entry.
    func readInformantReport(_ reference: String, by actor: StaffActor, at: Int64) async throws(StoreError) -> InformantReportDetail

    /// Stores the handler's reply: one field `reply`, bound to the report's uid, wrapped for exactly the
    /// informant's key and the district office's content key.
    func replyToInformant(_ reference: String, _ body: InformantReplyBody, by actor: StaffActor, at: Int64) async throws(StoreError) -> InformantReportSummary

    /// Stores the tip a handler made from a report (`POST info/reports/:ref/tip`): the tip as intake
    /// stores it (channel `informant`, no identity field), right after it the handler's
    /// `tip.from-informant` entry naming the report, and the report's link, in one transaction.
    func recordTip(_ tip: NewTip, fromReport reference: String, by actor: StaffActor) async throws(StoreError) -> StoredTip
}

/// The seven ledgers (台账) of the network: records, versions, names, zero reports, completeness.
public protocol BookStore: Sendable {
    /// Writes a new record of the caller's unit (`books add`): the id is `<prefix>-<year>-<serial>`.
    func addRecord(book: String, _ body: RecordBody, by actor: StaffActor, at: Int64) async throws(StoreError) -> RecordWritten

    /// Writes the next version of a record of the caller's unit (`books edit`); every earlier version stays.
    func editRecord(_ record: String, _ body: RecordBody, by actor: StaffActor, at: Int64) async throws(StoreError) -> RecordWritten

    /// The filter of an `OpenRecordsBody`, checked: a period as typed, a limit within a page, a unit
    /// the caller reads (its own; the city office any).
    func recordFilter(_ body: OpenRecordsBody, for member: StaffMember) throws(StoreError) -> TriageStore.RecordFilter

    /// Releases records' sealed content (`books list|show|export`): the `books.read` entry naming the
    /// ledger, the filter and every record released is written in the same transaction, before the answer.
    func openRecords(book: String, _ filter: TriageStore.RecordFilter, by actor: StaffActor, at: Int64) async throws(StoreError) -> [RecordVersionView]

    /// The records of a filter without releasing them (no audit entry): the query `openRecords` runs,
    /// for benchmarks and tests.
    func recordViews(book: String, _ filter: TriageStore.RecordFilter) async throws(StoreError) -> [RecordVersionView]

    /// Releases the sealed names of a record's versions (`books show RECORD --names --reason …`) to the
    /// owning district office's handler or a city identity holder: the `books.names` entry, with the
    /// reason, is written before the answer (rule 8).
    func recordNames(_ record: String, reason: String, by actor: StaffActor, at: Int64) async throws(StoreError) -> RecordNamesReply

    /// Records a unit's zero report for a ledger and period: refused when it has records for it (S-4.3).
    func bookZeroReport(book: String, period: ReportingPeriod, by actor: StaffActor, at: Int64) async throws(StoreError)

    /// Per unit that keeps each ledger (its `kept_by`) and each written ledger: records in the period, a
    /// zero report (for the period or one of its months), or missing. A unit other than the city office sees its own rows.
    func bookCompleteness(_ period: ReportingPeriod, for member: StaffMember) async throws(StoreError) -> CompletenessReply

    /// The tip-lead ledger (举报线索), generated from the tip table: public facts of each tip received in
    /// the period (auditors' canaries left out, as from the statistics), in reference order. The city
    /// office reads every centre's; a unit that runs a centre reads the tips that centre handles.
    func tipLeads(period: ReportingPeriod?, for member: StaffMember, limit: Int, after: String?) async throws(StoreError) -> [TipLeadRow]
}

/// The city office's desk: adoption, bulletins (快报, 简报), tip leads.
public protocol CityDeskStore: Sendable {
    /// Records an editor's version of an item: the statement parses, names this item and its next
    /// version, is signed by the caller and based on the author's statement; the content is sealed
    /// like the item (the unit's and the city office's content keys) to `<uid>.v<version>`.
    func editItem(_ reference: String, _ body: EditItemBody, by actor: StaffActor, at: Int64) async throws(StoreError) -> ItemSummary

    /// Records an adoption of an accepted item at a level (once per level); an accepted item becomes
    /// adopted (forwarded when sent to the province).
    func adoptItem(_ reference: String, _ body: AdoptBody, by actor: StaffActor, at: Int64) async throws(StoreError) -> AdoptionView

    /// Adoption statistics of items submitted in `period`, grouped by unit, author or kind; zero reports by unit.
    func adoption(period: ReportingPeriod, by: String) async throws(StoreError) -> AdoptionReply

    /// Opens the next issue of a bulletin for this year (numbered per type and year).
    func newBulletin(_ type: BulletinType, by actor: StaffActor, at: Int64) async throws(StoreError) -> BulletinView

    /// Issues, newest first.
    func bulletins(limit: Int) async throws(StoreError) -> [BulletinView]

    /// The bulletin issue `id` (`KB-2026-12`), draft or published; throws `notFound` when there is none.
    func bulletin(_ id: String) async throws(StoreError) -> BulletinView

    /// Adds an accepted item to a draft issue at its latest version (or `version`).
    func addToBulletin(_ id: String, _ body: BulletinItemBody, by actor: StaffActor, at: Int64) async throws(StoreError) -> BulletinView

    /// Publishes a draft issue: the document sealed (on the editor's machine) to exactly the receiving
    /// units' and the city office's content keys; every item recorded as adopted at the bulletin's
    /// level (dated today, referenced by the issue); one `bulletin.publish` entry with the hashes.
    func publishBulletin(_ id: String, _ body: PublishBulletinBody, by actor: StaffActor, at: Int64) async throws(StoreError) -> BulletinView

    /// Releases a published issue's sealed document to a receiving unit's staff (or the city office),
    /// after a `bulletin.read` entry; another unit is told it does not exist.
    func bulletinDocument(_ id: String, by actor: StaffActor, at: Int64) async throws(StoreError) -> BulletinDocument
}

/// The yearly assessment of units: scores, adjustments, freezing the ranking.
public protocol AssessmentStore: Sendable {
    /// The year's results: the frozen rows when the year is frozen, else the draft computed now.
    func assessment(year: Int, at: Int64) async throws(StoreError) -> AssessmentReply

    /// A frozen year's ranking; not found before the freeze.
    func frozenRanking(year: Int) async throws(StoreError) -> FrozenRanking

    /// Records an adjustment: a node, a criterion that applies to it, non-zero points within the policy's
    /// bound, a one-line reason; refused once the year is frozen (S-3.5: published results never change).
    func adjustAssessment(_ body: AdjustAssessmentBody, by actor: StaffActor, at: Int64) async throws(StoreError) -> AssessmentAdjustmentView

    /// Freezes a year: the draft computed now must hash to the one the assessor reviewed (the body's);
    /// every row and total is stored with that hash and the `assess.freeze` entry, in one transaction.
    func freezeAssessment(_ body: FreezeAssessmentBody, by actor: StaffActor, at: Int64) async throws(StoreError) -> FrozenRanking
}

/// Units of the network: leaders, self-checks, liaisons, training, areas and coverage.
public protocol UnitStore: Sendable {
    /// Records a unit's responsible leaders for a year (S-6.1); a later record for the same year replaces
    /// the row, the audit log keeps every version.
    func setUnitLeaders(_ unitID: String, _ body: UnitLeadersBody, by actor: StaffActor, at: Int64) async throws(StoreError)

    /// Records a unit's annual "in place" self-check (S-6.1).
    func recordSelfCheck(_ unitID: String, _ body: UnitSelfCheckBody, by actor: StaffActor, at: Int64) async throws(StoreError)

    /// Records a liaison's appointment date and qualification attestation (S-3.2).
    func recordLiaison(_ keyID: String, _ body: LiaisonRecordBody, by actor: StaffActor, at: Int64) async throws(StoreError)

    /// Records a training session and its attendees (staff names, resolved to keys).
    func addTraining(_ body: TrainingBody, by actor: StaffActor, at: Int64) async throws(StoreError) -> Int64

    /// Every unit with its number of active liaisons.
    func unitSummaries() async throws(StoreError) -> [UnitSummary]

    /// Liaisons (revoked ones too, marked) and every node whose active liaisons are not 1–2 (S-3.2).
    func liaisons() async throws(StoreError) -> LiaisonsReply

    /// One unit with its responsibility records, self-checks, liaisons and trainings.
    func unitDetail(_ unitID: String) async throws(StoreError) -> UnitDetail

    /// The district centre a district office's member works for, or nil for members of other units.
    func ownDistrict(of member: StaffMember) -> CentreID?

    /// Imports communities and villages (and any township missing from areas.csv) of one district
    /// (S-3.1): every row in the district's county, every parent known; a row already there with the
    /// same values is unchanged, with other values updated. Any bad row refuses the whole file.
    func importAreas(_ body: AreasImportBody, by actor: StaffActor, at: Int64) async throws(StoreError) -> AreasImportReply

    /// The areas of `district` (or every district): the shipped townships and the imported rows.
    func areas(district: String?) async throws(StoreError) -> [AreaView]

    /// Coverage per district (S-3.1): areas per level, those with an active informant, the uncovered
    /// ones, active informants by source role. Counts and codes only: no name anywhere.
    func coverage(district: String?) async throws(StoreError) -> CoverageReply
}

/// Everything the server's admin side needs from the centres' database: the stores above together,
/// and the policies they apply.
public protocol CentreStore: StaffStore, TipQueueStore, TipChangeStore, AuditTrailStore, RewardRecordStore, RemunerationStore,
    KeyRotationStore, RetentionStore, InformationStore, InformantRegistryStore, InformantReportStore, BookStore, CityDeskStore,
    AssessmentStore, UnitStore {
    /// The policies in force (centres, routing, timeliness, retention, network, …).
    var policies: PolicySet { get }
}

extension TriageStore: CentreStore {}

// The usual arguments, in one place for every implementation.

extension AuditTrailStore {
    /// The next page (500) of notification sources after `seq`.
    public func eventSources(after seq: Int64) async throws(StoreError) -> [TriageStore.EventSource] {
        try await eventSources(after: seq, limit: 500)
    }
}

extension RetentionStore {
    /// Applies retention at `now` in batches of 500 tips.
    public func applyRetention(at now: Int64) async throws(StoreError) -> TriageStore.RetentionResult {
        try await applyRetention(at: now, batch: 500)
    }
}

extension RemunerationStore {
    /// Adoptions of `item` that can be paid (any year).
    public func payableAdoptions(item: String) async throws(StoreError) -> [PayableAdoption] {
        try await payableAdoptions(item: item, year: nil, limit: 5_000)
    }

    /// Adoptions of `year` that can be paid, at most `limit`.
    public func payableAdoptions(year: Int?, limit: Int) async throws(StoreError) -> [PayableAdoption] {
        try await payableAdoptions(item: nil, year: year, limit: limit)
    }

    /// Remuneration paid to `pseudonym` between `from` and `to`.
    public func informantRemuneration(_ pseudonym: String, from: Int64, to: Int64) async throws(StoreError) -> Int64 {
        try await informantRemuneration(pseudonym, from: from, to: to, excluding: nil)
    }
}
