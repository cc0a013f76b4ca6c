import Testing
@testable import Sealing

@Suite("Zeroising secret buffers")
struct SecureWipeTests {
    @Test("SecureWipe zeroes an array in place (OPENSSL_cleanse), keeping its length, and raw buffers too")
    func wipesInPlace() {
        var secret = SecureRandom.bytes(64)
        secret[0] = 0xAA
        let address = secret.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
        SecureWipe.wipe(&secret)
        #expect(secret.count == 64 && secret.allSatisfy { $0 == 0 })
        // The same storage was wiped, not a copy.
        #expect(secret.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) } == address)

        let raw = UnsafeMutableRawBufferPointer.allocate(byteCount: 32, alignment: 1)
        defer { raw.deallocate() }
        raw.initializeMemory(as: UInt8.self, repeating: 0x5C)
        SecureWipe.wipe(raw)
        #expect(raw.allSatisfy { $0 == 0 })
    }

    @Test("Process hardening reports the dumpable flag it sets")
    func dumpable() {
        #if os(Linux)
        #expect(ProcessHardening.isDumpable != nil)
        #endif
    }
}
