import Accounting
import LedgerModel
import Foundation
import Hummingbird
import NIOCore
import Sealing
import TiplineAdminAPI
import TiplineCore
import TiplineDeployment
import TiplineStore

/// The staff API on the admin listener (docs/ADMIN-API.md). It serves ciphertext and wraps;
/// the CLI decrypts locally. Every change is a signed staff request kept in the audit log.
struct AdminController: Sendable {
    let store: any CentreStore
    let time: any TimeSource
    /// The deployment's public keys now (a rotation changes them without a restart).
    let keys: LiveKeys
    let rewards: RewardDesk
    /// Signs fresh checkpoints for auditors (`GET audit/checkpoint`); nil: the route answers 404.
    var checkpoints: CheckpointMaker? = nil
    /// The notification streams; nil: the route answers 404.
    var events: EventHub? = nil
    /// Checks a canary's receipt as the follow-up does (`POST tips/{ref}/canary`); nil: the route answers 404.
    var intake: IntakeService? = nil

    func register(on router: Router<TiplineRequestContext>) {
        let v1 = router.group(RouterPath(stringLiteral: AdminRoute.prefix))
        registerLedger(on: v1)
        registerRemuneration(on: v1)
        registerCheckpoint(on: v1)
        registerEvents(on: v1)
        registerNetwork(on: v1)
        registerInformation(on: v1)
        registerInformantReports(on: v1)
        registerCityDesk(on: v1)
        registerBooks(on: v1)
        registerAssessment(on: v1)
        registerRecording(on: v1)
        registerKeys(on: v1)
        v1.on(.whoami) { _, context in try await handle(context, nil) { actor, _ in try JSONResponse.json(.ok, actor.member.publicView()) } }
        v1.on(.keys) { _, context in try await handle(context, nil) { _, _ in try JSONResponse.json(.ok, keys.manifest) } }

        v1.on(.listStaff) { _, context in
            try await handle(context, .listStaff) { _, _ in try JSONResponse.json(.ok, try await store.listStaff().map { $0.publicView() }) }
        }
        v1.on(.enrolStaff) { _, context in
            try await handle(context, .enrolStaff) { actor, body in
                let request = try decode(EnrolmentRequest.self, body)  // EnrolmentRequest is a StrictBody
                switch try await store.enrol(request, by: actor, at: time.now()) {
                case .enrolled(let member): return try JSONResponse.json(.created, member.publicView())
                case .pending(let member): return try JSONResponse.json(.accepted, member.publicView(pending: "second-approval"))
                }
            }
        }
        v1.on(.revokeStaff) { _, context in
            try await handle(context, .revokeStaff) { actor, body in
                let key = try context.parameters.require("key")
                try await store.revoke(keyID: key, reason: try decode(ReasonBody.self, body).reason, by: actor, at: time.now())
                return try JSONResponse.json(.ok, ["revoked": key])
            }
        }

        v1.on(.queue) { request, context in
            try await handle(context, .readQueue) { actor, _ in
                let query = request.uri.queryParameters
                let filter = TriageStore.QueueFilter(
                    centre: query.get("centre"), status: query.get("status"),
                    overdueAt: query.get("overdue") == "1" ? time.now() : nil,
                    limit: try Self.pageLimit(query.get("limit")),
                    assignedTo: query.get("mine") == "1" ? actor.member.keyID : nil)
                return try JSONResponse.json(.ok, try await store.queue(filter, for: actor.member))
            }
        }
        v1.on(.overdue) { request, context in
            try await handle(context, .readQueue) { actor, _ in
                let limit = try Self.pageLimit(request.uri.queryParameters.get("limit"))
                return try JSONResponse.json(.ok, try await store.queue(.init(overdueAt: time.now(), limit: limit), for: actor.member))
            }
        }
        v1.on(.pendingWraps) { _, context in
            try await handle(context, .readQueue) { actor, _ in try JSONResponse.json(.ok, try await store.pendingWraps(for: actor.member)) }
        }
        v1.on(.stats) { _, context in
            try await handle(context, .readStats) { actor, _ in
                let scope = actor.member.role == .auditor ? nil : actor.member
                return try JSONResponse.json(.ok, try await store.stats(at: time.now(), for: scope))
            }
        }
        v1.on(.periodStats) { request, context in
            try await handle(context, .readStats) { actor, _ in
                let query = request.uri.queryParameters
                guard let from = query.get("from"), let to = query.get("to"), CivilDate.isValid(from), CivilDate.isValid(to), from <= to,
                      let start = TriageStore.startOfChinaDay(from), let end = TriageStore.endOfChinaDay(to) else {
                    throw APIError(status: .badRequest, code: "invalid", message: "from and to are dates YYYY-MM-DD, from ≤ to")
                }
                let scope = actor.member.role == .auditor ? nil : actor.member
                return try JSONResponse.json(.ok, try await store.periodStats(from: from, to: to, start: start, end: end, for: scope))
            }
        }
        v1.on(.tip) { _, context in
            try await handle(context, .readTip) { actor, _ in
                try JSONResponse.json(.ok, try await store.release(try context.parameters.require("ref"), to: actor, at: time.now()))
            }
        }
        v1.on(.changeStatus) { _, context in
            try await handle(context, .changeStatus) { actor, body in
                let status = try await store.changeStatus(try context.parameters.require("ref"), try decode(StatusChange.self, body),
                                                          by: actor, at: time.now())
                return try JSONResponse.json(.ok, StatusReply(status: status))
            }
        }
        v1.on(.assign) { _, context in
            try await handle(context, .assign) { actor, body in
                try await store.assign(try context.parameters.require("ref"), to: try decode(AssignBody.self, body).to, by: actor, at: time.now())
                return try JSONResponse.json(.ok, ["assigned": true])
            }
        }
        v1.on(.changeUrgency) { _, context in
            try await handle(context, .changeUrgency) { actor, body in
                let input = try decode(UrgencyBody.self, body)
                try await store.changeUrgency(try context.parameters.require("ref"), to: input.urgency, reason: input.reason, by: actor, at: time.now())
                return try JSONResponse.json(.ok, ["urgency": input.urgency.rawValue])
            }
        }
        v1.on(.markDuplicate) { _, context in
            try await handle(context, .changeStatus) { actor, body in
                let input = try decode(DuplicateBody.self, body)
                try await store.markDuplicate(try context.parameters.require("ref"), of: input.of, reason: input.reason, by: actor, at: time.now())
                return try JSONResponse.json(.ok, ["duplicate": true])
            }
        }
        v1.on(.addNote) { _, context in
            try await handle(context, .note) { actor, body in
                try await store.addNote(try context.parameters.require("ref"), envelope: try decode(EnvelopeBody.self, body).envelope, by: actor, at: time.now())
                return try JSONResponse.json(.created, ["noted": true])
            }
        }
        v1.on(.reply) { _, context in
            try await handle(context, .reply) { actor, body in
                try await store.addReply(try context.parameters.require("ref"), envelope: try decode(EnvelopeBody.self, body).envelope, by: actor, at: time.now())
                return try JSONResponse.json(.created, ["sent": true])
            }
        }
        v1.on(.route) { _, context in
            try await handle(context, .route) { actor, body in
                let input = try decode(RouteBody.self, body)
                let content = try input.contentWrap.map {
                    try RecipientWrap(keyClass: .content, recipientKeyID: try keyID(of: input.to, .content), serialized: Array($0))
                }
                let identity = try input.identityWrap.map {
                    try RecipientWrap(keyClass: .identity, recipientKeyID: try keyID(of: input.to, .identity), serialized: Array($0))
                }
                let pending = try await store.route(try context.parameters.require("ref"), to: CentreID(input.to), reason: input.reason,
                                                    contentWrap: content, identityWrap: identity, by: actor, at: time.now())
                return try JSONResponse.json(.ok, RouteReply(routedTo: input.to, identityWrapPending: pending))
            }
        }
        v1.on(.addIdentityWrap) { _, context in
            try await handle(context, .wrapIdentity) { actor, body in
                let input = try decode(IdentityWrapBody.self, body)
                let wrap = try RecipientWrap(keyClass: .identity, recipientKeyID: try keyID(of: input.centre, .identity), serialized: Array(input.wrap))
                try await store.addIdentityWrap(try context.parameters.require("ref"), centre: CentreID(input.centre), wrap: wrap, by: actor, at: time.now())
                return try JSONResponse.json(.created, ["wrapped": true])
            }
        }
        v1.on(.unseal) { _, context in
            try await handle(context, .unseal) { actor, body in
                let reason = try decode(ReasonBody.self, body).reason
                return try JSONResponse.json(.ok, try await store.unseal(try context.parameters.require("ref"), reason: reason, by: actor, at: time.now()))
            }
        }
        v1.on(.markCanary) { _, context in
            try await handle(context, .markCanary) { actor, body in
                let reference = try context.parameters.require("ref")
                let input = try decode(CanaryBody.self, body)
                guard input.receipt.hasValidSalt else {
                    throw APIError(status: .badRequest, code: "invalid", message: "receipt.salt must be 32 lowercase hex characters")
                }
                // Never echoed, never logged: the message names the field, not its value.
                guard let receipt = Receipt(normalizing: input.receipt.digits) else {
                    throw APIError(status: .badRequest, code: "invalid", message: "receipt.digits is not a receipt")
                }
                guard let intake else { throw APIError(status: .notFound, code: "not_found", message: "no canary marking here") }
                // The auditor proves they planted this tip: its receipt opens it, checked exactly as a follow-up.
                let opened: TipReference?
                do {
                    opened = try await intake.reference(opening: receipt)
                } catch IntakeError.unknownReceipt {
                    opened = nil
                }
                guard let opened, opened.rawValue == reference else {
                    throw APIError(status: .forbidden, code: "wrong_receipt", message: "the receipt does not open tip \(reference): nothing was marked")
                }
                let at = time.now()
                try await store.markCanary(reference, by: actor, at: at)
                return try JSONResponse.json(.ok, CanaryReply(reference: reference, canaryAt: ISO8601.string(fromSeconds: at)))
            }
        }
    }

