import TiplineAdminAPI
import TiplineCore

/// Who an event is for: staff of these centres in these roles, except the one who caused it.
struct EventAudience: Sendable {
    var centres: Set<String>
    var roles: Set<StaffRole>
    var except: String? = nil

    func includes(keyID: String, role: StaffRole, centre: String) -> Bool {
        keyID != except && roles.contains(role) && centres.contains(centre)
    }
}

/// The live `watch` connections and what each may hear. Bounded: at most `maxSubscribers`
/// connections, each with a buffer of the newest `bufferSize` events (a slow reader loses the
/// oldest, never stalls the feed).
actor EventHub {
    static let maxSubscribers = 64
    static let bufferSize = 100

    private struct Subscriber {
        let keyID: String
        let role: StaffRole
        let centre: String
        let continuation: AsyncStream<StaffEvent>.Continuation
    }

    private var subscribers: [Int: Subscriber] = [:]
    private var nextID = 0
    private var finished = false

    /// A stream of the events for this staff member, or nil when the hub is full or shutting down.
    func subscribe(keyID: String, role: StaffRole, centre: String) -> AsyncStream<StaffEvent>? {
        guard !finished, subscribers.count < Self.maxSubscribers else { return nil }
        let id = nextID
        nextID += 1
        let (stream, continuation) = AsyncStream<StaffEvent>.makeStream(bufferingPolicy: .bufferingNewest(Self.bufferSize))
        continuation.onTermination = { _ in Task { await self.remove(id) } }
        subscribers[id] = Subscriber(keyID: keyID, role: role, centre: centre, continuation: continuation)
        return stream
    }

    private func remove(_ id: Int) { subscribers[id] = nil }

    var count: Int { subscribers.count }

    func publish(_ event: StaffEvent, to audience: EventAudience) {
        for subscriber in subscribers.values where audience.includes(keyID: subscriber.keyID, role: subscriber.role, centre: subscriber.centre) {
            subscriber.continuation.yield(event)
        }
    }

    /// Ends every stream (graceful shutdown: the admin listener can then finish its requests).
    func finishAll() {
        finished = true
        for subscriber in subscribers.values { subscriber.continuation.finish() }
        subscribers.removeAll()
    }
}
