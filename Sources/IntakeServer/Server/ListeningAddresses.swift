/// The ports both listeners ended up on, known once each is running.
public actor ListeningAddresses {
    /// The public listener's port, once it runs.
    public private(set) var publicPort: Int?
    /// The admin listener's port, once it runs.
    public private(set) var adminPort: Int?
    private var announced = false
    private var waiters: [CheckedContinuation<(Int, Int), Never>] = []
    private let onReady: @Sendable (Int, Int) -> Void

    /// `onReady` runs once, when both listeners are running.
    public init(onReady: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) { self.onReady = onReady }

    func setPublic(_ port: Int?) { publicPort = port; resumeIfReady() }
    func setAdmin(_ port: Int?) { adminPort = port; resumeIfReady() }

    /// Waits until both listeners run; returns (public, admin).
    public func wait() async -> (publicPort: Int, adminPort: Int) {
        if let publicPort, let adminPort { return (publicPort, adminPort) }
        let pair = await withCheckedContinuation { waiters.append($0) }
        return (pair.0, pair.1)
    }

    private func resumeIfReady() {
        guard let publicPort, let adminPort, !announced else { return }
        announced = true
        onReady(publicPort, adminPort)
        for waiter in waiters { waiter.resume(returning: (publicPort, adminPort)) }
        waiters.removeAll()
    }
}