    /// `POST tips/record` (issue 15): a tip that came by phone, letter, visit or e-mail, recorded by a
    /// triage officer. The form is validated with the public form's rules (`TipSubmission.validate`),
    /// the identity arrives sealed (checked against this server's routing), the receipt is made and the
    /// tip sealed as intake does; the tip, its `tip.received` entry and the officer's `tip.record` entry
    /// are one transaction. The receipt is in the answer only. Any refusal stores nothing.
    func registerRecording(on v1: RouterGroup<TiplineRequestContext>) {
        v1.on(.recordTip) { _, context in
            try await handle(context, .recordTip) { actor, body in
                let input = try decode(RecordTipBody.self, body)
                guard let channel = input.recordedChannel else {
                    throw APIError(status: .badRequest, code: "invalid", message: "channel must be one of phone, letter, visit, email",
                                   fields: [FieldError(field: "channel", code: "invalid", message: "not a recorded channel")])
                }
                let store = self.store
                return try await record(input, channel: channel) { newTip in try await store.recordTip(newTip, by: actor) }
            }
        }
    }

    /// A recorded tip (`tips/record`, or a report turned into a tip): the salted form validated with the
    /// public form's rules, the identity sealed on the workstation, the receipt made and the tip sealed
    /// as intake does, stored by `store` in one transaction; the receipt is in the answer only.
    func record(_ input: RecordTipBody, channel: TipChannel,
                store: @escaping @Sendable (NewTip) async throws -> StoredTip) async throws -> Response {
        guard let intake else { throw APIError(status: .notFound, code: "not_found", message: "no recording here") }
        guard input.tip.hasValidSalt else {
            throw APIError(status: .badRequest, code: "invalid", message: "tip.salt must be 32 lowercase hex characters")
        }
        guard input.tip.form.reporter == nil else {
            throw APIError(status: .badRequest, code: "invalid", message: "the reporter's identity is sealed on the workstation, never sent in clear",
                           fields: [FieldError(field: "tip.form.reporter", code: "invalid", message: "send the identity sealed, in identity")])
        }
        let tip: ValidatedTip
        do {
            tip = try input.tip.form.validate(policies: intake.policies, now: time.now())
        } catch {
            throw IntakeError.invalid(error.errors)
        }
        let (result, newTip) = try await intake.record(tip, identity: input.identity, channel: channel, store: store)
        return try JSONResponse.json(.created, RecordTipReply(
            reference: result.stored.reference.rawValue, receipt: result.receipt.grouped, channel: channel,
            receivedAt: result.stored.receivedAt, dueAt: newTip.dueAt, centre: newTip.routing.centre.rawValue,
            copies: newTip.routing.copies.map(\.rawValue), urgency: newTip.urgency))
    }

