import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// IP address text ⇄ bytes (4 bytes for IPv4, 16 for IPv6), without DNS and without zones.
public enum IPAddressText {
    /// The address's bytes, or nil if `text` is not a literal IPv4 or IPv6 address.
    public static func bytes(_ text: String) -> [UInt8]? {
        guard !text.isEmpty, text.utf8.count <= 45, !text.contains("%") else { return nil }
        var v4 = in_addr()
        if text.withCString({ inet_pton(AF_INET, $0, &v4) }) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if text.withCString({ inet_pton(AF_INET6, $0, &v6) }) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }

    /// `::ffff:a.b.c.d` becomes the 4-byte IPv4 address; everything else is unchanged.
    public static func unmapped(_ bytes: [UInt8]) -> [UInt8] {
        if bytes.count == 16, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
            return Array(bytes[12..<16])
        }
        return bytes
    }
}

/// A CIDR block such as `10.0.0.0/8`, `::1/128` or a bare address (a block of one).
public struct IPRange: Sendable, Equatable, CustomStringConvertible {
    /// The block's address with the bits past the prefix zeroed: 4 bytes (IPv4) or 16 (IPv6).
    public let network: [UInt8]
    /// The prefix length in bits.
    public let prefixLength: Int

    /// Parses `address[/prefix]`; nil unless the address is literal and the prefix fits it.
    public init?(_ text: String) {
        let pieces = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddressText.bytes(String(pieces[0])) else { return nil }
        let bits = address.count * 8
        var prefix = bits
        if pieces.count == 2 {
            guard let value = Int(pieces[1]), pieces[1].allSatisfy(\.isASCII), (0...bits).contains(value),
                  String(value) == pieces[1] else { return nil }
            prefix = value
        }
        self.network = Self.masked(address, prefix)
        self.prefixLength = prefix
    }

    /// Whether `address` (4 or 16 bytes; IPv4-mapped IPv6 counts as IPv4) lies in this block.
    public func contains(_ address: [UInt8]) -> Bool {
        let candidate = network.count == 4 ? IPAddressText.unmapped(address) : address
        guard candidate.count == network.count else { return false }
        return Self.masked(candidate, prefixLength) == network
    }

    /// The first `prefix` bits of `address`, the rest zero.
    public static func masked(_ address: [UInt8], _ prefix: Int) -> [UInt8] {
        var result = address
        for index in result.indices {
            let bitsHere = max(0, min(8, prefix - index * 8))
            result[index] &= bitsHere == 8 ? 0xFF : UInt8(truncatingIfNeeded: 0xFF << (8 - bitsHere))
        }
        return result
    }

    /// The block as `address/prefix` (IPv6 not compressed).
    public var description: String {
        let text: String
        if network.count == 4 {
            text = network.map(String.init).joined(separator: ".")
        } else {
            text = stride(from: 0, to: 16, by: 2).map { String(UInt16(network[$0]) << 8 | UInt16(network[$0 + 1]), radix: 16) }
                .joined(separator: ":")
        }
        return "\(text)/\(prefixLength)"
    }
}
