import AdminClient
import ArgumentParser
import Foundation
import Sealing
import TiplineAdminAPI
import TiplineCore
import TiplineDeployment


/// Centre key rotation (Keys/README.md "Rotation"): `keys rotate`, `keys rewrap`, `keys retire`, `keys pin`.
extension KeysCommand {
    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "为中心生成新密钥并登记（管理员）/ Make a centre's new key on this machine and register its public half (administrators).",
            discussion: """
            Generates a new X25519 key pair here, writes the private key to --out (encrypted PKCS#8, scrypt, mode 0600; passphrase from
            TIPLINE_HOLDER_PASSPHRASE, else TIPLINE_PASSPHRASE, else asked twice; at least 12 characters), then registers the public key
            with a signed, audited request (keys.rotate). New tips are sealed to it at once; the old key is superseded. This machine's
            pinned keys.json is updated to the new one (checked to be exactly that change); give the printed fingerprint to the other
            workstations (`keys pin --fingerprint`), hand the key file to the centre's holders, and have them run `keys rewrap`.
            """)
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "The centre whose key is replaced.") var centre: String
        @Option(name: .customLong("class"), help: "content or identity.") var keyClass: KeyClass
        @Option(help: "Where to write the new private key file (must not exist).") var out: String

        func run() async throws {
            try await reportingErrors {
                let session = try connection.session()
                let pinned = try await session.publicKeys()
                guard let entry = pinned.centres.first(where: { $0.centre == centre }) else {
                    throw CLIError.input(say("没有这个中心：\(centre)", "no such centre: \(centre)"))
                }
                let file = URL(fileURLWithPath: out)
                guard !FileManager.default.fileExists(atPath: file.path) else {
                    throw CLIError.input(say("文件已存在，不会覆盖：\(file.path)", "the file exists and is never overwritten: \(file.path)"))
                }
                let passphrase = try Passphrase.obtainNew(purpose: "the new \(centre) \(keyClass.rawValue) key", demo: session.demo,
                                                          from: [.holders, .standard])
                let key = X25519PrivateKey.generate()
                // The private half is on disk before the public half is registered: a registered key is never lost.
                try SecureFile.create(file, text: try key.encryptedPEM(passphrase: passphrase), mode: 0o600)
                let reply = try await session.call(.rotateKey, body: RotateKeyBody(
                    centre: centre, keyClass: keyClass, publicKey: Hex.encode(key.publicKey.rawRepresentation)), as: KeyChangeReply.self)
                let old = entry.current(keyClass).keyID
                try await Repin.afterChange(session, pinned: pinned, fingerprint: reply.fingerprint, expected: [
                    (key.publicKey.keyID, .current), (old, .superseded),
                ])
                print(say("已登记 \(centre) 的新\(Repin.label(keyClass))密钥 \(reply.keyID)（审计 #\(reply.auditSeq)）；旧密钥 \(old) 已被取代。",
                          "registered the new \(centre) \(keyClass.rawValue) key \(reply.keyID) (audit #\(reply.auditSeq)); the old key \(old) is superseded."))
                print(say("私钥文件：\(file.path)（请交给持有人，由其运行 `tipline-admin keys rewrap`）",
                          "private key file: \(file.path) (hand it to the holders; they run `tipline-admin keys rewrap`)"))
                print(say("keys.json 新指纹：\(reply.fingerprint)（其他工作站：`tipline-admin keys pin --fingerprint \(reply.fingerprint)`）",
                          "new keys.json fingerprint: \(reply.fingerprint) (other workstations: `tipline-admin keys pin --fingerprint \(reply.fingerprint)`)"))
            }
        }
    }

    struct Rewrap: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "用旧密钥把旧举报重新包装给中心的新密钥（持有人，本机）/ Re-wrap old tips from a centre's old key to its new key, on this machine.",
            discussion: """
            Opens each old tip's wrap with --old-key, checks the data key against the tip's key commitment, wraps it for the centre's
            current key (from the pinned keys.json) and sends the new wraps in batches of --batch, each one signed request and one
            audit entry (keys.rewrap) naming the tips and the SHA-256 of each wrap. A wrap that does not open to the tip's data key is
            refused and reported (exit 7), never re-wrapped. Safe to run again: tips already done are skipped.
            """)
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "Your centre.") var centre: String
        @Option(name: .customLong("class"), help: "content or identity.") var keyClass: KeyClass
        @Option(help: "The superseded key file (your centre's old key).") var oldKey: String
        @Option(help: "The new key id you were told (checked against the pinned keys.json).") var newKeyId: String?
        @Option(help: "Wraps per signed request (1–500).") var batch = 100

        func run() async throws {
            try await reportingErrors {
                guard (1...RewrapBody.maxBatch).contains(batch) else {
                    throw CLIError.input(say("--batch 须在 1 到 \(RewrapBody.maxBatch) 之间", "--batch must be from 1 to \(RewrapBody.maxBatch)"))
                }
                let session = try connection.session()
                let pinned = try await session.publicKeys()
                guard let entry = pinned.centres.first(where: { $0.centre == centre }) else {
                    throw CLIError.input(say("没有这个中心：\(centre)", "no such centre: \(centre)"))
                }
                let new = entry.current(keyClass)
                if let newKeyId, newKeyId != new.keyID {
                    throw CLIError.refused(say("固定的 keys.json 中 \(centre) 的当前密钥是 \(new.keyID)，不是 \(newKeyId)：请先 `keys pin`。",
                                               "the pinned keys.json has \(new.keyID) as \(centre)'s current key, not \(newKeyId): run `keys pin` first."))
                }
                guard let raw = Hex.decode(new.publicKey), let recipient = try? X25519PublicKey(rawRepresentation: raw),
                      recipient.keyID == new.keyID else {
                    throw CLIError.integrity(say("固定的 keys.json 中的新密钥无效", "the new key in the pinned keys.json is malformed"))
                }
                let oldPrivate = try KeyFiles.x25519(URL(fileURLWithPath: oldKey), purpose: say("\(centre) 的旧密钥", "the old \(centre) key"),
                                                     demo: session.demo)
                let oldID = oldPrivate.publicKey.keyID
                guard let former = entry.former?.first(where: { $0.key.keyID == oldID && $0.keyClass == keyClass }) else {
                    throw CLIError.refused(say("这个密钥文件不是 \(centre) 被取代的\(Repin.label(keyClass))密钥：未发送任何请求。",
                                               "this key file is not a superseded \(centre) \(keyClass.rawValue) key: nothing was sent."))
                }
                guard former.retiredSeq == nil else {
                    throw CLIError.refused(say("密钥 \(oldID) 已停用，不能再用于重新包装。", "key \(oldID) is retired and is no longer offered."))
                }
                let old = CentreKey(local: oldPrivate, keyClass: keyClass)
                var added = 0, unchanged = 0, batches = 0
                var refused: [String] = []
                var blocking = 0
                // Tips first, then (content keys) the messages, notes and files that carry their own wraps.
                for kind in RewrapKind.kinds(of: keyClass) {
                    var after: String?
                    while true {
                        var query = [(name: "centre", value: centre), (name: "class", value: keyClass.rawValue), (name: "key", value: oldID),
                                     (name: "kind", value: kind.rawValue), (name: "limit", value: String(batch))]
                        if let after { query.append((name: "after", value: after)) }
                        let page = try await session.call(.rewrapPending, query: query, as: RewrapPending.self)
                        blocking = page.blocking
                        guard let last = page.items.last else { break }
                        after = kind == .tip ? last.reference : last.record
                        var wraps: [RewrapEntry] = []
                        for item in page.items {
                            let blob = WrapBlob(keyClass: keyClass, recipientKeyID: oldID, centre: centre, sealed: item.wrap)
                            do {
                                // A message, note or file must carry its key commitment: without it a wrap that opens to
                                // another key could not be told apart, so it is reported rather than re-wrapped.
                                guard kind == .tip || item.commitment != nil else { throw CLIError.integrity("no key commitment") }
                                let wrap = try LocalCrypto.rewrap([blob], keyClass: keyClass, uid: item.uid, with: old, for: recipient,
                                                                  commitment: item.commitment.map { Array($0) })
                                wraps.append(RewrapEntry(kind: kind == .tip ? nil : kind, reference: item.reference, record: item.record,
                                                         wrap: Data(wrap.serialized())))
                            } catch {
                                refused.append(kind == .tip ? item.reference : "\(item.reference) (\(Repin.kindLabel(kind)) \(item.record ?? item.uid))")
                            }
                        }
                        guard !wraps.isEmpty else { continue }
                        let reply = try await session.call(.rewrapKeys, body: RewrapBody(centre: centre, keyClass: keyClass, oldKey: oldID,
                                                                                         newKey: new.keyID, wraps: wraps), as: RewrapReply.self)
                        batches += 1
                        added += reply.added
                        unchanged += reply.unchanged
                        print(say("第 \(batches) 批（\(Repin.kindLabel(kind))）：新增 \(reply.added)，已存在 \(reply.unchanged)\(reply.auditSeq.map { "（审计 #\($0)）" } ?? "")",
                                  "batch \(batches) (\(Repin.kindLabel(kind))): \(reply.added) added, \(reply.unchanged) already there\(reply.auditSeq.map { " (audit #\($0))" } ?? "")"))
                    }
                }
                print(say("完成：共新增 \(added) 个包装，\(unchanged) 个已存在。", "done: \(added) wraps added, \(unchanged) already there."))
                if blocking > 0 {
                    print(say("另有 \(blocking) 条信息员身份或台账姓名记录只加密给旧密钥，本命令不能重新包装：旧密钥暂不能停用。",
                              "\(blocking) informant identities or ledger names are sealed to the old key only and this command cannot re-wrap them: the old key cannot be retired yet."))
                }
                if !refused.isEmpty {
                    throw CLIError.integrity(say("""
                        以下举报的旧包装无法打开为其数据密钥（与密钥承诺不符），未重新包装：\(refused.joined(separator: "、"))。请报告并运行 `tipline-admin audit verify`。
                        """, "the old wraps of these tips do not open to their data keys (key commitment), so they were not re-wrapped: \(refused.joined(separator: ", ")). Report it and run `tipline-admin audit verify`."))
                }
            }
        }
    }

    struct Retire: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "停用被取代的中心密钥（管理员）/ Retire a superseded centre key once every tip has a wrap for the new one (administrators).",
            discussion: "Refused while any live record still has no wrap for the centre's current key. Audited (keys.retire); updates this machine's pinned keys.json.")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "The centre.") var centre: String
        @Option(name: .customLong("class"), help: "content or identity.") var keyClass: KeyClass
        @Option(help: "The superseded key id.") var keyId: String

        func run() async throws {
            try await reportingErrors {
                let session = try connection.session()
                let pinned = try await session.publicKeys()
                let reply = try await session.call(.retireKey, body: RetireKeyBody(centre: centre, keyClass: keyClass, keyID: keyId),
                                                   as: KeyChangeReply.self)
                try await Repin.afterChange(session, pinned: pinned, fingerprint: reply.fingerprint, expected: [(keyId, .retired)])
                print(say("已停用 \(centre) 的\(Repin.label(keyClass))密钥 \(keyId)（审计 #\(reply.auditSeq)）。此后不再接受给它的任何包装。",
                          "retired the \(centre) \(keyClass.rawValue) key \(keyId) (audit #\(reply.auditSeq)); no wrap for it is accepted any more."))
                print(say("keys.json 新指纹：\(reply.fingerprint)", "new keys.json fingerprint: \(reply.fingerprint)"))
            }
        }
    }

    struct Pin: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "确认并固定服务器的新 keys.json（密钥轮换之后）/ Deliberately re-pin the server's keys.json after a key rotation.",
            discussion: """
            Fetches the server's keys.json and accepts it only if its fingerprint is the one given (told by the administrator who rotated,
            out of band) and, when a keys.json is pinned here, if it differs from it only by centre keys rotated or retired (every other
            key unchanged). Then writes it over the pinned file (--keys, the profile's keys, or the --deployment's public/keys.json), or
            updates the profile's keys-fingerprint when only a fingerprint is pinned.
            """)
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "The new fingerprint, as `keys rotate` printed it.") var fingerprint: String

        func run() async throws {
            try await reportingErrors {
                let session = try connection.session()
                let served = try await session.call(.keys, as: PublicKeyManifest.self)
                let wanted = PublicKeyManifest.normalizedFingerprint(fingerprint)
                guard served.fingerprint == wanted else {
                    throw CLIError.refused(say("服务器的 keys.json 指纹是 \(served.fingerprint)，不是所给的指纹：未作改动。",
                                               "the server's keys.json has fingerprint \(served.fingerprint), not the one given: nothing changed."))
                }
                if let local = session.manifest {
                    guard let changes = local.keyChanges(to: served) else {
                        throw CLIError.refused(say("服务器的 keys.json 不只是中心密钥的轮换或停用：未作改动，请核实。",
                                                   "the server's keys.json differs by more than rotated or retired centre keys: nothing changed; check with the administrator."))
                    }
                    try Repin.pin(served, session: session)
                    for change in changes {
                        print("\(change.centre)  \(Repin.label(change.keyClass))  \(change.key.keyID)  \(Repin.state(change.state))"
                              + (change.key.since.map { "  \(ShownTime.text($0))" } ?? ""))
                    }
                } else {
                    try Repin.pin(served, session: session)
                }
                print(say("已固定新的 keys.json（指纹 \(wanted)）", "pinned the new keys.json (fingerprint \(wanted))"))
            }
        }
    }
}

