import Testing
@testable import Sealing

@Suite("Concurrent use of shared keys")
struct ConcurrencyTests {
    /// Parsed keys are shared between tasks (one `EVP_PKEY` each); OpenSSL 3 allows that
    /// because every operation gets its own context. This exercises it from many threads.
    @Test("8 tasks × 40 envelopes sealed and opened with the same key objects")
    func sharedKeys() async throws {
        let centre = X25519PrivateKey.generate()
        let identity = X25519PrivateKey.generate()
        let signer = Ed25519PrivateKey.generate()
        let results = try await withThrowingTaskGroup(of: Int.self) { group in
            for task in 0..<8 {
                group.addTask {
                    var opened = 0
                    for index in 0..<40 {
                        let recordID = "TIP-\(task)-\(index)"
                        let value = [UInt8]("tip \(task) \(index)".utf8)
                        let sealed = try EnvelopeCrypto.seal(recordID: recordID, content: [("body", value)], identity: [("phone", value)],
                                                             contentRecipients: [centre.publicKey], identityRecipients: [identity.publicKey])
                        guard try EnvelopeCrypto.open(sealed.envelope, keyClass: .content, with: centre).first?.value == value,
                              try EnvelopeCrypto.open(sealed.envelope, keyClass: .identity, with: identity).first?.value == value,
                              signer.publicKey.isValidSignature(try signer.signature(for: value), for: value)
                        else { continue }
                        var hasher = SHA256Hasher()
                        hasher.update(value)
                        guard hasher.finalize() == Hashing.sha256(value) else { continue }
                        opened += 1
                    }
                    return opened
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(results == 320)
    }
}
