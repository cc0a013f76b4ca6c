import NIOCore
import NIOEmbedded
import Testing
@testable import IntakeServer

/// The SIGTERM drain (issue 11): a request that arrives while the server is closing its connection
/// must never reach HTTP, or it is processed (a tip stored) and its answer lost.
@Suite("Closing read gate")
struct ClosingReadGateTests {
    /// Stands in for NIOSSL during its shutdown: the close is held (waiting for the client's
    /// close_notify) while bytes keep arriving from the network.
    final class HeldClose: ChannelOutboundHandler {
        typealias OutboundIn = ByteBuffer
        var closes = 0
        func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
            closes += 1
            promise?.succeed(())
        }
    }

    /// Everything that reached the HTTP side.
    final class Received: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        var bytes: [UInt8] = []
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            bytes += unwrapInboundIn(data).readableBytesView
        }
    }

    @Test("Bytes pass until the server closes; after a full or input close none reach HTTP; an output half-close keeps reading")
    func dropsAfterClose() throws {
        for (mode, passesAfter) in [(CloseMode.all, false), (.input, false), (.output, true)] {
            let held = HeldClose(), gate = ClosingReadGate(), received = Received()
            let channel = EmbeddedChannel()
            try channel.pipeline.syncOperations.addHandlers([held, gate, received])
            try channel.writeInbound(ByteBuffer(string: "GET / HTTP/1.1\r\n\r\n"))
            #expect(String(decoding: received.bytes, as: UTF8.self) == "GET / HTTP/1.1\r\n\r\n")
            channel.pipeline.close(mode: mode, promise: nil)
            #expect(held.closes == 1 && gate.closing == !passesAfter)
            try channel.writeInbound(ByteBuffer(string: "POST /api/v1/tips HTTP/1.1\r\n"))
            #expect(received.bytes.count == (passesAfter ? 46 : 18), "mode \(mode)")
        }
    }
}
