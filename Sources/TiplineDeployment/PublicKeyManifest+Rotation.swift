public import Foundation
public import Sealing
public import TiplineCore

/// Centre key rotation in `keys.json` (Keys/README.md "Rotation", docs/ENVELOPE.md §14): the one
/// place that says how a rotation or a retirement changes the manifest, used by the server (which
/// persists it) and by the CLI (which checks that a served manifest is exactly that change).
extension PublicKeyManifest {
    /// What a rotation or retirement may be refused for.
    public enum RotationError: Error, Equatable, Sendable, CustomStringConvertible {
        case unknownCentre(String)
        case malformedKey
        case keyInUse(String)
        case notSuperseded(String)
        case alreadyRetired(String)

        public var description: String {
            switch self {
            case .unknownCentre(let centre): "no such centre: \(centre)"
            case .malformedKey: "the new public key is not a valid X25519 key"
            case .keyInUse(let id): "key \(id) is already a key of this deployment"
            case .notSuperseded(let id): "key \(id) is not a superseded key of that centre and class"
            case .alreadyRetired(let id): "key \(id) is already retired"
            }
        }
    }

    /// One centre key of any generation, with its state.
    public struct CentreKeyRecord: Sendable, Equatable {
        public enum State: String, Sendable { case current, superseded, retired }
        public let centre: String
        public let keyClass: KeyClass
        public let key: Key
        public let state: State
        /// For a former key: the key that replaced it.
        public let supersededBy: String?
    }

    /// Every centre key, current and former, in manifest order.
    public var allCentreKeys: [CentreKeyRecord] {
        centres.flatMap { entry -> [CentreKeyRecord] in
            let former = (entry.former ?? []).map {
                CentreKeyRecord(centre: entry.centre, keyClass: $0.keyClass, key: $0.key,
                                state: $0.retiredSeq == nil ? .superseded : .retired, supersededBy: $0.supersededBy)
            }
            return former + [CentreKeyRecord(centre: entry.centre, keyClass: .content, key: entry.content, state: .current, supersededBy: nil),
                             CentreKeyRecord(centre: entry.centre, keyClass: .identity, key: entry.identity, state: .current, supersededBy: nil)]
        }
    }

    /// The record of the centre key `keyID`, any generation.
    public func centreKeyRecord(_ keyID: String) -> CentreKeyRecord? { allCentreKeys.first { $0.key.keyID == keyID } }

    /// Every key id in the manifest (centres of every generation, units, server, staff).
    var everyKeyID: Set<String> {
        var ids = Set(allCentreKeys.map(\.key.keyID))
        for unit in units ?? [] { ids.insert(unit.content.keyID); if let registry = unit.registry { ids.insert(registry.keyID) } }
        ids.insert(server.keyID)
        for member in staff { ids.insert(member.key.keyID) }
        return ids
    }

    /// The manifest after `keys.rotate` entry `seq`: `publicKey` becomes the current key of `centre`
    /// and `keyClass`; the key it replaces is kept under `former` as superseded.
    public func rotated(centre: String, keyClass: KeyClass, to publicKey: X25519PublicKey, seq: Int64, at: Int64) throws(RotationError) -> PublicKeyManifest {
        guard let index = centres.firstIndex(where: { $0.centre == centre }) else { throw .unknownCentre(centre) }
        guard !everyKeyID.contains(publicKey.keyID) else { throw .keyInUse(publicKey.keyID) }
        var copy = self
        var entry = copy.centres[index]
        let old = entry.current(keyClass)
        let new = Key(keyID: publicKey.keyID, publicKey: Hex.encode(publicKey.rawRepresentation), sinceSeq: seq, since: at)
        entry.former = (entry.former ?? []) + [FormerKey(keyClass: keyClass, key: old, supersededBy: new.keyID, supersededSeq: seq, supersededAt: at)]
        if keyClass == .content { entry.content = new } else { entry.identity = new }
        copy.centres[index] = entry
        return copy
    }

    /// The manifest after `keys.retire` entry `seq` retired the superseded key `keyID`.
    public func retired(centre: String, keyClass: KeyClass, keyID: String, seq: Int64, at: Int64) throws(RotationError) -> PublicKeyManifest {
        guard let index = centres.firstIndex(where: { $0.centre == centre }) else { throw .unknownCentre(centre) }
        var copy = self
        guard var former = copy.centres[index].former,
              let position = former.firstIndex(where: { $0.key.keyID == keyID && $0.keyClass == keyClass }) else {
            throw .notSuperseded(keyID)
        }
        guard former[position].retiredSeq == nil else { throw .alreadyRetired(keyID) }
        former[position].retiredSeq = seq
        former[position].retiredAt = at
        copy.centres[index].former = former
        return copy
    }

    /// Whether `newer` differs from this manifest only by rotations and retirements of centre keys
    /// (every key here is still there, nothing else changed): what a workstation checks before it
    /// re-pins (`keys pin`). Returns the changed centre keys, or nil when anything else changed.
    public func keyChanges(to newer: PublicKeyManifest) -> [CentreKeyRecord]? {
        guard newer.server == server, newer.staff == staff, newer.units == units,
              newer.centres.map(\.centre) == centres.map(\.centre) else { return nil }
        let before = Dictionary(allCentreKeys.map { ($0.key.keyID, $0) }, uniquingKeysWith: { a, _ in a })
        var changed: [CentreKeyRecord] = []
        for record in newer.allCentreKeys {
            if let old = before[record.key.keyID] {
                guard old.centre == record.centre, old.keyClass == record.keyClass, old.key.publicKey == record.key.publicKey else { return nil }
                if old.state != record.state { changed.append(record) }
            } else {
                guard record.state == .current else { return nil }
                changed.append(record)
            }
        }
        let after = Set(newer.allCentreKeys.map(\.key.keyID))
        guard before.keys.allSatisfy(after.contains) else { return nil }
        return changed
    }

    /// Writes the manifest to `url` atomically (0644): the server after a rotation, the CLI when it re-pins.
    public func write(to url: URL) throws(DeploymentError) {
        let bytes: [UInt8]
        do { bytes = try JSONFiles.encode(self) } catch { throw DeploymentError.io("cannot encode keys.json") }
        try SecureFile.replace(url, bytes: bytes, mode: 0o644)
    }
}
