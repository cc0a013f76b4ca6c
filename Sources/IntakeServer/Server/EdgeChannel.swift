import Foundation
import HummingbirdCore
import Logging
import NIOCore
import NIOSSL
import TiplineCore

/// Who a connection speaks for, when a trusted proxy said so in a PROXY header.
/// Kept in memory for the life of the connection only; never logged or stored.
struct ConnectionOrigin: Sendable, Equatable {
    /// 4 or 16 address bytes of the client as the proxy saw it (for Tor: the circuit's address).
    let address: [UInt8]
}

/// The PROXY-header origins of open connections, keyed by their channel. An entry lives exactly
/// as long as its connection (removed on close), so the table is bounded by the connection limit.
final class ConnectionOrigins: @unchecked Sendable {
    static let shared = ConnectionOrigins()
    private let lock = NSLock()
    private var table: [ObjectIdentifier: ConnectionOrigin] = [:]

    func set(_ origin: ConnectionOrigin, for channel: any Channel) {
        let key = ObjectIdentifier(channel)
        lock.withLock { table[key] = origin }
        channel.closeFuture.whenComplete { _ in self.lock.withLock { _ = self.table.removeValue(forKey: key) } }
    }

    func origin(of channel: any Channel) -> ConnectionOrigin? {
        let key = ObjectIdentifier(channel)
        return lock.withLock { table[key] }
    }

    var count: Int { lock.withLock { table.count } }
}

/// Reads an optional (or, on a `required` listener, mandatory) PROXY header off the front of a
/// connection before TLS sees a byte, records the client it names, then steps aside.
///
/// Only installed for peers allowed to send one (`network.proxy_protocol_peers`) or on a listener
/// that requires it; from anyone else the header's bytes reach TLS and the handshake fails.
/// Bounded: at most `maxBytes` are held, and the header must arrive within `timeout`.
final class ProxyProtocolHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let required: Bool
    private let maxBytes: Int
    private let timeout: TimeAmount
    private var buffered: [UInt8] = []
    private var done = false
    private var deadline: Scheduled<Void>?

    init(required: Bool, maxBytes: Int, timeout: TimeAmount) {
        self.required = required
        self.maxBytes = maxBytes
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { scheduleDeadline(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        scheduleDeadline(context)
        context.fireChannelActive()
    }

    private func scheduleDeadline(_ context: ChannelHandlerContext) {
        guard deadline == nil else { return }
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        deadline = context.eventLoop.scheduleTask(in: timeout) {
            guard !bound.value.handler.done else { return }
            bound.value.context.close(promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !done else { return context.fireChannelRead(data) }
        let chunk = unwrapInboundIn(data)
        buffered.append(contentsOf: chunk.readableBytesView)
        if !ProxyProtocol.looksLikeHeader(buffered) {
            if required { return fail(context) }
            return finish(context, consumed: 0)
        }
        switch ProxyProtocol.parse(buffered, maxBytes: maxBytes) {
        case .incomplete:
            if buffered.count >= maxBytes { fail(context) }
        case .invalid:
            fail(context)
        case .header(let header, let length):
            if case .inet(let address, _, _) = header {
                ConnectionOrigins.shared.set(ConnectionOrigin(address: address), for: context.channel)
            }
            finish(context, consumed: length)
        }
    }

    /// Passes on what follows the header and removes this handler.
    private func finish(_ context: ChannelHandlerContext, consumed: Int) {
        done = true
        deadline?.cancel()
        let rest = buffered[consumed...]
        buffered = []
        if !rest.isEmpty { context.fireChannelRead(wrapInboundOut(context.channel.allocator.buffer(bytes: rest))) }
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    private func fail(_ context: ChannelHandlerContext) {
        done = true
        deadline?.cancel()
        buffered = []
        context.close(promise: nil)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
    }
}

/// Drops whatever a client sends once the server has begun to close the connection.
///
/// Why: when the server closes a keep-alive connection (the graceful-shutdown quiesce of an idle
/// connection, or the idle timeout), TLS first sends its close_notify and waits for the client's;
/// meanwhile NIOSSL still decrypts what arrives and passes it on. A client that sent its next
/// request at that instant would have it parsed and processed — a tip stored — with its answer
/// lost on the closing connection: a tip acknowledged to nobody. Sitting between TLS and HTTP,
/// this handler sees the close go out and from then on lets no byte reach the HTTP decoder, so a
/// request that races a close is never processed and the client, which got no answer, simply
/// retries (issue 11: the SIGTERM drain; `CrashRecoveryTests.sigtermUnderLoad`).
final class ClosingReadGate: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private(set) var closing = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        context.fireChannelRead(data)
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        // A full close, or the server giving up on reading (a half-close of output keeps reading).
        if mode == .all || mode == .input { closing = true }
        context.close(mode: mode, promise: promise)
    }
}

/// The public listener's connection setup around Hummingbird's TLS + HTTP/1 channel: a PROXY
/// header reader in front of TLS where the policy allows one, and a `ClosingReadGate` behind it.
struct EdgeChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value
    let base: Base
    let network: SecurityPolicy.Network
    /// Set on the public listener only; the admin listener never takes PROXY headers.
    let acceptsProxyProtocol: Bool
    let headerTimeout: TimeAmount

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            if acceptsProxyProtocol {
                let peer = channel.remoteAddress.flatMap(ClientResolver.bytes(of:))
                let trusted = peer.map { address in network.proxyProtocolPeers.contains { $0.contains(address) } } ?? false
                if network.proxyProtocolRequired || trusted {
                    try channel.pipeline.syncOperations.addHandler(ProxyProtocolHandler(
                        required: network.proxyProtocolRequired, maxBytes: network.proxyHeaderMaxBytes, timeout: headerTimeout))
                }
            }
        }.flatMap {
            base.setup(channel: channel, logger: logger)
        }.flatMapThrowing { value in
            let tls = try channel.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self)
            try channel.pipeline.syncOperations.addHandler(ClosingReadGate(), position: .after(tls))
            return value
        }
    }

    func handle(value: Base.Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
