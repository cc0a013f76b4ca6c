import Crypto
import Foundation
import SwiftASN1
import X509

/// Makes the TLS certificates of a new deployment: a one-off local CA that signs the server's
/// certificate (P-256, so every browser and TLS library accepts it).
///
/// A CA is used rather than a lone self-signed certificate because some verifiers (BoringSSL,
/// used by swift-nio-ssl clients) refuse a CA:FALSE certificate as a trust anchor. The CA's
/// private key is discarded once the server certificate is signed: nothing can be issued in the
/// deployment's name afterwards. Clients trust `public/tls-ca.pem`.
enum TLSCertificateFactory {
    struct Material {
        /// Server certificate followed by the CA certificate.
        let chainPEM: String
        let caPEM: String
        /// PKCS#8 DER of the server's private key (encrypted before it is written).
        let privateKeyDER: [UInt8]
    }

    static func make(commonName: String, hosts: [String] = ["localhost"], ipv4: [[UInt8]] = [[127, 0, 0, 1]]) throws -> Material {
        let now = Date()
        let caKey = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let caName = try DistinguishedName {
            CommonName("\(commonName) local CA")
            OrganizationName("Tipline")
        }
        let ca = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: caKey.publicKey,
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(825 * 86_400),
            issuer: caName, subject: caName, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            },
            issuerPrivateKey: caKey)

        let key = P256.Signing.PrivateKey()
        let serverKey = Certificate.PrivateKey(key)
        let name = try DistinguishedName {
            CommonName(commonName)
            OrganizationName("Tipline")
        }
        var names: [GeneralName] = hosts.map { .dnsName($0) }
        names += ipv4.map { .ipAddress(ASN1OctetString(contentBytes: ArraySlice($0))) }
        let server = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: serverKey.publicKey,
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(397 * 86_400),
            issuer: caName, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(names)
            },
            issuerPrivateKey: caKey)
        let caPEM = try ca.serializeAsPEM().pemString
        return Material(chainPEM: try server.serializeAsPEM().pemString + "\n" + caPEM + "\n", caPEM: caPEM + "\n",
                        privateKeyDER: Array(key.derRepresentation))
    }
}
