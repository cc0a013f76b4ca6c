#!/usr/bin/env python3
"""Offers TLS 1.2 with DEFLATE compression first (then null) in a raw ClientHello and prints the
compression method the server picks: 0 (null) means no compression. Used by scripts/tls-scan.sh
because Debian's sslscan/OpenSSL are built without zlib and cannot test compression themselves.

usage: tls_compression_probe.py HOST PORT   -> prints "compression_method=N" (exit 0), or an error (exit 2)
"""
import os
import socket
import struct
import sys


def client_hello() -> bytes:
    suites = [0xC02B, 0xC02C, 0xCCA9, 0xC02F, 0xC030, 0xCCA8, 0x009C, 0x002F]
    extensions = b""
    # supported_groups: x25519, secp256r1, secp384r1
    groups = struct.pack("!HHH", 0x001D, 0x0017, 0x0018)
    extensions += struct.pack("!HHH", 0x000A, len(groups) + 2, len(groups)) + groups
    # ec_point_formats: uncompressed
    extensions += struct.pack("!HHB", 0x000B, 2, 1) + b"\x00"
    # signature_algorithms: ecdsa_secp256r1_sha256, ecdsa_secp384r1_sha384, rsa_pss_rsae_sha256, rsa_pkcs1_sha256, ed25519
    algorithms = struct.pack("!HHHHH", 0x0403, 0x0503, 0x0804, 0x0401, 0x0807)
    extensions += struct.pack("!HHH", 0x000D, len(algorithms) + 2, len(algorithms)) + algorithms
    # extended_master_secret, renegotiation_info (empty)
    extensions += struct.pack("!HH", 0x0017, 0) + struct.pack("!HHB", 0xFF01, 1, 0)
    body = b"\x03\x03" + os.urandom(32) + b"\x00"
    body += struct.pack("!H", 2 * len(suites)) + b"".join(struct.pack("!H", s) for s in suites)
    body += b"\x02\x01\x00"  # two compression methods: DEFLATE (1), then null (0)
    body += struct.pack("!H", len(extensions)) + extensions
    handshake = b"\x01" + struct.pack("!I", len(body))[1:] + body
    return b"\x16\x03\x01" + struct.pack("!H", len(handshake)) + handshake


def read_exact(sock: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise EOFError("connection closed")
        data += chunk
    return data


def main() -> int:
    host, port = sys.argv[1], int(sys.argv[2])
    with socket.create_connection((host, port), timeout=10) as sock:
        sock.sendall(client_hello())
        header = read_exact(sock, 5)
        content_type, _, length = struct.unpack("!BHH", header)
        record = read_exact(sock, length)
        if content_type == 21:
            print(f"alert level={record[0]} description={record[1]}")
            return 2
        if content_type != 22 or record[0] != 2:
            print(f"unexpected record type {content_type} / handshake {record[0]}")
            return 2
        hello = record[4:]
        session_id_length = hello[34]
        offset = 35 + session_id_length
        cipher = struct.unpack("!H", hello[offset:offset + 2])[0]
        method = hello[offset + 2]
        print(f"cipher=0x{cipher:04X}")
        print(f"compression_method={method}")
        return 0


if __name__ == "__main__":
    sys.exit(main())
