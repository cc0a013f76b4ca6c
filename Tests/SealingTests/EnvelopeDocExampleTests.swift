import Crypto
import Foundation
import Testing
@testable import Sealing

/// Reproduces the worked example of docs/ENVELOPE.md from the document itself, so the
/// document cannot go stale: the inputs are read from it, every output is recomputed and
/// compared, and the example JSON must decode to the recomputed envelope. An independent
/// implementation (swift-crypto) then opens the example the way an auditor would.
@Suite("docs/ENVELOPE.md worked example")
struct EnvelopeDocExampleTests {
    static let docURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/ENVELOPE.md")

    static let inputKeys = ["record_id_text", "content_key", "identity_key", "content_recipient_sk", "identity_recipient_sk",
                            "body_value_text", "body_nonce", "phone_value_text", "phone_nonce",
                            "content_wrap_ephemeral_sk", "identity_wrap_ephemeral_sk"]

    struct Example {
        var values: [(key: String, value: String)] = []
        var json = ""
    }

    /// Reads the `key = value` lines between the markers and the JSON block.
    static func readDocument() throws -> Example {
        let text = try String(contentsOf: docURL, encoding: .utf8)
        func section(_ begin: String, _ end: String) throws -> Substring {
            guard let start = text.range(of: begin), let stop = text.range(of: end, range: start.upperBound..<text.endIndex) else {
                throw TestSupportError(description: "markers \(begin) … \(end) not found in \(docURL.path)")
            }
            return text[start.upperBound..<stop.lowerBound]
        }
        var example = Example()
        for line in try section("<!-- worked-example:begin -->", "<!-- worked-example:end -->").split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#"), !trimmed.hasPrefix("```"), let eq = trimmed.range(of: " = ") else { continue }
            example.values.append((String(trimmed[..<eq.lowerBound]).trimmingCharacters(in: .whitespaces),
                                   String(trimmed[eq.upperBound...]).trimmingCharacters(in: .whitespaces)))
        }
        example.json = try section("<!-- worked-example-json:begin -->", "<!-- worked-example-json:end -->")
            .replacingOccurrences(of: "```json", with: "").replacingOccurrences(of: "```", with: "")
        return example
    }

    /// Computes every output of the example from its inputs, in document order.
    static func compute(_ input: [String: String]) throws -> (values: [(key: String, value: String)], envelope: Envelope) {
        func bytes(_ key: String) -> [UInt8] { [UInt8](hex: input[key]!) }
        func text(_ key: String) -> String { input[key]! }
        let recordID = text("record_id_text")
        let contentKey = try DataKey(keyClass: .content, key: SecretKey(bytes: bytes("content_key")))
        let identityKey = try DataKey(keyClass: .identity, key: SecretKey(bytes: bytes("identity_key")))
        let contentRecipient = try X25519PrivateKey(rawRepresentation: bytes("content_recipient_sk"))
        let identityRecipient = try X25519PrivateKey(rawRepresentation: bytes("identity_recipient_sk"))

        var out: [(key: String, value: String)] = Self.inputKeys.map { ($0, input[$0]!) }
        out.append(("content_recipient_pk", contentRecipient.publicKey.rawRepresentation.hex))
        out.append(("content_recipient_key_id_text", contentRecipient.publicKey.keyID))
        out.append(("identity_recipient_pk", identityRecipient.publicKey.rawRepresentation.hex))
        out.append(("identity_recipient_key_id_text", identityRecipient.publicKey.keyID))

        var envelope = try Envelope(recordID: recordID)
        for (name, key) in [("body", contentKey), ("phone", identityKey)] {
            let field = try EnvelopeCrypto.sealField(name: name, value: Array(text("\(name)_value_text").utf8), recordID: recordID, key: key,
                                                     nonce: bytes("\(name)_nonce"))
            out.append(("\(name)_aad_text", String(decoding: EnvelopeNames.fieldAAD(recordID: recordID, fieldName: name), as: UTF8.self)))
            out.append(("\(name)_ciphertext_and_tag", field.ciphertextAndTag.hex))
            out.append(("\(name)_blob", field.serialized().hex))
            envelope.fields.append(field)
        }
        for (keyClass, key, recipient) in [(KeyClass.content, contentKey, contentRecipient), (.identity, identityKey, identityRecipient)] {
            let prefix = "\(keyClass.rawValue)_wrap"
            let ephemeral = try X25519PrivateKey(rawRepresentation: bytes("\(prefix)_ephemeral_sk"))
            let info = EnvelopeNames.wrapInfo(recordID: recordID, keyClass: keyClass)
            let encap = try HPKEBaseMode.encapsulate(recipient: recipient.publicKey, ephemeralKey: ephemeral)
            let (_, context) = try HPKEBaseMode.setupSender(recipient: recipient.publicKey, info: info, aead: .aes256GCM, ephemeralKey: ephemeral)
            let wrap = try EnvelopeCrypto.wrap(key, recordID: recordID, for: recipient.publicKey, ephemeralKey: ephemeral)
            out.append(("\(prefix)_info_text", String(decoding: info, as: UTF8.self)))
            out.append(("\(prefix)_enc", wrap.encapsulatedKey.hex))
            out.append(("\(prefix)_shared_secret", encap.sharedSecret.hex))
            out.append(("\(prefix)_key", context.key.bytesForExport.hex))
            out.append(("\(prefix)_base_nonce", context.baseNonce.hex))
            out.append(("\(prefix)_wrapped_key", wrap.wrappedKey.hex))
            out.append(("\(prefix)_blob", wrap.serialized().hex))
            envelope.wraps.append(wrap)
        }
        return (out, envelope)
    }

    static func render(_ values: [(key: String, value: String)]) -> String {
        let width = values.map(\.key.count).max() ?? 0
        return values.map { $0.key.padding(toLength: width, withPad: " ", startingAt: 0) + " = " + $0.value }.joined(separator: "\n")
    }

    @Test("Every value in the document is reproduced exactly")
    func reproduce() throws {
        let example = try Self.readDocument()
        let documented = Dictionary(example.values, uniquingKeysWith: { first, _ in first })
        for key in Self.inputKeys where documented[key] == nil {
            Issue.record("docs/ENVELOPE.md lacks input \(key)")
        }
        let (computed, envelope) = try Self.compute(documented)
        #expect(example.values.map(\.key) == computed.map(\.key), "the example block must list exactly these values, in this order")
        for (key, value) in computed {
            #expect(documented[key] == value, "docs/ENVELOPE.md: \(key)")
        }
        if example.values.map(\.key) != computed.map(\.key) || computed.contains(where: { documented[$0.key] != $0.value }) {
            print("Recomputed example block:\n\(Self.render(computed))\n\nJSON:\n\(String(decoding: envelope.jsonRepresentation(), as: UTF8.self))")
        }
        let decoded = try Envelope(json: Array(example.json.utf8))
        #expect(decoded == envelope, "the documented JSON must be the example envelope")
        #expect(String(decoding: envelope.jsonRepresentation(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            == example.json.trimmingCharacters(in: .whitespacesAndNewlines), "the documented JSON must be byte-for-byte the export")
    }

    @Test("swift-crypto opens the documented example (the auditor's path)")
    func independentOpen() throws {
        let example = try Self.readDocument()
        let values = Dictionary(example.values, uniquingKeysWith: { first, _ in first })
        let envelope = try Envelope(json: Array(example.json.utf8))
        let suite = Crypto.HPKE.Ciphersuite(kem: .Curve25519_HKDF_SHA256, kdf: .HKDF_SHA256, aead: .AES_GCM_256)
        for (keyClass, field) in [("content", "body"), ("identity", "phone")] {
            let privateKey = try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: [UInt8](hex: values["\(keyClass)_recipient_sk"]!))
            let wrap = try #require(envelope.wraps.first { $0.keyClass.rawValue == keyClass })
            var recipient = try Crypto.HPKE.Recipient(privateKey: privateKey, ciphersuite: suite,
                                                      info: Data("tipline:v1:wrap:\(envelope.recordID):\(keyClass)".utf8),
                                                      encapsulatedKey: Data(wrap.encapsulatedKey))
            let dataKey = try recipient.open(Data(wrap.wrappedKey), authenticating: Data())
            #expect([UInt8](dataKey).hex == values["\(keyClass)_key"])
            let sealed = try #require(envelope.field(named: field))
            let box = try AES.GCM.SealedBox(combined: Data(sealed.nonce + sealed.ciphertextAndTag))
            let plaintext = try AES.GCM.open(box, using: SymmetricKey(data: dataKey), authenticating: Data("tipline:v1:\(envelope.recordID):\(field)".utf8))
            #expect(String(decoding: plaintext, as: UTF8.self) == values["\(field)_value_text"])
        }
    }
}
