import Crypto
import Foundation
import SwiftASN1
import X509

/// Makes the self-signed TLS certificate of a new deployment (P-256, so every browser accepts it).
enum TLSCertificateFactory {
    struct Material {
        let certificatePEM: String
        /// PKCS#8 DER of the private key (encrypted before it is written).
        let privateKeyDER: [UInt8]
    }

    static func make(commonName: String, hosts: [String] = ["localhost"], ipv4: [[UInt8]] = [[127, 0, 0, 1]]) throws -> Material {
        let key = P256.Signing.PrivateKey()
        let certificateKey = Certificate.PrivateKey(key)
        let name = try DistinguishedName {
            CommonName(commonName)
            OrganizationName("Tipline")
        }
        let now = Date()
        var names: [GeneralName] = hosts.map { .dnsName($0) }
        names += ipv4.map { .ipAddress(ASN1OctetString(contentBytes: ArraySlice($0))) }
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            Critical(KeyUsage(digitalSignature: true))
            try ExtendedKeyUsage([.serverAuth])
            SubjectAlternativeNames(names)
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: certificateKey.publicKey,
            notValidBefore: now.addingTimeInterval(-3600),
            notValidAfter: now.addingTimeInterval(397 * 86_400),
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions,
            issuerPrivateKey: certificateKey)
        return Material(certificatePEM: try certificate.serializeAsPEM().pemString,
                        privateKeyDER: Array(key.derRepresentation))
    }
}
