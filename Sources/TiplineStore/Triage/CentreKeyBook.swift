public import Sealing
public import TiplineCore
import Synchronization

/// The centres' key ids as they stand now, shared by every part of the running server: a rotation
/// (`keys rotate`) or retirement changes them at once, without a restart. The current keys are what
/// new records are sealed to and what the store accepts wraps for; former keys are only re-wrapped from.
public final class CentreKeyBook: Sendable {
    /// A former (superseded or retired) centre key.
    public struct Former: Sendable, Equatable {
        public let centre: CentreID
        public let keyClass: KeyClass
        public let keyID: String
        public let retired: Bool
        public init(centre: CentreID, keyClass: KeyClass, keyID: String, retired: Bool) {
            self.centre = centre
            self.keyClass = keyClass
            self.keyID = keyID
            self.retired = retired
        }
    }

    private struct State: Sendable {
        var current: [CentreID: (content: String, identity: String)]
        var former: [String: Former]
    }

    private let state: Mutex<State>

    public init(current: [CentreID: (content: String, identity: String)], former: [Former] = []) {
        state = Mutex(State(current: current, former: Dictionary(former.map { ($0.keyID, $0) }, uniquingKeysWith: { a, _ in a })))
    }

    /// Content and identity key ids by centre, as they are now.
    public var current: [CentreID: (content: String, identity: String)] { state.withLock { $0.current } }

    /// The current key id of a centre and class.
    public func current(_ centre: CentreID, _ keyClass: KeyClass) -> String? {
        state.withLock { s in s.current[centre].map { keyClass == .content ? $0.content : $0.identity } }
    }

    /// The former key `keyID`, if it is one.
    public func former(_ keyID: String) -> Former? { state.withLock { $0.former[keyID] } }

    /// The centre whose content key (current or former) is `keyID`.
    public func centre(ofContentKey keyID: String) -> CentreID? {
        state.withLock { s in
            if let former = s.former[keyID], former.keyClass == .content { return former.centre }
            return s.current.first { $0.value.content == keyID }?.key
        }
    }

    /// Former keys of a centre and class.
    public func formerKeys(_ centre: CentreID, _ keyClass: KeyClass) -> [Former] {
        state.withLock { s in s.former.values.filter { $0.centre == centre && $0.keyClass == keyClass }.sorted { $0.keyID < $1.keyID } }
    }

    /// Replaces the whole book (after a rotation or retirement was committed to keys.json).
    public func replace(current: [CentreID: (content: String, identity: String)], former: [Former]) {
        state.withLock { s in
            s.current = current
            s.former = Dictionary(former.map { ($0.keyID, $0) }, uniquingKeysWith: { a, _ in a })
        }
    }
}
