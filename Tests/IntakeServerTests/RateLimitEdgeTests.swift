import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import TiplineCore
@testable import IntakeServer

/// Issue 11 item 3: rate limits must not lock everyone out.
@Suite("Rate limits at the network edge (issue 11 #3)")
struct RateLimitEdgeTests {
    static var tip: [String: Any] { ["category": "online", "district": "nanming", "description": "在南明区出售非法光盘"] }

    // MARK: PROXY protocol parsing

    @Test("PROXY v2: IPv4, IPv6, UNIX and LOCAL headers parse; the rest of the stream is left alone")
    func proxyV2Valid() {
        let v4 = ProxyHeaders.v2inet4([198, 51, 100, 7], port: 5555)
        #expect(ProxyProtocol.parse(v4 + Array("\u{16}\u{03}".utf8), maxBytes: 536)
                == .header(.inet(address: [198, 51, 100, 7], port: 5555, tlvs: []), length: 28))
        let v6source: [UInt8] = [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [9]
        #expect(ProxyProtocol.parse(ProxyHeaders.v2inet6(v6source, port: 80), maxBytes: 536)
                == .header(.inet(address: v6source, port: 80, tlvs: []), length: 52))
        let unix = ProxyHeaders.v2(family: 0x31, addresses: [UInt8](repeating: 0x2F, count: 216))
        #expect(ProxyProtocol.parse(unix, maxBytes: 536) == .header(.unix(tlvs: []), length: 232))
        let local = ProxyHeaders.v2(command: 0x20, family: 0x00, addresses: [])
        #expect(ProxyProtocol.parse(local, maxBytes: 536) == .header(.local, length: 16))
        let unspecified = ProxyHeaders.v2(family: 0x00, addresses: [])
        #expect(ProxyProtocol.parse(unspecified, maxBytes: 536) == .header(.unspecified, length: 16))
    }

    @Test("PROXY v2 with TLVs: a Tor circuit address plus a UNIQUE_ID and a NOOP TLV")
    func proxyV2TLV() {
        let circuit = ProxyHeaders.torCircuitAddress(0xAABB_CCDD)
        let tlvs: [UInt8] = [0x05, 0x00, 0x04, 1, 2, 3, 4, 0x04, 0x00, 0x00]
        let header = ProxyHeaders.v2inet6(circuit, port: 0xCCDD, tlvs: tlvs)
        #expect(ProxyProtocol.parse(header, maxBytes: 536) == .header(.inet(address: circuit, port: 0xCCDD, tlvs: [
            .init(type: 0x05, value: [1, 2, 3, 4]), .init(type: 0x04, value: []),
        ]), length: header.count))
        #expect(ClientResolver.bucket(circuit, ipv6PrefixLength: 64).hasPrefix("tor:"))
        // A TLV whose length runs past the header, and an over-long UNIQUE_ID, are refused.
        guard case .invalid = ProxyProtocol.parse(ProxyHeaders.v2inet6(circuit, tlvs: [0x05, 0x00, 0x09, 1]), maxBytes: 536) else {
            Issue.record("overrunning TLV accepted"); return
        }
        let longID: [UInt8] = [0x05, 0x00, 0x81] + [UInt8](repeating: 7, count: 129)
        guard case .invalid = ProxyProtocol.parse(ProxyHeaders.v2inet6(circuit, tlvs: longID), maxBytes: 536) else {
            Issue.record("129-byte UNIQUE_ID accepted"); return
        }
    }

    @Test("PROXY v2: truncated is incomplete at every cut; wrong signature, version, command, transport and oversize are refused")
    func proxyV2Invalid() {
        let header = ProxyHeaders.v2inet4([198, 51, 100, 7])
        for cut in 1..<header.count {
            #expect(ProxyProtocol.parse(Array(header.prefix(cut)), maxBytes: 536) == .incomplete, "cut at \(cut)")
        }
        var wrong = header
        wrong[7] = 0x52
        #expect(isInvalid(wrong))
        #expect(isInvalid(Array("GET / HTTP/1.1\r\n\r\n".utf8)))
        #expect(isInvalid([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03, 0x00]))  // a TLS ClientHello
        var version = header
        version[12] = 0x11
        #expect(isInvalid(version))
        var command = header
        command[12] = 0x22
        #expect(isInvalid(command))
        var datagram = header
        datagram[13] = 0x12
        #expect(isInvalid(datagram))
        let short = ProxyHeaders.v2(family: 0x21, addresses: [UInt8](repeating: 1, count: 20))  // IPv6 needs 36
        #expect(isInvalid(short))
        let big = ProxyHeaders.v2(addresses: [UInt8](repeating: 0, count: 12), tlvs: [0x04, 0x02, 0x00] + [UInt8](repeating: 0, count: 512))
        #expect(isInvalid(big))  // 16 + 527 > 536, refused from the first 16 bytes
        #expect(isInvalid(Array(big.prefix(16))))
    }

    @Test("PROXY v1 (what Tor sends): TCP4, TCP6, UNKNOWN; malformed, oversize and bad ports refused")
    func proxyV1() {
        let tor = ProxyHeaders.torV1(0x0001_0002)
        #expect(ProxyProtocol.parse(tor + [0x16], maxBytes: 536)
                == .header(.inet(address: ProxyHeaders.torCircuitAddress(0x0001_0002), port: 2, tlvs: []), length: tor.count))
        #expect(ProxyProtocol.parse(Array("PROXY TCP4 192.0.2.1 192.0.2.2 5 443\r\n".utf8), maxBytes: 536)
                == .header(.inet(address: [192, 0, 2, 1], port: 5, tlvs: []), length: 38))
        #expect(ProxyProtocol.parse(Array("PROXY UNKNOWN\r\n".utf8), maxBytes: 536) == .header(.unspecified, length: 15))
        #expect(ProxyProtocol.parse(Array("PROXY TCP4 192.0.2.1 192.0".utf8), maxBytes: 536) == .incomplete)
        for line in ["PROXY TCP4 192.0.2.1 2001:db8::1 5 443\r\n", "PROXY TCP6 192.0.2.1 192.0.2.2 5 443\r\n",
                     "PROXY TCP4 192.0.2.1 192.0.2.2 05 443\r\n", "PROXY TCP4 192.0.2.1 192.0.2.2 5 65536\r\n",
                     "PROXY TCP4  192.0.2.1 192.0.2.2 5 443\r\n", "PROXY TCP4 192.0.2.1 192.0.2.2 5 443\n",
                     "PROXY UDP4 192.0.2.1 192.0.2.2 5 443\r\n", "PROXY TCP4 host 192.0.2.2 5 443\r\n"] {
            #expect(isInvalid(Array(line.utf8)), "\(line)")
        }
        #expect(isInvalid(Array(("PROXY TCP6 " + String(repeating: "a", count: 120)).utf8)))
    }

    private func isInvalid(_ bytes: [UInt8]) -> Bool {
        if case .invalid = ProxyProtocol.parse(bytes, maxBytes: 536) { return true }
        return false
    }

    // MARK: Who the client is

    @Test("IPv6 clients share a bucket per /64; IPv4 and IPv4-mapped are one client; Tor circuits keep 128 bits")
    func ipv6Aggregation() throws {
        let resolver = ClientResolver(network: .init())
        let a = try SocketAddress(ipAddress: "2001:db8:1:2:aaaa::1", port: 1)
        let b = try SocketAddress(ipAddress: "2001:db8:1:2:ffff:ffff:ffff:ffff", port: 2)
        let c = try SocketAddress(ipAddress: "2001:db8:1:3::1", port: 1)
        #expect(resolver.key(peer: a, origin: nil, forwardedFor: []) == resolver.key(peer: b, origin: nil, forwardedFor: []))
        #expect(resolver.key(peer: a, origin: nil, forwardedFor: []) != resolver.key(peer: c, origin: nil, forwardedFor: []))
        let v4 = try SocketAddress(ipAddress: "192.0.2.1", port: 1)
        let mapped = try SocketAddress(ipAddress: "::ffff:192.0.2.1", port: 1)
        #expect(resolver.key(peer: v4, origin: nil, forwardedFor: []) == resolver.key(peer: mapped, origin: nil, forwardedFor: []))
        let one = ConnectionOrigin(address: ProxyHeaders.torCircuitAddress(1))
        let two = ConnectionOrigin(address: ProxyHeaders.torCircuitAddress(2))
        #expect(resolver.key(peer: v4, origin: one, forwardedFor: []) != resolver.key(peer: v4, origin: two, forwardedFor: []))
    }

    @Test("X-Forwarded-For counts only from a configured trusted proxy, and only its right-most untrusted hop")
    func forwardedFor() throws {
        var network = SecurityPolicy.Network()
        network.trustedProxies = [IPRange("10.0.0.0/8")!]
        let resolver = ClientResolver(network: network)
        let proxy = try SocketAddress(ipAddress: "10.1.2.3", port: 1)
        let stranger = try SocketAddress(ipAddress: "203.0.113.5", port: 1)
        let viaProxy = resolver.key(peer: proxy, origin: nil, forwardedFor: ["198.51.100.1"])
        #expect(viaProxy == ClientResolver.bucket([198, 51, 100, 1], ipv6PrefixLength: 64))
        // A client's own forged entry on the left is ignored: the proxy appended the real one.
        #expect(resolver.key(peer: proxy, origin: nil, forwardedFor: ["6.6.6.6, 198.51.100.1"]) == viaProxy)
        #expect(resolver.key(peer: proxy, origin: nil, forwardedFor: ["198.51.100.1, 10.9.9.9"]) == viaProxy)
        // From anyone else the header changes nothing.
        let direct = resolver.key(peer: stranger, origin: nil, forwardedFor: [])
        #expect(resolver.key(peer: stranger, origin: nil, forwardedFor: ["198.51.100.1"]) == direct)
        #expect(resolver.key(peer: stranger, origin: nil, forwardedFor: ["1.1.1.1", "2.2.2.2"]) == direct)
    }

    // MARK: The limiter and the gate

    @Test("A full table forgets the least recently seen client instead of refusing new ones")
    func fullTableEvicts() async {
        let clock = ManualClock(now: 1_780_000_000 - 1_780_000_000 % 3600)
        let limiter = RateLimiter(submissionsPerHour: 2, followupsPerMinute: 2, maxClients: 3, time: { clock.now })
        for client in ["a", "b", "c"] { #expect(await limiter.charge(.submission, client: client) == .allowed) }
        #expect(await limiter.charge(.submission, client: "a") == .allowed)      // a is now the most recent
        #expect(await limiter.charge(.submission, client: "d") == .allowed)      // a new client is let in…
        #expect(await limiter.evictions == 1)                                    // …by forgetting b, the least recent
        #expect(await limiter.tracked.submissions == 3)
        if case .allowed = await limiter.charge(.submission, client: "a") { Issue.record("a was forgotten instead of b") }
        for index in 0..<1000 { #expect(await limiter.charge(.submission, client: "n\(index)") == .allowed) }
        #expect(await limiter.tracked.submissions == 3)
    }

    @Test("peek counts nothing; charge counts once")
    func peekIsFree() async {
        let clock = ManualClock(now: 1_780_000_000)
        let limiter = RateLimiter(submissionsPerHour: 1, followupsPerMinute: 1, time: { clock.now })
        for _ in 0..<50 { #expect(await limiter.peek(.submission, client: "x") == .allowed) }
        #expect(await limiter.charge(.submission, client: "x") == .allowed)
        if case .allowed = await limiter.peek(.submission, client: "x") { Issue.record("over-limit client passed peek") }
    }

    @Test("A follow-up flood leaves the submissions their slots and their queue")
    func followupShare() async throws {
        let gate = KDFGate(concurrency: 2, queueLimit: 4, followupConcurrency: 1, followupQueueLimit: 4)
        let release = Latch()
        let flood = Task {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<40 {
                    group.addTask { _ = try? await gate.run(.followup) { release.wait(); return 0 } }
                }
            }
        }
        // Wait until the flood holds its share and its queue is full.
        var waited = 0
        while await gate.followupOccupancy != (1, 4), waited < 500 {
            try await Task.sleep(for: .milliseconds(10))
            waited += 1
        }
        #expect(await gate.followupOccupancy == (1, 4))
        let submitted = try await gate.run(.submission) { 42 }
        #expect(submitted == 42)
        release.open()
        await flood.value
        #expect(await gate.occupancy.running == 0)
        await gate.shutdown()
    }

    // MARK: End to end

    @Test("X-Forwarded-For from an untrusted peer does not buy a new bucket")
    func forwardedForIgnoredEndToEnd() async throws {
        let live = try LiveServer(submissionsPerHour: 1)
        try await live.run { live in
            #expect(try await live.postJSON("/api/v1/tips", Self.tip).status == 201)
            var request = HTTPClientRequest(url: live.publicURL + "/api/v1/tips")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: Array(try JSONSerialization.data(withJSONObject: Self.tip))))
            request.headers.add(name: "X-Forwarded-For", value: "198.51.100.77")
            let reply = try await live.client.execute(request, timeout: .seconds(60))
            #expect(reply.status.code == 429)
        }
    }

    @Test("A PROXY v2 header before the TLS handshake gives each Tor circuit its own bucket; v1 from Tor too")
    func proxyProtocolEndToEnd() async throws {
        let live = try LiveServer(submissionsPerHour: 1) {
            $0.replacingOccurrences(of: "  proxy_protocol_peers: []", with: "  proxy_protocol_peers: [127.0.0.1/32]")
        }
        try await live.run { live in
            let port = Int(live.publicURL.split(separator: ":").last!)!
            let ca = live.deployment.layout.tlsCA.path
            /// The status of a tip sent after `preface`; nil if the server closed the connection first.
            func post(_ preface: [UInt8]) async -> Int? {
                guard let connection = try? await RawTLSConnection.connect(port: port, caPath: ca, preface: preface) else { return nil }
                guard let request = try? RawTLSConnection.jsonPost("/api/v1/tips", Self.tip) else { return nil }
                try? await connection.send(request)
                let (_, bytes) = await connection.waitForClose(seconds: 60)
                await connection.close()
                return RawTLSConnection.status(bytes)
            }
            let circuitA = ProxyHeaders.v2inet6(ProxyHeaders.torCircuitAddress(0x1111), tlvs: [0x04, 0x00, 0x00])
            let circuitB = ProxyHeaders.v2inet6(ProxyHeaders.torCircuitAddress(0x2222))
            #expect(await post(circuitA) == 201)
            #expect(await post(circuitA) == 429)
            #expect(await post(circuitB) == 201)
            #expect(await post(ProxyHeaders.torV1(0x3333)) == 201)
            #expect(await post(ProxyHeaders.torV1(0x3333)) == 429)
            // Without a header the peer (127.0.0.1) is the client: its own bucket, used once.
            #expect(await post([]) == 201)
            #expect(await post([]) == 429)
            // A malformed header closes the connection before TLS.
            var broken = circuitB
            broken[12] = 0x23
            #expect(await post(broken) == nil)
            let stored = try live.tipCount()
            #expect(stored == 4)
        }
        #expect(!live.logs.all.contains("fc00:dead"))
    }

    @Test("proxy_protocol_required: a connection without a PROXY header is closed before TLS and stores nothing; with one it is served; the admin listener never takes one")
    func proxyProtocolRequired() async throws {
        let live = try LiveServer(submissionsPerHour: 1) {
            $0.replacingOccurrences(of: "  proxy_protocol_required: false", with: "  proxy_protocol_required: true")
        }
        try await live.run { live in
            let port = Int(live.publicURL.split(separator: ":").last!)!
            let ca = live.deployment.layout.tlsCA.path
            func post(_ preface: [UInt8]) async -> (closed: Bool, status: Int?) {
                guard let connection = try? await RawTLSConnection.connect(port: port, caPath: ca, preface: preface) else { return (true, nil) }
                if let request = try? RawTLSConnection.jsonPost("/api/v1/tips", Self.tip) { try? await connection.send(request) }
                let (closed, bytes) = await connection.waitForClose(seconds: 30)
                await connection.close()
                return (closed, RawTLSConnection.status(bytes))
            }
            // No header (a direct client, not through the onion service): closed, no answer, nothing stored.
            let bare = await post([])
            #expect(bare.closed && bare.status == nil)
            let none = try live.tipCount()
            #expect(none == 0)
            // Through the proxy: one bucket per circuit, as when the peer is trusted.
            let circuit = ProxyHeaders.v2inet6(ProxyHeaders.torCircuitAddress(0x4444))
            #expect(await post(circuit).status == 201)
            #expect(await post(circuit).status == 429)
            #expect(await post(ProxyHeaders.v2inet6(ProxyHeaders.torCircuitAddress(0x5555))).status == 201)
            let two = try live.tipCount()
            #expect(two == 2)
            // The HTTPS client (no header) is refused on the public listener…
            #expect((try? await live.request("/healthz")) == nil)
            // …while the admin listener, which never reads PROXY headers, serves it as before.
            let admin = try await live.request("/healthz", admin: true)
            #expect(admin.status == 200)
        }
    }

    @Test("A PROXY header from a peer that is not configured is refused (TLS fails), never believed")
    func proxyProtocolUntrusted() async throws {
        let live = try LiveServer(submissionsPerHour: 1)
        try await live.run { live in
            let port = Int(live.publicURL.split(separator: ":").last!)!
            // The server may close before the client has even started TLS: that is a refusal too.
            if let connection = try? await RawTLSConnection.connect(
                port: port, caPath: live.deployment.layout.tlsCA.path,
                preface: ProxyHeaders.v2inet6(ProxyHeaders.torCircuitAddress(9))) {
                try? await connection.send(try RawTLSConnection.jsonPost("/api/v1/tips", Self.tip))
                let (closed, bytes) = await connection.waitForClose(seconds: 30)
                #expect(closed)
                #expect(RawTLSConnection.status(bytes) == nil)
                await connection.close()
            }
            let stored = try live.tipCount()
            #expect(stored == 0)
        }
    }
}

/// A gate for blocking test work on a thread until released.
final class Latch: @unchecked Sendable {
    private let condition = NSCondition()
    private var isOpen = false
    func wait() {
        condition.lock()
        while !isOpen { condition.wait() }
        condition.unlock()
    }
    func open() {
        condition.lock()
        isOpen = true
        condition.broadcast()
        condition.unlock()
    }
}
