import Sealing
import TiplineCore
import TiplineDeployment

/// The deployment's public keys, parsed once: centres by index, each centre's content and identity
/// key ids, and the server key. Key sets of a tip are bit masks over `keyIndex` (two bits a centre),
/// so a million tips cost no per-tip allocations.
struct KeyDirectory {
    /// Centre ids by index (the policy's order).
    let centres: [String]
    let centreIndex: [String: Int]
    let city: Int
    /// Key id → (centre index, class), for every generation of centre keys (current and former).
    let keys: [String: (centre: Int, keyClass: KeyClass)]
    /// What keys.json says of each centre key's generation (key rotation): when it came, when it was
    /// superseded and retired. The replay checks this against the `keys.*` entries.
    let generations: [String: Generation]
    /// The first key of each centre and class (`centre index * 2 + identity`): what the chain starts with.
    let initialKeyID: [String]

    /// One centre key as keys.json records it.
    struct Generation {
        let publicKey: String
        let sinceSeq: Int64?
        let supersededSeq: Int64?
        let supersededBy: String?
        let retiredSeq: Int64?
    }
    let contentKeyID: [String]
    let identityKeyID: [String]
    let server: Ed25519PublicKey
    /// The first administrator of `keys.json` (bootstrapped by the server at first start).
    let bootstrap: (keyID: String, key: Ed25519PublicKey, centre: String)?

    /// The network's units (from the sources), if known.
    let units: UnitsPolicy?
    /// The ledgers (issue 16), if known.
    let ledgers: BooksPolicy?
    /// Registry key id by district office unit id (keys.json `units`).
    let registryKeyID: [String: String]
    /// Content key id by unit id (keys.json `units`).
    let unitContentKeyID: [String: String]

    static let maxCentres = 32

    init(sources: AuditSources) throws(AuditError) {
        guard sources.centres.count <= Self.maxCentres else { throw .input("more than \(Self.maxCentres) centres are not supported") }
        centres = sources.centres
        var index: [String: Int] = [:]
        for (i, centre) in centres.enumerated() { index[centre] = i }
        centreIndex = index
        guard let city = index[sources.city] else { throw .input("the city centre is not among the centres") }
        self.city = city
        var keys: [String: (centre: Int, keyClass: KeyClass)] = [:]
        var content = Array(repeating: "", count: centres.count)
        var identity = Array(repeating: "", count: centres.count)
        var generations: [String: Generation] = [:]
        var initial = Array(repeating: "", count: 2 * centres.count)
        for entry in sources.manifest.centres {
            guard let i = index[entry.centre] else { continue }
            let former = (entry.former ?? []).map { ($0.keyClass, $0.key, Optional($0)) }
            for (keyClass, key, old) in former + [(KeyClass.content, entry.content, nil), (.identity, entry.identity, nil)] {
                guard let raw = Hex.decode(key.publicKey), raw.count == 32, Hashing.sha256Hex(raw).prefix(32) == key.keyID else {
                    throw .input("keys.json: the \(keyClass.rawValue) key of \(entry.centre) does not match its key id")
                }
                guard keys[key.keyID] == nil else { throw .input("keys.json: key \(key.keyID) is listed twice") }
                keys[key.keyID] = (i, keyClass)
                generations[key.keyID] = Generation(publicKey: key.publicKey, sinceSeq: key.sinceSeq, supersededSeq: old?.supersededSeq,
                                                    supersededBy: old?.supersededBy, retiredSeq: old?.retiredSeq)
                let slot = 2 * i + (keyClass == .identity ? 1 : 0)
                if initial[slot].isEmpty { initial[slot] = key.keyID }
            }
            content[i] = entry.content.keyID
            identity[i] = entry.identity.keyID
        }
        self.generations = generations
        initialKeyID = initial
        for (i, centre) in centres.enumerated() where content[i].isEmpty {
            throw .input("keys.json: no keys for centre \(centre)")
        }
        self.keys = keys
        units = sources.units
        ledgers = sources.ledgers
        var registry: [String: String] = [:]
        for entry in sources.manifest.units ?? [] { registry[entry.unit] = entry.registry?.keyID }
        registryKeyID = registry
        var unitContent: [String: String] = [:]
        for entry in sources.manifest.units ?? [] { unitContent[entry.unit] = entry.content.keyID }
        unitContentKeyID = unitContent
        contentKeyID = content
        identityKeyID = identity
        do {
            server = try sources.manifest.serverPublicKey()
        } catch {
            throw .input("keys.json: malformed server key")
        }
        guard server.keyID == sources.manifest.server.keyID else { throw .input("keys.json: the server key does not match its key id") }
        if let admin = sources.manifest.staff.first(where: { $0.role == StaffRole.admin.rawValue }),
           let raw = Hex.decode(admin.key.publicKey), let key = try? Ed25519PublicKey(rawRepresentation: raw) {
            bootstrap = (key.keyID, key, admin.centre)
        } else {
            bootstrap = nil
        }
    }

    /// Bit of a key in a key mask: `2 × centre + (identity ? 1 : 0)`.
    static func bit(centre: Int, _ keyClass: KeyClass) -> UInt64 { 1 << UInt64(2 * centre + (keyClass == .identity ? 1 : 0)) }

    /// Every content bit and every identity bit.
    static let contentBits: UInt64 = 0x5555_5555_5555_5555
    static let identityBits: UInt64 = 0xAAAA_AAAA_AAAA_AAAA

    /// Both keys of every centre in `centres` (a centre mask).
    static func keys(ofCentres centres: UInt32) -> UInt64 {
        var mask: UInt64 = 0
        for i in 0..<maxCentres where centres & (1 << UInt32(i)) != 0 { mask |= 3 << UInt64(2 * i) }
        return mask
    }

    /// `class:keyid` items of a mask, sorted (for findings and the export).
    func describe(_ mask: UInt64) -> [String] {
        var out: [String] = []
        for i in 0..<centres.count {
            if mask & Self.bit(centre: i, .content) != 0 { out.append("content:\(contentKeyID[i])") }
            if mask & Self.bit(centre: i, .identity) != 0 { out.append("identity:\(identityKeyID[i])") }
        }
        return out.sorted()
    }

    /// Parses `class:keyid,class:keyid,…` into a mask; the first item that is not a key of its class
    /// is returned as a problem.
    func parseRecipients(_ list: String) -> (mask: UInt64, problem: String?) {
        var mask: UInt64 = 0
        for item in list.split(separator: ",") {
            let parts = item.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let keyClass = KeyClass(rawValue: String(parts[0])) else {
                return (mask, "malformed recipient \(item)")
            }
            guard let key = keys[String(parts[1])] else {
                return (mask, "recipient \(parts[1]) is not a key of any centre")
            }
            guard key.keyClass == keyClass else {
                return (mask, "\(keyClass.rawValue) wrap for \(parts[1]), which is a \(key.keyClass.rawValue) key")
            }
            mask |= Self.bit(centre: key.centre, keyClass)
        }
        return (mask, nil)
    }

    /// Centre mask of a comma-separated list; nil if one is unknown.
    func centreMask(_ list: String) -> UInt32? {
        var mask: UInt32 = 0
        for item in list.split(separator: ",") {
            guard let i = centreIndex[String(item)] else { return nil }
            mask |= 1 << UInt32(i)
        }
        return mask
    }

    /// Centre ids of a mask, sorted.
    func names(_ mask: UInt32) -> [String] {
        (0..<centres.count).filter { mask & (1 << UInt32($0)) != 0 }.map { centres[$0] }.sorted()
    }
}
