import Foundation
public import Hummingbird
public import HTTPTypes
public import ServiceLifecycle

/// Raised once the server begins a graceful shutdown (SIGTERM): from then on every answer tells the
/// client to close its connection.
///
/// Why: on shutdown the listeners close each keep-alive connection after its request in flight. A
/// client that was not told so sends its next request on that connection at once; the server can
/// still read and process it while the TLS close is under way, but its answer is lost — the tip is
/// stored and the reporter never sees the receipt (measured: one such tip per connection under load,
/// Benchmarks/results.md). `Connection: close` makes clients stop reusing the connection first.
public final class DrainingSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var draining = false

    /// A signal not yet raised.
    public init() {}

    /// Whether draining has started.
    public var isDraining: Bool { lock.withLock { draining } }

    /// Raises the signal; it is never lowered.
    public func startDraining() { lock.withLock { draining = true } }
}

/// Adds `Connection: close` to every answer once `signal` is raised.
public struct DrainingMiddleware<Context: RequestContext>: RouterMiddleware {
    let signal: DrainingSignal

    /// A middleware that reads `signal`.
    public init(signal: DrainingSignal) { self.signal = signal }

    /// Passes the request on, and closes the connection after the answer once draining.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        if signal.isDraining { response.headers[.connection] = "close" }
        return response
    }
}

/// The service that raises the signal. It must come last in the service group's list: ServiceGroup
/// shuts services down in reverse order, so it is told first, before any listener quiesces.
struct DrainingNotice: Service {
    let signal: DrainingSignal

    func run() async throws {
        try? await gracefulShutdown()
        signal.startDraining()
    }
}
