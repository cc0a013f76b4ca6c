import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// A bare TLS client for what AsyncHTTPClient cannot do: send bytes before the TLS handshake (a
/// PROXY header), or send part of a request and stall.
final class RawTLSConnection: @unchecked Sendable {
    let channel: any Channel
    private let collector: Collector

    final class Collector: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        private let lock = NSLock()
        private var received: [UInt8] = []
        var bytes: [UInt8] { lock.withLock { received } }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            lock.withLock { received += buffer.readableBytesView }
        }
        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }

    private init(channel: any Channel, collector: Collector) {
        self.channel = channel
        self.collector = collector
    }

    /// Connects to 127.0.0.1:`port`, writes `preface` in the clear, then starts TLS trusting `caPath`.
    static func connect(port: Int, caPath: String, preface: [UInt8] = []) async throws -> RawTLSConnection {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port).get()
        if !preface.isEmpty { try await channel.writeAndFlush(ByteBuffer(bytes: preface)).get() }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caPath))
        tls.certificateVerification = .noHostnameVerification
        let context = try NIOSSLContext(configuration: tls)
        let collector = Collector()
        try await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: context, serverHostname: nil))
            try channel.pipeline.syncOperations.addHandler(collector)
        }.get()
        return RawTLSConnection(channel: channel, collector: collector)
    }

    func send(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes)).get()
    }

    /// Waits until the server closes the connection (or `seconds` pass); returns what it sent.
    func waitForClose(seconds: Double) async -> (closed: Bool, bytes: [UInt8]) {
        let closed = await withTaskGroup(of: Bool.self) { group in
            group.addTask { (try? await self.channel.closeFuture.get()) != nil }
            group.addTask { try? await Task.sleep(for: .seconds(seconds)); return false }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        return (closed, collector.bytes)
    }

    var received: [UInt8] { collector.bytes }

    func close() async { try? await channel.close().get() }

    /// The status code of the first response in `bytes`, if any.
    static func status(_ bytes: [UInt8]) -> Int? {
        let text = String(decoding: bytes.prefix(64), as: UTF8.self)
        guard text.hasPrefix("HTTP/1.1 ") else { return nil }
        return Int(text.dropFirst(9).prefix(3))
    }

    /// A complete `POST path` request with a JSON body that closes the connection after the answer.
    static func jsonPost(_ path: String, _ object: Any, extraHeaders: String = "") throws -> [UInt8] {
        let body = try JSONSerialization.data(withJSONObject: object)
        let head = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\(extraHeaders)Connection: close\r\n\r\n"
        return Array(head.utf8) + Array(body)
    }
}

/// PROXY protocol headers as a proxy would send them.
enum ProxyHeaders {
    static func v2(command: UInt8 = 0x21, family: UInt8 = 0x11, addresses: [UInt8], tlvs: [UInt8] = []) -> [UInt8] {
        let length = addresses.count + tlvs.count
        return [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, command, family,
                UInt8(length >> 8), UInt8(length & 0xFF)] + addresses + tlvs
    }

    static func v2inet4(_ source: [UInt8], port: UInt16 = 40_000) -> [UInt8] {
        v2(addresses: source + [127, 0, 0, 1] + [UInt8(port >> 8), UInt8(port & 0xFF), 0x20, 0xFB])
    }

    /// Tor's encoding of a circuit id as an IPv6 source address (HiddenServiceExportCircuitID haproxy).
    static func torCircuitAddress(_ id: UInt32) -> [UInt8] {
        [0xFC, 0x00, 0xDE, 0xAD, 0xBE, 0xEF, 0x4D, 0xAD, 0, 0, 0, 0,
         UInt8(id >> 24), UInt8((id >> 16) & 0xFF), UInt8((id >> 8) & 0xFF), UInt8(id & 0xFF)]
    }

    static func v2inet6(_ source: [UInt8], port: UInt16 = 1, tlvs: [UInt8] = []) -> [UInt8] {
        v2(family: 0x21, addresses: source + [UInt8](repeating: 0, count: 15) + [1] + [UInt8(port >> 8), UInt8(port & 0xFF), 0x01, 0xBB],
           tlvs: tlvs)
    }

    /// The line Tor writes for circuit `id` (`export_hs_client_circuit_id`).
    static func torV1(_ id: UInt32, virtualPort: Int = 443) -> [UInt8] {
        Array("PROXY TCP6 fc00:dead:beef:4dad::\(String(id >> 16, radix: 16)):\(String(id & 0xFFFF, radix: 16)) ::1 \(id & 0xFFFF) \(virtualPort)\r\n".utf8)
    }
}
