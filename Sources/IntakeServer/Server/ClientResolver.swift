import Foundation
import HTTPTypes
import NIOCore
import TiplineCore

/// Decides which rate-limit bucket a request belongs to (S-x: no address is ever stored; the
/// result is only HMAC'd in memory by `RateLimiter`).
///
/// The client is, in order: the address a PROXY header named (only trusted peers may send one);
/// else, when the peer is a trusted proxy, the right-most `X-Forwarded-For` entry that is not
/// itself a trusted proxy; else the peer. IPv6 addresses are cut to `ipv6PrefixLength` bits, except
/// Tor's circuit addresses (`fc00:dead:beef:4dad::/64`, `HiddenServiceExportCircuitID haproxy`),
/// which keep all 128 bits so that each circuit has its own bucket.
struct ClientResolver: Sendable {
    let network: SecurityPolicy.Network

    /// Tor's prefix for circuit ids exported through the PROXY protocol.
    static let torCircuitPrefix = IPRange("fc00:dead:beef:4dad::/64")!
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    /// The bucket key of a request: `peer` is the socket's remote address, `origin` what a PROXY
    /// header said, `forwardedFor` the values of every `X-Forwarded-For` field in order.
    func key(peer: SocketAddress?, origin: ConnectionOrigin?, forwardedFor: [String]) -> String {
        var client = origin?.address ?? peer.flatMap(Self.bytes(of:))
        if let current = client, isTrustedProxy(current), !forwardedFor.isEmpty {
            let hops = forwardedFor.flatMap { $0.split(separator: ",") }.suffix(64)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            for hop in hops.reversed() {
                guard let address = IPAddressText.bytes(hop) else { break }  // garbage: stop at the last good hop
                client = address
                if !isTrustedProxy(address) { break }
            }
        }
        guard let client else { return "unknown" }
        return Self.bucket(client, ipv6PrefixLength: network.ipv6PrefixLength)
    }

    private func isTrustedProxy(_ address: [UInt8]) -> Bool {
        network.trustedProxies.contains { $0.contains(address) }
    }

    /// The bucket of one address: IPv4 whole, IPv6 by prefix (Tor circuits whole).
    static func bucket(_ address: [UInt8], ipv6PrefixLength: Int) -> String {
        let address = IPAddressText.unmapped(address)
        if address.count == 4 { return "4:" + address.map(String.init).joined(separator: ".") }
        if torCircuitPrefix.contains(address) { return "tor:" + hex(address) }
        return "6:" + hex(IPRange.masked(address, ipv6PrefixLength)) + "/\(ipv6PrefixLength)"
    }

    static func bytes(of address: SocketAddress) -> [UInt8]? {
        switch address {
        case .v4(let v4): withUnsafeBytes(of: v4.address.sin_addr) { Array($0) }
        case .v6(let v6): withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
        default: nil
        }
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
