public import Sealing

extension Scrypt.Parameters {
    /// The scrypt cost of private key files in **test fixtures only**: N = 2^10, r = 1, p = 1
    /// (128 KiB, well under a millisecond) instead of `.default` (N = 2^15, r = 8: 32 MiB and
    /// about 0.1 s per key on the project's machines).
    ///
    /// A test deployment holds some 25 encrypted keys, and every `tipline-admin` run in a test
    /// decrypts one or two, so the production cost made key protection the largest part of the
    /// suite's CPU time. The file format is unchanged (the cost is a field of the PKCS#8 file, read
    /// back by the same code within its upper bounds), so servers and the CLI read these files as
    /// they would a production one. Only this test-support module defines the value; the shipped
    /// executables never depend on it and never pass a cost, so they always write `.default`.
    public static let testOnlyCheapKeyProtection = Scrypt.Parameters(n: 1 << 10, r: 1, p: 1)
}
