import AdminClient
import Foundation
import Sealing
import TiplineCore
import TiplineAdminAPI

/// Everything the CLI decrypts or seals, locally, with keys that never leave the workstation.
enum LocalCrypto {
    /// Opens the tip's content key with the centre content key, checked against its commitment.
    static func contentKey(_ detail: TipDetail, with key: CentreKey) throws -> DataKey {
        try openDataKey(detail.wraps, keyClass: .content, uid: detail.uid, with: key,
                        commitment: detail.contentKeyCommitment.map { Array($0) })
    }

    /// Unwraps the data key of `keyClass` from the wrap for `key` and checks it against the tip's key
    /// commitment (docs/ENVELOPE.md §11). A wrap that does not open, or opens to a key other than the
    /// one the tip was sealed with, is a bad wrap: refused with who added it (S-7 wraps, issue 11).
    static func openDataKey(_ wraps: [WrapBlob], keyClass: KeyClass, uid: String, with key: CentreKey,
                            commitment: [UInt8]?) throws -> DataKey {
        guard let wrap = wraps.first(where: { $0.recipientKeyID == key.publicKey.keyID && $0.keyClass == keyClass }) else {
            throw CLIError.refused(keyClass == .content ? say("本线索未加密给本中心的内容密钥", "this tip is not sealed to your centre's content key")
                                                        : say("没有给本中心密钥的身份包装", "no \(keyClass.rawValue) wrap for your centre's key"))
        }
        let dataKey: DataKey
        do {
            dataKey = try key.unwrap(try RecipientWrap(keyClass: keyClass, recipientKeyID: wrap.recipientKeyID,
                                                       serialized: Array(wrap.sealed)), recordID: uid)
        } catch {
            throw badWrap(wrap, keyClass: keyClass, "无法用您的密钥打开", "does not open with your key")
        }
        if let commitment, !KeyCommitment.matches(commitment, key: dataKey, recordID: uid) {
            throw badWrap(wrap, keyClass: keyClass, "打开后得到的不是本线索的数据密钥（与受理时的密钥承诺不符）",
                          "opens to a key that is not this tip's data key (it does not match the key commitment stored at intake)")
        }
        return dataKey
    }

    /// The bad-wrap refusal, Chinese first: which wrap, what is wrong, who added it.
    static func badWrap(_ wrap: WrapBlob, keyClass: KeyClass, _ zh: String, _ en: String) -> CLIError {
        let by = wrap.addedBy ?? "?"
        let who = by == "server" ? "受理服务器（受理时）" : "工作人员密钥 \(by)"
        let whoEN = by == "server" ? "the intake server (at intake)" : "staff key \(by)"
        let kind = keyClass == .content ? "内容" : "身份"
        return CLIError.integrity("""
            包装无效：本线索发给您中心密钥的\(kind)包装\(zh)；添加者：\(who)。请勿使用，请报告并运行 `tipline-admin audit verify`。
            bad wrap: the \(keyClass.rawValue) wrap for your centre's key \(en); added by \(whoEN). Do not use it; report it and run `tipline-admin audit verify`.
            """)
    }

    static func openFields(_ blobs: [SealedBlob], uid: String, key: DataKey) throws -> [(String, [UInt8])] {
        try blobs.map { blob in
            let field = try SealedField(name: blob.name, keyClass: blob.keyClass, serialized: Array(blob.sealed))
            return (blob.name, try EnvelopeCrypto.openField(field, recordID: uid, key: key))
        }
    }

    /// What opening a thread item gave.
    enum ThreadText {
        case text(String)
        /// Not sealed to this key.
        case notForUs
        /// Sealed to this key but the wrap, the key commitment or the text does not open: a bad message.
        case bad
    }

    /// Opens one sealed message or note with the centre content key, checking the message's key
    /// commitment (issue 11, item 5).
    static func openThreadItem(_ item: ThreadItem, with key: CentreKey) -> ThreadText {
        switch openEnvelope(item, field: "text", with: key) {
        case .opened(let bytes): .text(String(decoding: bytes, as: UTF8.self))
        case .notForUs: .notForUs
        case .bad: .bad
        }
    }

    /// What opening one field of a single-record envelope (a message, a note, an added file) gave.
    enum Opened {
        case opened([UInt8])
        case notForUs
        case bad
    }

    /// Opens `field` of the envelope in `item` with the centre content key, checking its key commitment.
    static func openEnvelope(_ item: ThreadItem, field name: String, with key: CentreKey) -> Opened {
        guard let envelope = try? JSONDecoder().decode(Envelope.self, from: item.envelope) else { return .bad }
        return openEnvelope(envelope, field: name, with: key)
    }

