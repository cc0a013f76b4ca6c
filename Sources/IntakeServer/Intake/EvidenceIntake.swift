import TiplineCore

/// Turns uploaded files into metadata-free images, or the documented refusal.
enum EvidenceIntake {
    static let acceptedTypes = "image/jpeg, image/png, image/webp"

    static func sanitize(_ files: [[UInt8]], limits: SecurityPolicy.Limits) throws(IntakeError) -> [SanitizedEvidence] {
        guard files.count <= limits.maxEvidenceFiles else {
            throw .tooLarge("at most \(limits.maxEvidenceFiles) evidence files")
        }
        var result: [SanitizedEvidence] = []
        for (index, file) in files.enumerated() {
            guard file.count <= limits.maxEvidenceBytes else {
                throw .tooLarge("evidence files are at most \(limits.maxEvidenceBytes) bytes each")
            }
            do {
                let stripped = try ImageSanitizer.strip(file)
                result.append(SanitizedEvidence(format: stripped.format, bytes: stripped.bytes))
            } catch .unsupportedType {
                throw .unsupportedMediaType("evidence must be one of: \(acceptedTypes)")
            } catch {
                throw .invalid([FieldError(field: "evidence[\(index)]", code: "invalid", message: "not a readable image")])
            }
        }
        return result
    }
}
