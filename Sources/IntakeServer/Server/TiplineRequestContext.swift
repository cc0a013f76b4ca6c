public import Hummingbird
public import NIOCore
public import TiplineStore

/// The request context of both listeners: Hummingbird's core context plus the peer address,
/// which is used only to derive an in-memory rate-limit tag and is never logged or stored.
public struct TiplineRequestContext: RequestContext, RemoteAddressRequestContext {
    /// Hummingbird's own per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// The peer's socket address: for the rate-limit tag only, never logged or stored.
    public let remoteAddress: SocketAddress?
    /// The client a trusted proxy named in a PROXY header, if any (rate limiting only).
    let origin: ConnectionOrigin?
    /// Set by `AdminAuthMiddleware` once the request's signature checks out.
    public var staff: StaffActor?
    /// The body, read once by `AdminAuthMiddleware` to hash it for the signature.
    public var adminBody: ByteBuffer?

    /// A context for a request arriving on `source`'s channel.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
        self.origin = ConnectionOrigins.shared.origin(of: source.channel)
    }

    /// The rate-limit bucket of `request` (see `ClientResolver`); never logged or stored.
    func clientKey(_ request: Request, _ resolver: ClientResolver) -> String {
        resolver.key(peer: remoteAddress, origin: origin, forwardedFor: request.headers[values: ClientResolver.forwardedFor])
    }
}
