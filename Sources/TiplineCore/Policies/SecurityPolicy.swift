public import Sealing

/// Security parameters of the intake host (`security.yaml`): receipt KDF, gates, input bounds.
public struct SecurityPolicy: Sendable, Equatable {
    /// Bounds on every input (rule 5).
    public struct Limits: Sendable, Equatable {
        public var maxJSONBodyBytes: Int
        public var maxBodyBytes: Int
        public var maxEvidenceFiles: Int
        public var maxEvidenceBytes: Int
        public var maxDescriptionChars: Int
        public var maxLocationChars: Int
        public var maxIdentityFieldChars: Int
        public var maxMessageChars: Int
        public var maxMessagesPerTip: Int

        public static let standard = Limits(
            maxJSONBodyBytes: 262_144, maxBodyBytes: 57_671_680, maxEvidenceFiles: 5,
            maxEvidenceBytes: 10_485_760, maxDescriptionChars: 20_000, maxLocationChars: 500,
            maxIdentityFieldChars: 200, maxMessageChars: 5_000, maxMessagesPerTip: 200)
    }

    /// The gate in front of the slow KDF.
    public struct KDFGate: Sendable, Equatable {
        /// Derivations at once; 0 means one per core.
        public var concurrency: Int
        public var queue: Int
        public var retryAfterSeconds: Int
    }

    public struct RateLimit: Sendable, Equatable {
        public var submissionsPerHour: Int
        public var followupsPerMinute: Int
    }

    /// The least scrypt `n` the loader accepts for new receipts (2^14 = 16 MiB at r = 8): below it a
    /// stolen database's receipts fall to guessing too cheaply. Tips keep the parameters they were
    /// made with, so raising `n` later never breaks an old receipt.
    public static let receiptKDFMinimumN = 1 << 14
    /// The most scrypt `n` the loader (and follow-up, for stored parameters) accepts.
    public static let receiptKDFMaximumN: UInt64 = 1 << 22

    public var receiptKDF: Scrypt.Parameters
    public var kdfGate: KDFGate
    public var limits: Limits
    public var rateLimit: RateLimit
    public var checkpointIntervalSeconds: Int

    public init(receiptKDF: Scrypt.Parameters, kdfGate: KDFGate, limits: Limits, rateLimit: RateLimit,
                checkpointIntervalSeconds: Int) {
        self.receiptKDF = receiptKDF
        self.kdfGate = kdfGate
        self.limits = limits
        self.rateLimit = rateLimit
        self.checkpointIntervalSeconds = checkpointIntervalSeconds
    }

    static func parse(file: String, text: String) throws(PolicyError) -> SecurityPolicy {
        let doc = try PolicyNode.document(file: file, text: text)
        try doc.onlyKeys(["version", "receipt_kdf", "kdf_gate", "limits", "rate_limit", "checkpoint"])

        let kdf = try doc.mapping("receipt_kdf")
        try kdf.onlyKeys(["n", "r", "p"])
        let n = try kdf.int("n", in: 2...Int(Self.receiptKDFMaximumN))
        guard n & (n - 1) == 0 else { throw kdf.child("n").error("must be a power of two") }
        guard n >= Self.receiptKDFMinimumN else {
            throw kdf.child("n").error("is below the floor of \(Self.receiptKDFMinimumN) (2^14): receipts would fall to guessing too cheaply")
        }
        let receiptKDF = Scrypt.Parameters(
            n: UInt64(n), r: UInt32(try kdf.int("r", in: 1...32)), p: UInt32(try kdf.int("p", in: 1...16)))

        let gate = try doc.mapping("kdf_gate")
        try gate.onlyKeys(["concurrency", "queue", "retry_after_seconds"])
        let kdfGate = KDFGate(
            concurrency: try gate.int("concurrency", in: 0...256),
            queue: try gate.int("queue", in: 0...10_000),
            retryAfterSeconds: try gate.int("retry_after_seconds", in: 1...3600))

        let l = try doc.mapping("limits")
        try l.onlyKeys(["max_json_body_bytes", "max_body_bytes", "max_evidence_files", "max_evidence_bytes",
                        "max_description_chars", "max_location_chars", "max_identity_field_chars",
                        "max_message_chars", "max_messages_per_tip"])
        let limits = Limits(
            maxJSONBodyBytes: try l.int("max_json_body_bytes", in: 4_096...16_777_216),
            maxBodyBytes: try l.int("max_body_bytes", in: 4_096...1_073_741_824),
            maxEvidenceFiles: try l.int("max_evidence_files", in: 0...50),
            maxEvidenceBytes: try l.int("max_evidence_bytes", in: 1_024...104_857_600),
            maxDescriptionChars: try l.int("max_description_chars", in: 1...1_000_000),
            maxLocationChars: try l.int("max_location_chars", in: 1...10_000),
            maxIdentityFieldChars: try l.int("max_identity_field_chars", in: 1...10_000),
            maxMessageChars: try l.int("max_message_chars", in: 1...100_000),
            maxMessagesPerTip: try l.int("max_messages_per_tip", in: 1...100_000))
        if limits.maxBodyBytes < limits.maxJSONBodyBytes {
            throw l.child("max_body_bytes").error("must be at least max_json_body_bytes")
        }

        let rate = try doc.mapping("rate_limit")
        try rate.onlyKeys(["submissions_per_hour", "followups_per_minute"])
        let rateLimit = RateLimit(
            submissionsPerHour: try rate.int("submissions_per_hour", in: 1...1_000_000),
            followupsPerMinute: try rate.int("followups_per_minute", in: 1...1_000_000))

        let checkpoint = try doc.mapping("checkpoint")
        try checkpoint.onlyKeys(["interval_seconds"])
        return SecurityPolicy(
            receiptKDF: receiptKDF, kdfGate: kdfGate, limits: limits, rateLimit: rateLimit,
            checkpointIntervalSeconds: try checkpoint.int("interval_seconds", in: 1...86_400))
    }
}
