import NIOSSL
import TiplineDeployment

/// TLS for both listeners: TLS 1.2 minimum, ECDHE with AEAD suites only (TLS 1.3 suites are all
/// AEAD), no compression and no renegotiation (BoringSSL servers support neither).
enum TLSSetup {
    static let tls12Suites = [
        "ECDHE-ECDSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-CHACHA20-POLY1305",
        "ECDHE-ECDSA-AES128-GCM-SHA256",
    ].joined(separator: ":")

    static func configuration(_ secrets: ServerSecrets) throws -> TLSConfiguration {
        let certificates = try NIOSSLCertificate.fromPEMBytes(Array(secrets.tlsCertificatePEM.utf8))
        let key = try NIOSSLPrivateKey(bytes: secrets.tlsPrivateKeyDER, format: .der)
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: certificates.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        configuration.cipherSuites = tls12Suites
        configuration.applicationProtocols = ["http/1.1"]
        return configuration
    }
}
