/// Which signed request each audited staff action must have been (docs/AUDIT.md "authority"): the
/// auditor's verifier checks every staff entry's stored request against this, so an entry whose
/// request was for another path or another subject is not the action it claims.
public enum AuditedRequest {
    /// The route and parameter a staff action on `subject` must have been sent to, given the entry's
    /// details; nil for an action no staff request performs (or a subject the route cannot have).
    public static func expected(action: String, subject: String, details: [String: String]) -> (route: AdminRoute, parameter: String?)? {
        switch action {
        case "tip.read": (.tip, subject)
        // Key rotation: the subject is the centre; the class and keys are in the signed body.
        case "keys.rotate": (.rotateKey, nil)
        case "keys.rewrap": (.rewrapKeys, nil)
        case "keys.retire": (.retireKey, nil)
        case "tip.status": (details["duplicate_of"] != nil ? .markDuplicate : .changeStatus, subject)
        case "tip.assign": (.assign, subject)
        case "tip.urgency": (.changeUrgency, subject)
        case "tip.note": (.addNote, subject)
        case "tip.reply": (.reply, subject)
        case "tip.route": (.route, subject)
        case "tip.identity-wrap": (.addIdentityWrap, subject)
        case "tip.unseal": (.unseal, subject)
        case "tip.canary": (.markCanary, subject)
        case "tip.record": (.recordTip, nil)  // the subject is the reference the server assigned
        case "staff.enrol", "staff.enrol-pending": (.enrolStaff, nil)
        case "staff.revoke": (.revokeStaff, subject)
        case "reward.propose": (.proposeReward, subject)
        case "reward.approve": (details["declined"] == "1" ? .declineReward : .approveReward, subject)
        case "ledger.fund" where subject == "ledger": (.fund, nil)
        case "ledger.redeem": (.redeem, nil)  // the subject is the reference the code paid
        // Payments (issue 17): the subject is the item (or subsidy) paid; the payment id is in the details.
        case "remuneration.propose": (.proposeRemuneration, subject)
        case "subsidy.propose": (.proposeSubsidies, nil)
        case "payment.approve": (details["declined"] == "1" ? .declinePayment : .approvePayment, details["payment_id"])
        case "payment.pay": (.payPayment, details["payment_id"])
        case "ledger.expire" where subject == "ledger": (.expire, nil)
        case "network.unit-leaders": (.setUnitLeaders, subject)
        case "network.unit-check": (.unitSelfCheck, subject)
        case "network.liaison": (.recordLiaison, subject)
        case "network.training": (.addTraining, nil)
        case "network.areas-import": (.importAreas, nil)
        case "informant.register": (.registerInformant, nil)
        case "informant.status": (.changeInformant, subject)
        case "informant.review": (.reviewInformant, subject)
        case "informant.code": (.reissueInformantCode, subject)
        case "informant.unseal-request": (.requestInformantUnseal, subject)
        case "informant.unseal-approve": (.approveInformantUnseal, subject)
        case "informant.unseal": (.unsealInformant, subject)
        case "info.new": (.newItem, nil)
        case "info.read": (.item, subject)
        case "info.submit": (.submitItem, subject)
        case "info.picture": (.addItemPicture, subject)
        case "info.return": (.returnItem, subject)
        case "info.accept": (.acceptItem, subject)
        case "info.zero-report": (.zeroReport, nil)
        case "info.call": (.openCall, nil)
        case "info.edit": (.editItem, subject)
        case "info.adopt": (.adoptItem, subject)
        case "bulletin.new": (.newBulletin, nil)
        case "bulletin.add": (.addToBulletin, subject)
        case "bulletin.publish": (.publishBulletin, subject)
        case "bulletin.read": (.bulletinDocument, subject)
        case "informant.report-read": (.informantReport, subject)
        case "informant.reply": (.replyReport, subject)
        case "tip.from-informant": (.reportToTip, details["report"])  // the subject is the new tip's reference
        // The subject of a new record is the id the server assigned; the ledger is in the details.
        case "books.add": details["book"].map { (.addRecord, $0) }
        case "books.edit": (.editRecord, subject)
        case "books.read": (.openRecords, subject)
        case "books.names": (.recordNames, subject)
        case "books.zero-report": details["book"].map { (.bookZeroReport, $0) }
        // The year and unit are in the signed body (RequestBodies compares them with the entry).
        case "assess.adjust": (.adjustAssessment, nil)
        case "assess.freeze": (.freezeAssessment, nil)
        default: nil
        }
    }

    /// Whether `method target` is the request that performs `action` on `subject`.
    public static func matches(action: String, subject: String, details: [String: String], method: String, target: String) -> Bool {
        guard let (route, parameter) = expected(action: action, subject: subject, details: details) else { return false }
        return method == route.method.rawValue && target == route.target(parameter)
    }
}
