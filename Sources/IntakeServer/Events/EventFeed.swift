import Logging
import ServiceLifecycle
import TiplineAdminAPI
import TiplineCore
import TiplineStore

/// Turns what the audit log records into content-free notifications (issue 13, item 7): every state
/// change is an audit entry, so the feed reads new entries (once a second) instead of each handler
/// publishing its own, and it sees changes made by any process. Due-soon warnings come from a scan of
/// open tips (every 30 s), once per tip and due time.
struct EventFeed: Service {
    let store: any AuditTrailStore
    let hub: EventHub
    /// The centres' keys now and before (a rotation adds keys while the server runs).
    let keyBook: CentreKeyBook
    let city: String
    let time: any TimeSource
    let logger: Logger

    /// Roles that work tips (the queue's readers).
    static let tipRoles: Set<StaffRole> = StaffAction.readQueue.allowedRoles

    func run() async throws {
        var last = (try? await store.lastAuditSeq()) ?? 0
        var warned: Set<String> = []
        var tick = 0
        while !Task.isShuttingDownGracefully {
            do {
                for source in try await store.eventSources(after: last) {
                    last = source.seq
                    for (event, audience) in notifications(source) { await hub.publish(event, to: audience) }
                }
                if tick % 30 == 0 {
                    let now = time.now()
                    for due in try await store.dueSoon(at: now) where !warned.contains("\(due.reference)@\(due.dueAt)") {
                        warned.insert("\(due.reference)@\(due.dueAt)")
                        await hub.publish(StaffEvent(kind: .dueSoon, reference: due.reference, centre: due.centres[0], urgency: due.urgency,
                                                     at: now, dueAt: due.dueAt),
                                          to: EventAudience(centres: Set(due.centres), roles: Self.tipRoles))
                    }
                    if warned.count > 10_000 { warned.removeAll() }  // bounded; a repeat warning is harmless
                }
            } catch {
                logger.error("event feed pass failed", metadata: ["cause": "\(error)"])
            }
            tick += 1
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(1)) }
            } catch {
                break
            }
        }
        await hub.finishAll()
    }

    /// The events an audit entry makes, and who hears each.
    func notifications(_ source: TriageStore.EventSource) -> [(StaffEvent, EventAudience)] {
        let d = source.details
        switch source.action {
        case ServerAction.tipReceived.rawValue:
            // Every centre holding a content wrap sees the tip: its centre and its copies (a major tip: the city too).
            let centres = Set((d["recipients"] ?? "").split(separator: ",").compactMap { entry -> String? in
                let parts = entry.split(separator: ":")
                return parts.count == 2 && parts[0] == "content" ? keyBook.centre(ofContentKey: String(parts[1]))?.rawValue : nil
            }).union([d["centre"] ?? city])
            // The city holds a wrap of every tip; it is told at once only of major ones and its own (S-4.1).
            let audience = d["urgency"] == Urgency.major.rawValue || d["centre"] == city ? centres : centres.subtracting([city])
            return [(StaffEvent(kind: .newTip, reference: source.subject, centre: d["centre"] ?? city, urgency: d["urgency"], at: source.at),
                     EventAudience(centres: audience, roles: Self.tipRoles))]
        case StaffAction.route.rawValue:
            guard let to = d["to"] else { return [] }
            var events = [(StaffEvent(kind: .routedTip, reference: source.subject, centre: to, urgency: nil, at: source.at),
                           EventAudience(centres: [to], roles: Self.tipRoles, except: source.actor))]
            if d["identity_pending"] == "1" {
                // The sending centre's identity holders owe the new centre its identity wrap.
                let from = d["from"] ?? d["centre"] ?? city
                events.append((StaffEvent(kind: .identityWrapPending, reference: source.subject, centre: to, urgency: nil, at: source.at),
                               EventAudience(centres: [from, d["centre"] ?? from], roles: [.identityHolder])))
            }
            return events
        case StaffAction.changeUrgency.rawValue where d["to"] == Urgency.major.rawValue:
            // Raised to major: the city is told at once, as for a major tip at intake.
            return [(StaffEvent(kind: .newTip, reference: source.subject, centre: d["centre"] ?? city, urgency: Urgency.major.rawValue, at: source.at),
                     EventAudience(centres: [city], roles: Self.tipRoles, except: source.actor))]
        case StaffAction.proposeReward.rawValue:
            return [(StaffEvent(kind: .rewardAwaitingApproval, reference: source.subject, centre: d["centre"] ?? city, urgency: nil, at: source.at),
                     EventAudience(centres: [d["centre"] ?? city, city], roles: StaffAction.approveReward.allowedRoles, except: source.actor))]
        default:
            return []
        }
    }
}