    /// The `limit` of a list: the default page when absent, else a whole number from 1 to
    /// `TriageStore.maxPageSize` (400 otherwise).
    static func pageLimit(_ text: String?) throws -> Int {
        guard let text else { return TriageStore.defaultPageSize }
        guard let limit = Int(text), (1...TriageStore.maxPageSize).contains(limit) else {
            throw APIError(status: .badRequest, code: "invalid",
                               message: "limit must be a whole number from 1 to \(TriageStore.maxPageSize)")
        }
        return limit
    }

    private func keyID(of centre: String, _ keyClass: KeyClass) throws -> String {
        guard let entry = keys.manifest.centres.first(where: { $0.centre == centre }) else {
            throw APIError(status: .badRequest, code: "invalid", message: "no such centre")
        }
        return keyClass == .content ? entry.content.keyID : entry.identity.keyID
    }

    /// Runs `body` for an authenticated actor allowed to do `action`, mapping errors to answers.
    func handle(_ context: TiplineRequestContext, _ action: TiplineCore.StaffAction?,
                        _ body: (StaffActor, ByteBuffer) async throws -> Response) async throws -> Response {
        guard let actor = context.staff else {
            return JSONResponse.error(.unauthorized, "unauthenticated", "a signed request is required")
        }
        if let action {
            guard action.allows(actor.member.role) else {
                return JSONResponse.error(.forbidden, "forbidden", "the role \(actor.member.role.rawValue) may not \(action.rawValue)")
            }
        }
        do {
            return try await body(actor, context.adminBody ?? ByteBuffer())
        } catch {
            return APIError(mapping: error).response()
        }
    }

    func decode<T: StrictBody>(_ type: T.Type, _ body: ByteBuffer) throws -> T {
        do {
            return try T.decodeStrictly(from: Data(body.readableBytesView))
        } catch let error as UnknownFieldError {
            throw APIError(status: .badRequest, code: "invalid", message: "unknown field \(error.field)")
        } catch let error as DuplicateKeyError {
            throw APIError(status: .badRequest, code: "invalid", message: "field \(error.field) given more than once")
        } catch {
            throw APIError(status: .badRequest, code: "invalid", message: "the body is not the expected JSON")
        }
    }
}


extension StaffMember {
    /// What the API shows of a staff member.
    func publicView(pending: String? = nil) -> StaffView {
        StaffView(keyID: keyID, name: name, role: role, centre: centre.rawValue, unit: unit, publicKey: Hex.encode(publicKey),
                         enrolledAt: ISO8601.string(fromSeconds: enrolledAt), enrolledBy: enrolledBy,
                         revokedAt: revokedAt.map { ISO8601.string(fromSeconds: $0) }, pending: pending)
    }
}
