import Foundation
import Testing
@testable import Sealing

@Suite("Envelope")
struct EnvelopeTests {
    struct Parties {
        let centre = X25519PrivateKey.generate()
        let city = X25519PrivateKey.generate()
        let centreIdentity = X25519PrivateKey.generate()
        let cityIdentity = X25519PrivateKey.generate()
        let outsider = X25519PrivateKey.generate()
    }

    static let recordID = "TIP-2026-000123"
    static let content: [(name: String, value: [UInt8])] = [("body", [UInt8](utf8: "Someone dumps waste at the river at night.")),
                                                            ("district", [UInt8](utf8: "Xihu")), ("empty", [])]
    static let identity: [(name: String, value: [UInt8])] = [("name", [UInt8](utf8: "张三")), ("phone", [UInt8](utf8: "13800000000"))]

    static func sealRecord(_ parties: Parties) throws -> (envelope: Envelope, contentKey: DataKey, identityKey: DataKey) {
        try EnvelopeCrypto.seal(recordID: recordID, content: content, identity: identity,
                                contentRecipients: [parties.centre.publicKey, parties.city.publicKey],
                                identityRecipients: [parties.centreIdentity.publicKey, parties.cityIdentity.publicKey])
    }

    @Test("Seal and open both classes for every recipient; JSON and blob round trips")
    func roundTrip() throws {
        let parties = Parties()
        let (envelope, contentKey, identityKey) = try Self.sealRecord(parties)
        #expect(envelope.fields.count == 5)
        #expect(envelope.wraps.count == 4)
        #expect(envelope.wraps(of: .content).map(\.recipientKeyID) == [parties.centre.publicKey.keyID, parties.city.publicKey.keyID])
        for holder in [parties.centre, parties.city] {
            let opened = try EnvelopeCrypto.open(envelope, keyClass: .content, with: holder)
            #expect(opened.map(\.name) == Self.content.map(\.name))
            #expect(opened.map(\.value) == Self.content.map(\.value))
            #expect(try EnvelopeCrypto.unwrapKey(of: .content, from: envelope, with: holder) == contentKey)
        }
        for holder in [parties.centreIdentity, parties.cityIdentity] {
            let opened = try EnvelopeCrypto.open(envelope, keyClass: .identity, with: holder)
            #expect(opened.map(\.value) == Self.identity.map(\.value))
            #expect(try EnvelopeCrypto.unwrapKey(of: .identity, from: envelope, with: holder) == identityKey)
        }
        // A content holder cannot open identity, and vice versa.
        expectSealingError(.invalidKey("no wrap for this recipient key and key class")) { () throws(SealingError) in
            try EnvelopeCrypto.open(envelope, keyClass: .identity, with: parties.centre)
        }
        expectSealingError(.invalidKey("no wrap for this recipient key and key class")) { () throws(SealingError) in
            try EnvelopeCrypto.open(envelope, keyClass: .content, with: parties.outsider)
        }

        let json = envelope.jsonRepresentation()
        #expect(try Envelope(json: json) == envelope)
        let text = String(decoding: json, as: UTF8.self)
        #expect(text.contains("\"version\" : 1"))
        #expect(!text.contains("river"))

        for field in envelope.fields {
            #expect(try SealedField(name: field.name, keyClass: field.keyClass, serialized: field.serialized()) == field)
            #expect(field.serialized().first == 0x01)
        }
        for wrap in envelope.wraps {
            let blob = wrap.serialized()
            #expect(blob.count == 81)
            #expect(try RecipientWrap(keyClass: wrap.keyClass, recipientKeyID: wrap.recipientKeyID, serialized: blob) == wrap)
        }
    }

