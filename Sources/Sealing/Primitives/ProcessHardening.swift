internal import COpenSSL
#if canImport(Glibc)
import Glibc
#endif

/// Keeps secrets in the server's memory out of core dumps and away from debuggers (Linux).
///
/// Receipt-derived keys, the reporter private key and scrypt buffers exist in clear in the
/// process while a tip or a follow-up is handled. `PR_SET_DUMPABLE = 0` stops core dumps and
/// ptrace / `/proc/<pid>/mem` access by other processes of the same user; `RLIMIT_CORE = 0` is
/// the belt to those braces. (`prctl` is variadic, so it is called through the COpenSSL shim.)
public enum ProcessHardening {
    /// Makes the process non-dumpable and sets its core size limit to zero.
    /// - Returns: false if the kernel refused (the caller should not start).
    @discardableResult
    public static func forbidCoreDumps() -> Bool {
        #if os(Linux)
        var limit = rlimit(rlim_cur: 0, rlim_max: 0)
        let limited = setrlimit(Int32(RLIMIT_CORE.rawValue), &limit) == 0
        return tipline_set_dumpable(0) == 0 && limited && isDumpable == false
        #else
        return true
        #endif
    }

    /// Whether the process may be dumped (`PR_GET_DUMPABLE`); nil where the question does not apply.
    public static var isDumpable: Bool? {
        #if os(Linux)
        let value = tipline_get_dumpable()
        return value < 0 ? nil : value != 0
        #else
        return nil
        #endif
    }
}