    /// Opens the one-field envelope's `field` (a message, an informant identity, an information item) with
    /// `key`; with `requireCommitment` an envelope without a key commitment is bad too.
    static func openEnvelope(_ envelope: Envelope, field name: String, with key: CentreKey, requireCommitment: Bool = false) -> Opened {
        guard let wrap = envelope.wraps.first(where: { $0.keyClass == .content && $0.recipientKeyID == key.publicKey.keyID }) else { return .notForUs }
        guard let dataKey = try? key.unwrap(wrap, recordID: envelope.recordID) else { return .bad }
        if requireCommitment, envelope.keyCommitment == nil { return .bad }
        if let commitment = envelope.keyCommitment, !KeyCommitment.matches(commitment, key: dataKey, recordID: envelope.recordID) { return .bad }
        guard let field = envelope.fields.first(where: { $0.name == name && $0.keyClass == .content }),
              let bytes = try? EnvelopeCrypto.openField(field, recordID: envelope.recordID, key: dataKey) else { return .bad }
        return .opened(bytes)
    }

    /// A network unit's own key file (`unit-<unit>-<purpose>.key.pem`: `content` or `registry`): `explicit`,
    /// else the deployment's holders/ copy; checked against the pinned keys.json before anything is sent.
    static func unitKey(_ unit: String, registry: Bool, session: AdminSession, explicit: String?) async throws -> CentreKey {
        let purpose = registry ? "registry" : "content"
        let (zh, en) = registry ? ("信息员登记密钥", "registry key") : ("内容密钥", "content key")
        let manifest = try await session.publicKeys()
        // Unlocked for the day (`config set identity-key|content-key FILE`, then `unlock`): the agent opens it.
        if let expected = try manifest.unitKey(unit, registry: registry), let held = session.agentKey(keyID: expected.keyID, file: explicit) {
            return held
        }
        let file: URL
        if let explicit {
            file = URL(fileURLWithPath: explicit)
        } else if let holders = session.holdersDir {
            file = holders.appendingPathComponent("unit-\(unit)-\(purpose).key.pem")
        } else {
            throw CLIError.input(say("请用 --\(registry ? "identity" : "content")-key 指定 \(unit) 的\(zh)", "pass --\(registry ? "identity" : "content")-key FILE (\(unit)'s \(en))"))
        }
        let key = try KeyFiles.x25519(file, purpose: say("\(unit) 的\(zh)", "the \(unit) \(en)"), demo: session.demo)
        guard let expected = try manifest.unitKey(unit, registry: registry), expected.keyID == key.publicKey.keyID else {
            throw CLIError.refused(say("这个密钥文件不是 \(unit) 的\(zh)：未发送任何请求。", "this key file is not \(unit)'s \(en): nothing was sent."))
        }
        return CentreKey(local: key, keyClass: .content)
    }

    /// The line shown for a thread item.
    static func threadLine(_ item: ThreadItem, with key: CentreKey, author: String) -> String {
        switch openThreadItem(item, with: key) {
        case .text(let text): text
        case .notForUs: say("（未加密给您的密钥）", "(not sealed to your key)")
        case .bad: say("⚠ 消息无效：包装或密钥承诺不符，无法打开（添加者 \(author)）", "⚠ bad message: its wrap or key commitment does not open; added by \(author)")
        }
    }

    /// Seals a message to the given recipients (reply: reporter key + the tip's centres; note: centres),
    /// with a key commitment; refuses to return one whose wraps do not all open to the same key.
    static func sealMessage(_ text: String, to recipients: [X25519PublicKey]) throws -> Envelope {
        let uid = Hex.encode(SecureRandom.bytes(16))
        do {
            return try EnvelopeCrypto.sealMessage(recordID: uid, name: "text", value: Array(text.utf8), recipients: recipients)
        } catch {
            throw CLIError.integrity(say("消息未发送：其包装未全部打开为同一密钥。", "not sent: the message's wraps do not all open to the same key."))
        }
    }

    /// Re-wraps a data key found in `wraps` (opened with `key`, checked against `commitment`) for `recipient`.
    static func rewrap(_ wraps: [WrapBlob], keyClass: KeyClass, uid: String, with key: CentreKey,
                       for recipient: X25519PublicKey, commitment: [UInt8]?) throws -> RecipientWrap {
        let dataKey = try openDataKey(wraps, keyClass: keyClass, uid: uid, with: key, commitment: commitment)
        return try EnvelopeCrypto.wrap(dataKey, recordID: uid, for: recipient)
    }
}
