public import Foundation

/// A request body whose JSON object may hold only the keys its type declares.
///
/// Conforming types keep their synthesized `Decodable`; `StrictBody.decode` refuses an object with
/// any other key first, naming it (`UnknownFieldError`), so a typo is an error, not a silent default,
/// and a key given twice anywhere in the body (`DuplicateKeyError`), so no reader can pick another copy.
public protocol StrictBody: Codable {
    /// The body's keys; the JSON keys it may contain are exactly these (`allowedKeys`), so the
    /// list of accepted keys and the decoder can never disagree.
    associatedtype CodingKeys: CodingKey & CaseIterable
}

extension StrictBody {
    /// The JSON keys the body may contain: its `CodingKeys`.
    public static var allowedKeys: Set<String> { Set(CodingKeys.allCases.map(\.stringValue)) }

    /// Decodes `data` after refusing a repeated key anywhere (`DuplicateKeyError`) and checking its
    /// top-level keys.
    public static func decodeStrictly(from data: Data, decoder: JSONDecoder = JSONDecoder()) throws -> Self {
        do {
            try JSONDuplicateKeys.check(data)
        } catch is MalformedJSONError {
            // Not JSON: the decoder below says so in its own terms.
        }
        if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            for key in object.keys.sorted() where !allowedKeys.contains(key) {
                throw UnknownFieldError(field: String(key.prefix(64)))
            }
        }
        return try decoder.decode(Self.self, from: data)
    }
}