/// What a workstation does after its own rotation or retirement: fetch the server's keys.json, check it
/// is the pinned one changed exactly as asked, and pin it.
enum Repin {
    static func afterChange(_ session: AdminSession, pinned: PublicKeyManifest, fingerprint: String,
                            expected: [(String, PublicKeyManifest.CentreKeyRecord.State)]) async throws {
        let served = try await session.call(.keys, as: PublicKeyManifest.self)
        guard served.fingerprint == fingerprint, let changes = pinned.keyChanges(to: served),
              Set(changes.map { "\($0.key.keyID):\($0.state.rawValue)" }) == Set(expected.map { "\($0.0):\($0.1.rawValue)" }) else {
            throw CLIError.integrity(say("服务器的 keys.json 与本次更改不符：未固定，请运行 `tipline-admin audit verify`。",
                                         "the server's keys.json is not the pinned one with this change: not pinned; run `tipline-admin audit verify`."))
        }
        try pin(served, session: session)
    }

    /// Writes `served` over the pinned keys.json, or, when only a fingerprint is pinned, puts the new
    /// fingerprint into the profile (an environment variable the user set must be changed by them).
    static func pin(_ served: PublicKeyManifest, session: AdminSession) throws {
        if let file = session.manifestFile {
            try served.write(to: file)
            return
        }
        var profile = try Profile.load()
        try profile.set(.keysFingerprint, served.fingerprint, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        try profile.save()
        if ProcessInfo.processInfo.environment["TIPLINE_KEYS_FINGERPRINT"] != nil {
            print(say("请同时更新环境变量 TIPLINE_KEYS_FINGERPRINT 为 \(served.fingerprint)",
                      "also set TIPLINE_KEYS_FINGERPRINT to \(served.fingerprint)"))
        }
    }

    static func label(_ keyClass: KeyClass) -> String {
        UILanguage.current == .zh ? (keyClass == .content ? "内容" : "身份") : keyClass.rawValue
    }

    static func kindLabel(_ kind: RewrapKind) -> String {
        switch kind {
        case .tip: say("举报", "tips")
        case .message: say("消息", "messages")
        case .note: say("备注", "notes")
        case .file: say("补充文件", "added files")
        }
    }

    static func state(_ state: PublicKeyManifest.CentreKeyRecord.State) -> String {
        switch state {
        case .current: say("当前", "current")
        case .superseded: say("已取代", "superseded")
        case .retired: say("已停用", "retired")
        }
    }
}