    @Test("Flipping any bit position class of a sealed field fails to open")
    func tamperedField() throws {
        let parties = Parties()
        let (envelope, contentKey, _) = try Self.sealRecord(parties)
        let field = try #require(envelope.field(named: "body"))
        let blob = field.serialized()
        var refused = 0
        for index in blob.indices {
            for mask: UInt8 in [0x01, 0x80, 0xFF] {
                var tampered = blob
                tampered[index] ^= mask
                let error = expectAnySealingError { () throws(SealingError) in
                    let parsed = try SealedField(name: field.name, keyClass: field.keyClass, serialized: tampered)
                    return try EnvelopeCrypto.openField(parsed, recordID: Self.recordID, key: contentKey)
                }
                if index == 0 {
                    #expect(error == .unsupportedVersion(0x01 ^ mask))
                } else {
                    #expect(error == .authenticationFailed)
                }
                refused += 1
            }
        }
        #expect(refused == blob.count * 3)
        // truncation at every length
        for length in 0..<blob.count {
            let error = expectAnySealingError { () throws(SealingError) in
                let parsed = try SealedField(name: field.name, keyClass: field.keyClass, serialized: Array(blob.prefix(length)))
                return try EnvelopeCrypto.openField(parsed, recordID: Self.recordID, key: contentKey)
            }
            switch length {
            case 0: #expect(error == .malformed("sealed field is empty"))
            case 1..<SealedField.minimumSerializedSize: #expect(error == .malformed("sealed field is truncated"))
            default: #expect(error == .authenticationFailed)
            }
        }
        // an appended byte
        expectSealingError(.authenticationFailed) { () throws(SealingError) in
            try EnvelopeCrypto.openField(SealedField(name: field.name, keyClass: .content, serialized: blob + [0]), recordID: Self.recordID, key: contentKey)
        }
    }

    @Test("Wrong record id, field name, key class or key fails to open a field")
    func fieldBinding() throws {
        let parties = Parties()
        let (envelope, contentKey, identityKey) = try Self.sealRecord(parties)
        let body = try #require(envelope.field(named: "body"))
        #expect(try EnvelopeCrypto.openField(body, recordID: Self.recordID, key: contentKey) == Self.content[0].value)
        expectSealingError(.authenticationFailed) { () throws(SealingError) in
            try EnvelopeCrypto.openField(body, recordID: "TIP-2026-000124", key: contentKey)
        }
        let renamed = try SealedField(name: "district", keyClass: .content, nonce: body.nonce, ciphertextAndTag: body.ciphertextAndTag)
        expectSealingError(.authenticationFailed) { () throws(SealingError) in
            try EnvelopeCrypto.openField(renamed, recordID: Self.recordID, key: contentKey)
        }
        expectSealingError(.invalidKey("data key class does not match the field")) { () throws(SealingError) in
            try EnvelopeCrypto.openField(body, recordID: Self.recordID, key: identityKey)
        }
        // relabelled as identity and opened with the identity key: the key is wrong
        let relabelled = try SealedField(name: "body", keyClass: .identity, nonce: body.nonce, ciphertextAndTag: body.ciphertextAndTag)
        expectSealingError(.authenticationFailed) { () throws(SealingError) in
            try EnvelopeCrypto.openField(relabelled, recordID: Self.recordID, key: identityKey)
        }
        expectSealingError(.authenticationFailed) { () throws(SealingError) in
            try EnvelopeCrypto.openField(body, recordID: Self.recordID, key: .random(.content))
        }
        // a field moved into another record
        let other = try EnvelopeCrypto.seal(recordID: "TIP-2026-000999", content: Self.content, identity: [],
                                            contentRecipients: [parties.centre.publicKey], identityRecipients: [])
        var spliced = other.envelope
        spliced.fields[0] = body
        expectSealingError(.authenticationFailed) { () throws(SealingError) in
            try EnvelopeCrypto.open(spliced, keyClass: .content, with: parties.centre)
        }
    }

