public import Foundation
public import Sealing
public import TiplineCore

/// What `tipline-admin staff enroll` writes for an administrator to approve: who, which role at
/// which centre, the new public key, and a signature by that key proving its holder made the request.
public struct EnrolmentRequest: Sendable, Codable, Equatable, StrictBody {

    public var name: String
    public var role: StaffRole
    public var centre: String
    /// The network unit (`units.yaml`); nil: the unit that runs `centre` (issue 14). Signed when given.
    public var unit: String?
    /// Raw Ed25519 public key, hex.
    public var publicKey: String
    public var createdAt: Int64
    /// Base64 Ed25519 signature by `publicKey` over `signedBytes`.
    public var proof: String

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case name, role, centre, proof, unit
        case publicKey = "public_key"
        case createdAt = "created_at"
    }

    public var signedBytes: [UInt8] {
        if let unit {
            return Array("tipline-enrolment-v2\n\(name)\n\(role.rawValue)\n\(centre)\n\(unit)\n\(publicKey)\n\(createdAt)".utf8)
        }
        return Array("tipline-enrolment-v1\n\(name)\n\(role.rawValue)\n\(centre)\n\(publicKey)\n\(createdAt)".utf8)
    }

    /// Makes a request signed by `key`.
    public static func make(name: String, role: StaffRole, centre: String, unit: String? = nil, key: Ed25519PrivateKey,
                            at: Int64) throws -> EnrolmentRequest {
        var request = EnrolmentRequest(name: name, role: role, centre: centre, unit: unit, publicKey: Hex.encode(key.publicKey.rawRepresentation),
                                       createdAt: at, proof: "")
        request.proof = Data(try key.signature(for: request.signedBytes)).base64EncodedString()
        return request
    }

    /// The public key, if well formed and the proof verifies.
    public func verifiedKey() -> Ed25519PublicKey? {
        guard let raw = Hex.decode(publicKey), let key = try? Ed25519PublicKey(rawRepresentation: raw),
              let proof = Data(base64Encoded: proof), key.isValidSignature(Array(proof), for: signedBytes) else { return nil }
        return key
    }

    /// SHA-256 (hex) of the signed fields and the proof: the two approvals of a privileged
    /// enrolment must be of this same request.
    public var approvalHash: String {
        Hashing.sha256Hex(signedBytes + [0x0A] + Array(proof.utf8))
    }

    /// Staff names appear in file names and tables: short, plain.
    public static func isValidName(_ name: String) -> Bool {
        name.range(of: "^[a-z0-9][a-z0-9._-]{0,31}$", options: .regularExpression) != nil
    }
}
