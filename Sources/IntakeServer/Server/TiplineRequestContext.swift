public import Hummingbird
public import NIOCore
public import TiplineStore

/// The request context of both listeners: Hummingbird's core context plus the peer address,
/// which is used only to derive an in-memory rate-limit tag and is never logged or stored.
public struct TiplineRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    /// Set by `AdminAuthMiddleware` once the request's signature checks out.
    public var staff: StaffActor?
    /// The body, read once by `AdminAuthMiddleware` to hash it for the signature.
    public var adminBody: ByteBuffer?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }

    /// The client's IP address without the port (rate limiting only).
    var clientAddress: String { remoteAddress?.ipAddress ?? "unknown" }
}
