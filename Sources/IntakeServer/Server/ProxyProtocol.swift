import TiplineCore

/// The PROXY protocol header a trusted proxy puts in front of a connection to say who the client
/// is (https://www.haproxy.org/download/2.9/doc/proxy-protocol.txt): version 2 (binary) and
/// version 1 (one text line, which is what Tor's `HiddenServiceExportCircuitID haproxy` sends).
///
/// Parsing is strict and bounded: a header is at most `maxBytes` long (v1: 107), every length
/// must match its content exactly, and anything unexpected is `.invalid` (the connection is
/// closed). Addresses are returned as bytes and never logged.
enum ProxyProtocol {
    /// The 12-byte signature that starts a v2 header.
    static let v2Signature: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A]
    static let v1Prefix: [UInt8] = Array("PROXY ".utf8)
    /// A v1 line is at most 107 bytes, CRLF included.
    static let v1MaxBytes = 107

    /// One type-length-value record of a v2 header (e.g. 0x05 PP2_TYPE_UNIQUE_ID).
    struct TLV: Sendable, Equatable {
        let type: UInt8
        let value: [UInt8]
    }

    /// What the header says.
    enum Header: Sendable, Equatable {
        /// v2 LOCAL: the proxy's own connection (health check); use the real peer.
        case local
        /// A TCP client: 4 or 16 address bytes and the source port.
        case inet(address: [UInt8], port: UInt16, tlvs: [TLV])
        /// A UNIX-socket client (no address to key on).
        case unix(tlvs: [TLV])
        /// v2 UNSPEC family or v1 UNKNOWN: the proxy does not know; use the real peer.
        case unspecified
    }

    enum Parse: Sendable, Equatable {
        /// The bytes so far are a valid beginning; read more.
        case incomplete
        /// A complete header of `length` bytes (the application data starts after it).
        case header(Header, length: Int)
        /// Not a PROXY header, or a malformed or oversized one.
        case invalid(String)
    }

    /// Whether `bytes` begin (so far) like a PROXY header of either version.
    static func looksLikeHeader(_ bytes: some Collection<UInt8>) -> Bool {
        let n = min(bytes.count, 12)
        let head = Array(bytes.prefix(n))
        return head == Array(v2Signature.prefix(n)) || Array(head.prefix(6)) == Array(v1Prefix.prefix(min(n, 6)))
    }

    /// Parses a header at the start of `bytes`.
    static func parse(_ bytes: [UInt8], maxBytes: Int) -> Parse {
        if bytes.count < 12 {
            return looksLikeHeader(bytes) ? .incomplete : .invalid("no PROXY header")
        }
        if Array(bytes[0..<12]) == v2Signature { return parseV2(bytes, maxBytes: maxBytes) }
        if Array(bytes[0..<6]) == v1Prefix { return parseV1(bytes) }
        return .invalid("no PROXY header")
    }

    private static func parseV2(_ bytes: [UInt8], maxBytes: Int) -> Parse {
        guard bytes.count >= 16 else { return .incomplete }
        let versionCommand = bytes[12]
        guard versionCommand >> 4 == 0x2 else { return .invalid("unsupported version") }
        let command = versionCommand & 0x0F
        guard command <= 1 else { return .invalid("unknown command") }
        let family = bytes[13] >> 4, transport = bytes[13] & 0x0F
        let length = Int(bytes[14]) << 8 | Int(bytes[15])
        guard 16 + length <= maxBytes else { return .invalid("header too large") }
        guard bytes.count >= 16 + length else { return .incomplete }
        let body = Array(bytes[16..<(16 + length)])
        let total = 16 + length
        if command == 0 {
            // LOCAL: the address block (if any) is ignored, but it must still be well-formed.
            return .header(.local, length: total)
        }
        guard family <= 3, transport <= 2 else { return .invalid("unknown family or transport") }
        let addressBytes: Int
        switch family {
        case 0: return .header(.unspecified, length: total)
        case 1: addressBytes = 12
        case 2: addressBytes = 36
        default: addressBytes = 216
        }
        guard transport == 1 else { return .invalid("only stream transport is supported") }
        guard body.count >= addressBytes else { return .invalid("address block shorter than its family") }
        guard let tlvs = parseTLVs(Array(body[addressBytes...])) else { return .invalid("malformed TLV") }
        switch family {
        case 1:
            return .header(.inet(address: Array(body[0..<4]), port: UInt16(body[8]) << 8 | UInt16(body[9]), tlvs: tlvs), length: total)
        case 2:
            return .header(.inet(address: Array(body[0..<16]), port: UInt16(body[32]) << 8 | UInt16(body[33]), tlvs: tlvs), length: total)
        default:
            return .header(.unix(tlvs: tlvs), length: total)
        }
    }

    /// TLVs must exactly fill the rest of the header; PP2_TYPE_UNIQUE_ID is at most 128 bytes.
    private static func parseTLVs(_ bytes: [UInt8]) -> [TLV]? {
        var result: [TLV] = []
        var index = 0
        while index < bytes.count {
            guard bytes.count - index >= 3 else { return nil }
            let type = bytes[index]
            let length = Int(bytes[index + 1]) << 8 | Int(bytes[index + 2])
            index += 3
            guard bytes.count - index >= length else { return nil }
            if type == 0x05, length > 128 { return nil }
            result.append(TLV(type: type, value: Array(bytes[index..<(index + length)])))
            index += length
        }
        return result
    }

    /// `PROXY TCP4|TCP6 <src> <dst> <srcport> <dstport>\r\n` or `PROXY UNKNOWN...\r\n`.
    private static func parseV1(_ bytes: [UInt8]) -> Parse {
        let window = bytes.prefix(v1MaxBytes)
        if let lf = window.firstIndex(of: 0x0A), lf < (window.firstIndex(of: 0x0D) ?? Int.max) {
            return .invalid("malformed v1 line")  // a bare LF: the line must end in CRLF
        }
        guard let cr = window.firstIndex(of: 0x0D) else {
            return bytes.count >= v1MaxBytes ? .invalid("header too large") : .incomplete
        }
        guard cr + 1 < bytes.count else { return cr + 1 < v1MaxBytes ? .incomplete : .invalid("header too large") }
        guard bytes[cr + 1] == 0x0A else { return .invalid("malformed v1 line") }
        let line = bytes[0..<cr]
        guard line.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return .invalid("malformed v1 line") }
        let words = String(decoding: line, as: UTF8.self).split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        let length = cr + 2
        guard words.count >= 2, words[0] == "PROXY" else { return .invalid("malformed v1 line") }
        if words[1] == "UNKNOWN" { return .header(.unspecified, length: length) }
        guard words.count == 6, words[1] == "TCP4" || words[1] == "TCP6" else { return .invalid("malformed v1 line") }
        let size = words[1] == "TCP4" ? 4 : 16
        guard let source = IPAddressText.bytes(words[2]), source.count == size,
              let destination = IPAddressText.bytes(words[3]), destination.count == size,
              let sourcePort = port(words[4]), port(words[5]) != nil else {
            return .invalid("malformed v1 line")
        }
        return .header(.inet(address: source, port: sourcePort, tlvs: []), length: length)
    }

    /// A port in plain decimal: 0...65535, no sign, no leading zero.
    private static func port(_ text: String) -> UInt16? {
        guard (1...5).contains(text.count), text.allSatisfy({ $0.isASCII && $0.isNumber }),
              text == "0" || !text.hasPrefix("0"), let value = Int(text), value <= 65_535 else { return nil }
        return UInt16(value)
    }
}