    @Test("Flipping bits of a wrap (enc or wrapped key), truncation, wrong record/class/recipient fail to unwrap")
    func tamperedWrap() throws {
        let parties = Parties()
        let (envelope, contentKey, _) = try Self.sealRecord(parties)
        let wrap = envelope.wraps(of: .content)[0]
        #expect(try EnvelopeCrypto.unwrap(wrap, recordID: Self.recordID, with: parties.centre) == contentKey)
        let blob = wrap.serialized()
        for index in blob.indices {
            for mask: UInt8 in [0x01, 0x80] {
                var tampered = blob
                tampered[index] ^= mask
                let error = expectAnySealingError { () throws(SealingError) in
                    let parsed = try RecipientWrap(keyClass: .content, recipientKeyID: wrap.recipientKeyID, serialized: tampered)
                    return try EnvelopeCrypto.unwrap(parsed, recordID: Self.recordID, with: parties.centre)
                }
                if index == 0 {
                    #expect(error == .unsupportedVersion(0x01 ^ mask))
                } else if error != .authenticationFailed {
                    // a flipped enc may land on a low-order point: refused as an invalid key
                    #expect(index <= 32 && error == .invalidKey("X25519 shared secret is all zero (low-order public key)"), "byte \(index): \(String(describing: error))")
                }
            }
        }
        for length in 0..<blob.count {
            #expect(expectAnySealingError { () throws(SealingError) in
                try RecipientWrap(keyClass: .content, recipientKeyID: wrap.recipientKeyID, serialized: Array(blob.prefix(length)))
            } != nil)
        }
        expectSealingError(.malformed("wrap must be 81 bytes")) { () throws(SealingError) in
            try RecipientWrap(keyClass: .content, recipientKeyID: wrap.recipientKeyID, serialized: blob + [0])
        }
        expectSealingError(.authenticationFailed) { () throws(SealingError) in
            try EnvelopeCrypto.unwrap(wrap, recordID: "TIP-2026-000124", with: parties.centre)
        }
        let relabelled = try RecipientWrap(keyClass: .identity, recipientKeyID: wrap.recipientKeyID, encapsulatedKey: wrap.encapsulatedKey, wrappedKey: wrap.wrappedKey)
        expectSealingError(.authenticationFailed) { () throws(SealingError) in
            try EnvelopeCrypto.unwrap(relabelled, recordID: Self.recordID, with: parties.centre)
        }
        expectSealingError(.invalidKey("wrap is for a different recipient key")) { () throws(SealingError) in
            try EnvelopeCrypto.unwrap(wrap, recordID: Self.recordID, with: parties.city)
        }
        // claiming another recipient's key id does not help: the HPKE decapsulation fails
        let misaddressed = try RecipientWrap(keyClass: .content, recipientKeyID: parties.outsider.publicKey.keyID,
                                             encapsulatedKey: wrap.encapsulatedKey, wrappedKey: wrap.wrappedKey)
        expectSealingError(.authenticationFailed) { () throws(SealingError) in
            try EnvelopeCrypto.unwrap(misaddressed, recordID: Self.recordID, with: parties.outsider)
        }
        // swapping enc between two wraps of the same key breaks both
        let other = envelope.wraps(of: .content)[1]
        let swapped = try RecipientWrap(keyClass: .content, recipientKeyID: wrap.recipientKeyID, encapsulatedKey: other.encapsulatedKey, wrappedKey: wrap.wrappedKey)
        expectSealingError(.authenticationFailed) { () throws(SealingError) in
            try EnvelopeCrypto.unwrap(swapped, recordID: Self.recordID, with: parties.centre)
        }
    }

    @Test("Names, versions, recipients and duplicates are validated")
    func validation() throws {
        let parties = Parties()
        let key = DataKey.random(.content)
        for bad in ["", "a:b", "tab\there", "new\nline", "é", "\u{7F}", String(repeating: "x", count: 129)] {
            let error = expectAnySealingError { () throws(SealingError) in
                try EnvelopeCrypto.sealField(name: bad, value: [1], recordID: Self.recordID, key: key)
            }
            if case .invalidInput = error {} else { Issue.record("field name \(bad.debugDescription): \(String(describing: error))") }
            let recordError = expectAnySealingError { () throws(SealingError) in
                try EnvelopeCrypto.sealField(name: "ok", value: [1], recordID: bad, key: key)
            }
            if case .invalidInput = recordError {} else { Issue.record("record id \(bad.debugDescription): \(String(describing: recordError))") }
        }
        #expect(try EnvelopeCrypto.sealField(name: "a b-c_d.e/f", value: [], recordID: "R 1", key: key).name == "a b-c_d.e/f")
        expectSealingError(.invalidInput("duplicate field name")) { () throws(SealingError) in
            try EnvelopeCrypto.seal(recordID: "R", content: [("x", [1])], identity: [("x", [2])], contentRecipients: [parties.centre.publicKey],
                                    identityRecipients: [parties.centreIdentity.publicKey])
        }
        expectSealingError(.invalidInput("no content recipient")) { () throws(SealingError) in
            try EnvelopeCrypto.seal(recordID: "R", content: [("x", [1])], identity: [], contentRecipients: [], identityRecipients: [])
        }
        expectSealingError(.invalidInput("identity fields without an identity recipient")) { () throws(SealingError) in
            try EnvelopeCrypto.seal(recordID: "R", content: [], identity: [("x", [1])], contentRecipients: [parties.centre.publicKey], identityRecipients: [])
        }
        // duplicate recipients are wrapped once
        let sealed = try EnvelopeCrypto.seal(recordID: "R", content: [("x", [1])], identity: [],
                                             contentRecipients: [parties.centre.publicKey, parties.centre.publicKey], identityRecipients: [])
        #expect(sealed.envelope.wraps.count == 1)

        let field = try EnvelopeCrypto.sealField(name: "x", value: [1], recordID: "R", key: key)
        var blob = field.serialized()
        blob[0] = 2
        expectSealingError(.unsupportedVersion(2)) { () throws(SealingError) in try SealedField(name: "x", keyClass: .content, serialized: blob) }
        expectSealingError(.malformed("recipient key id must be 32 lowercase hex characters")) { () throws(SealingError) in
            try RecipientWrap(keyClass: .content, recipientKeyID: "ABCDEF", encapsulatedKey: [UInt8](repeating: 1, count: 32), wrappedKey: [UInt8](repeating: 1, count: 48))
        }

        // JSON: version and content are checked on decoding
        let json = String(decoding: sealed.envelope.jsonRepresentation(), as: UTF8.self)
        expectSealingError(.unsupportedVersion(2)) { () throws(SealingError) in
            try Envelope(json: Array(json.replacingOccurrences(of: "\"version\" : 1", with: "\"version\" : 2").utf8))
        }
        expectSealingError(.invalidInput("record id must be printable ASCII without ':'")) { () throws(SealingError) in
            try Envelope(json: Array(json.replacingOccurrences(of: "\"recordID\" : \"R\"", with: "\"recordID\" : \"R:1\"").utf8))
        }
        expectSealingError(.malformed("envelope JSON")) { () throws(SealingError) in try Envelope(json: Array("{".utf8)) }
    }

    @Test("Crypto-shredding and re-routing")
    func shreddingAndRerouting() throws {
        let parties = Parties()
        var (envelope, _, _) = try Self.sealRecord(parties)
        let newCentre = X25519PrivateKey.generate()
        try EnvelopeCrypto.addRecipient(newCentre.publicKey, keyClass: .content, to: &envelope, unwrappingWith: parties.city)
        try EnvelopeCrypto.addRecipient(newCentre.publicKey, keyClass: .content, to: &envelope, unwrappingWith: parties.city)
        #expect(envelope.wraps(of: .content).count == 3)
        #expect(try EnvelopeCrypto.open(envelope, keyClass: .content, with: newCentre).map(\.value) == Self.content.map(\.value))
        expectSealingError(.invalidKey("no wrap for this recipient key and key class")) { () throws(SealingError) in
            try EnvelopeCrypto.addRecipient(parties.outsider.publicKey, keyClass: .identity, to: &envelope, unwrappingWith: parties.centre)
        }

        envelope.removeWraps(of: .identity)
        #expect(envelope.wraps(of: .identity).isEmpty)
        expectSealingError(.invalidKey("no wrap for this recipient key and key class")) { () throws(SealingError) in
            try EnvelopeCrypto.open(envelope, keyClass: .identity, with: parties.centreIdentity)
        }
        #expect(try EnvelopeCrypto.open(envelope, keyClass: .content, with: parties.centre).count == 3)
    }
}
