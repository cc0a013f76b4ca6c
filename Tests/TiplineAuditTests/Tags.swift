import Testing

/// Tags of the slow stories, the same names in every test target (README "Running the tests"):
/// `swift test --skip-build --skip 'ScaleTests|CrashRecoveryTests'` runs the fast set.
extension Tag {
    /// Every story that takes minutes on a 2-core machine: the `scale` and `crash` ones.
    @Tag static var slow: Self
    /// Scale stories: audit verify over 10^5 entries, triage queries over a populated store.
    @Tag static var scale: Self
    /// Crash stories: the real `tipline-server` killed (SIGKILL) or stopped (SIGTERM) under load.
    @Tag static var crash: Self
}
