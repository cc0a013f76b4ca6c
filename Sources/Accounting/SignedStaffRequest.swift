public import Foundation
import LedgerModel
public import TiplineCore

/// A signed staff request as the ledger keeps it: who acted (key id), in which role, and the exact
/// request bytes with their signature (formerly `StaffAction`, which named an action, not an actor).
///
/// `request` and `signature` are stored exactly as given; `Ledger.verify(signers:)` checks the
/// signature over `request` with the caller's map of staff public keys. The ledger never
/// interprets the request bytes.
public struct SignedStaffRequest: Sendable, Equatable, Hashable {
    /// The staff member's Ed25519 key id (hex, as `Ed25519PublicKey.keyID`).
    public var keyID: String
    /// The role they act in.
    public var role: StaffRole
    /// The signed request, opaque to the ledger.
    public var request: Data
    /// The Ed25519 signature over `request`.
    public var signature: Data

    /// An action by `keyID` in `role`, carrying the request and its signature.
    public init(keyID: String, role: StaffRole, request: Data, signature: Data) {
        self.keyID = keyID
        self.role = role
        self.request = request
        self.signature = signature
    }

    func validate() throws(LedgerError) {
        guard (8...64).contains(keyID.utf8.count),
              keyID.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
            throw .invalidArgument("a staff key id is 8 to 64 lowercase hex characters")
        }
        guard !request.isEmpty, request.count <= 65_536 else {
            throw .invalidArgument("the signed request must be 1 to 65536 bytes")
        }
        guard !signature.isEmpty, signature.count <= 1_024 else {
            throw .invalidArgument("the request signature must be 1 to 1024 bytes")
        }
    }
}
