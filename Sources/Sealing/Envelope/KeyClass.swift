/// The two classes of data key in a record: tip content, and the reporter's identity.
///
/// They are wrapped for different recipient keys, and deleting every `identity` wrap
/// crypto-shreds the identity while the content stays readable.
public enum KeyClass: String, Sendable, Codable, CaseIterable {
    /// The key for the tip's content fields.
    case content
    /// The key for the reporter's identity fields.
    case identity
}
