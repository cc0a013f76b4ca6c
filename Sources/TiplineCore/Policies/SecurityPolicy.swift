public import Sealing

/// Security parameters of the intake host (`security.yaml`): receipt KDF, gates, input bounds.
public struct SecurityPolicy: Sendable, Equatable {
    /// Bounds on every input (rule 5).
    public struct Limits: Sendable, Equatable {
        /// Largest JSON request body, in bytes (`max_json_body_bytes`).
        public var maxJSONBodyBytes: Int
        /// Largest request body of any kind, such as a multipart form with evidence, in bytes.
        public var maxBodyBytes: Int
        /// Most evidence files per tip.
        public var maxEvidenceFiles: Int
        /// Largest evidence file, in bytes.
        public var maxEvidenceBytes: Int
        /// Most characters in a tip's description.
        public var maxDescriptionChars: Int
        /// Most characters in a tip's location.
        public var maxLocationChars: Int
        /// Most characters in one identity field.
        public var maxIdentityFieldChars: Int
        /// Most characters in one message.
        public var maxMessageChars: Int
        /// Most messages in one tip's thread.
        public var maxMessagesPerTip: Int

        /// The bounds of the shipped `security.yaml`.
        public static let standard = Limits(
            maxJSONBodyBytes: 262_144, maxBodyBytes: 57_671_680, maxEvidenceFiles: 5,
            maxEvidenceBytes: 10_485_760, maxDescriptionChars: 20_000, maxLocationChars: 500,
            maxIdentityFieldChars: 200, maxMessageChars: 5_000, maxMessagesPerTip: 200)
    }

    /// The gate in front of the slow KDF.
    public struct KDFGate: Sendable, Equatable {
        /// Derivations at once; 0 means one per core.
        public var concurrency: Int
        /// Derivations that may wait for a slot; beyond it the server answers 503.
        public var queue: Int
        /// The `Retry-After` seconds of a 503 from a full gate.
        public var retryAfterSeconds: Int
        /// Follow-ups' own share: at most this many follow-up derivations at once (0 = half of
        /// `concurrency`, at least one), so a follow-up flood cannot take every slot from submissions.
        public var followupConcurrency: Int = 0
        /// At most this many follow-ups wait (their own queue, apart from submissions').
        public var followupQueue: Int = 32
    }

    /// Per-client rate limits; clients are keyed by an HMAC of their address, never the address.
    public struct RateLimit: Sendable, Equatable {
        /// Accepted submissions per client per hour.
        public var submissionsPerHour: Int
        /// Follow-ups per client per minute.
        public var followupsPerMinute: Int
        /// Clients tracked at once; when full, the least recently seen is forgotten (never refused).
        public var maxClients: Int = 100_000
    }

    /// Where clients come from: which peers may speak for them (`X-Forwarded-For`, PROXY protocol)
    /// and how addresses are grouped into rate-limit buckets.
    public struct Network: Sendable, Equatable {
        /// Peers whose `X-Forwarded-For` names the client; from anyone else the header is ignored.
        public var trustedProxies: [IPRange] = []
        /// Peers that may start a connection with a PROXY protocol (v1 or v2) header.
        public var proxyProtocolPeers: [IPRange] = []
        /// Every connection to the public listener must start with a PROXY header (a listener
        /// that only a local proxy or Tor can reach).
        public var proxyProtocolRequired: Bool = false
        /// The largest PROXY header accepted (v2: 16 bytes + addresses + TLVs).
        public var proxyHeaderMaxBytes: Int = 536
        /// IPv6 clients are grouped by this prefix (a household or phone usually gets a /64).
        public var ipv6PrefixLength: Int = 64

        /// The defaults: no trusted proxies, PROXY protocol off, IPv6 grouped by /64.
        public init() {}
    }

    /// Connection and memory bounds of each listener (rule 5).
    public struct Connections: Sendable, Equatable {
        /// Open connections per listener; beyond it new ones wait in the backlog.
        public var maxConnections: Int = 1_024
        /// A connection that sends nothing for this long (idle, or in the middle of a request) is closed.
        public var idleTimeoutSeconds: Int = 30
        /// A whole request body must arrive within this time (408 otherwise).
        public var readTimeoutSeconds: Int = 600
        /// Request-body bytes held in memory at once, all requests together (503 beyond).
        public var bodyBudgetBytes: Int = 268_435_456
        /// The part of the budget only small bodies (up to `max_json_body_bytes`) may use.
        public var smallBodyReserveBytes: Int = 16_777_216

        /// The defaults of every bound.
        public init() {}
    }

    /// The least scrypt `n` the loader accepts for new receipts (2^14 = 16 MiB at r = 8): below it a
    /// stolen database's receipts fall to guessing too cheaply. Tips keep the parameters they were
    /// made with, so raising `n` later never breaks an old receipt.
    public static let receiptKDFMinimumN = 1 << 14
    /// The most scrypt `n` the loader (and follow-up, for stored parameters) accepts.
    public static let receiptKDFMaximumN: UInt64 = 1 << 22

    /// The scrypt parameters for new receipts.
    public var receiptKDF: Scrypt.Parameters
    /// The gate in front of the slow KDF.
    public var kdfGate: KDFGate
    /// Bounds on every input.
    public var limits: Limits
    /// Per-client rate limits.
    public var rateLimit: RateLimit
    /// How often the server signs an audit checkpoint, in seconds.
    public var checkpointIntervalSeconds: Int
    /// Which peers may speak for clients, and how clients are grouped.
    public var network: Network
    /// Connection and memory bounds of each listener.
    public var connections: Connections = Connections()

    /// A policy; `connections` starts at its defaults.
    public init(receiptKDF: Scrypt.Parameters, kdfGate: KDFGate, limits: Limits, rateLimit: RateLimit,
                checkpointIntervalSeconds: Int, network: Network = Network()) {
        self.receiptKDF = receiptKDF
        self.kdfGate = kdfGate
        self.limits = limits
        self.rateLimit = rateLimit
        self.checkpointIntervalSeconds = checkpointIntervalSeconds
        self.network = network
    }

    static func parse(file: String, text: String) throws(PolicyError) -> SecurityPolicy {
        let doc = try PolicyNode.document(file: file, text: text)
        try doc.onlyKeys(["version", "receipt_kdf", "kdf_gate", "limits", "rate_limit", "checkpoint", "network", "connections"])

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
        try gate.onlyKeys(["concurrency", "queue", "retry_after_seconds", "followup_concurrency", "followup_queue"])
        var kdfGate = KDFGate(
            concurrency: try gate.int("concurrency", in: 0...256),
            queue: try gate.int("queue", in: 0...10_000),
            retryAfterSeconds: try gate.int("retry_after_seconds", in: 1...3600))
        kdfGate.followupConcurrency = try gate.optionalInt("followup_concurrency", in: 0...256) ?? kdfGate.followupConcurrency
        kdfGate.followupQueue = try gate.optionalInt("followup_queue", in: 0...10_000) ?? kdfGate.followupQueue
        if kdfGate.concurrency > 0, kdfGate.followupConcurrency > kdfGate.concurrency {
            throw gate.child("followup_concurrency").error("must not exceed concurrency")
        }

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
        try rate.onlyKeys(["submissions_per_hour", "followups_per_minute", "max_clients"])
        var rateLimit = RateLimit(
            submissionsPerHour: try rate.int("submissions_per_hour", in: 1...1_000_000),
            followupsPerMinute: try rate.int("followups_per_minute", in: 1...1_000_000))
        rateLimit.maxClients = try rate.optionalInt("max_clients", in: 1...10_000_000) ?? rateLimit.maxClients

        let checkpoint = try doc.mapping("checkpoint")
        try checkpoint.onlyKeys(["interval_seconds"])
        var policy = SecurityPolicy(
            receiptKDF: receiptKDF, kdfGate: kdfGate, limits: limits, rateLimit: rateLimit,
            checkpointIntervalSeconds: try checkpoint.int("interval_seconds", in: 1...86_400),
            network: try parseNetwork(doc))
        policy.connections = try parseConnections(doc, limits: limits)
        return policy
    }

    /// The optional `connections` section; every key has a default.
    private static func parseConnections(_ doc: PolicyNode, limits: Limits) throws(PolicyError) -> Connections {
        var c = Connections()
        guard doc.has("connections") else {
            if c.bodyBudgetBytes - c.smallBodyReserveBytes < limits.maxBodyBytes {
                throw doc.child("limits").child("max_body_bytes").error("larger than the default body budget; add a connections section")
            }
            return c
        }
        let n = try doc.mapping("connections")
        try n.onlyKeys(["max_connections", "idle_timeout_seconds", "read_timeout_seconds", "body_budget_bytes",
                        "small_body_reserve_bytes"])
        c.maxConnections = try n.optionalInt("max_connections", in: 1...1_000_000) ?? c.maxConnections
        c.idleTimeoutSeconds = try n.optionalInt("idle_timeout_seconds", in: 1...3_600) ?? c.idleTimeoutSeconds
        c.readTimeoutSeconds = try n.optionalInt("read_timeout_seconds", in: 1...86_400) ?? c.readTimeoutSeconds
        c.bodyBudgetBytes = try n.optionalInt("body_budget_bytes", in: 65_536...(1 << 40)) ?? c.bodyBudgetBytes
        c.smallBodyReserveBytes = try n.optionalInt("small_body_reserve_bytes", in: 0...(1 << 40)) ?? c.smallBodyReserveBytes
        if c.smallBodyReserveBytes < limits.maxJSONBodyBytes {
            throw n.child("small_body_reserve_bytes").error("must be at least limits.max_json_body_bytes")
        }
        if c.bodyBudgetBytes - c.smallBodyReserveBytes < limits.maxBodyBytes {
            throw n.child("body_budget_bytes").error("must be at least limits.max_body_bytes + small_body_reserve_bytes")
        }
        return c
    }

    /// The optional `network` section; every key has a default.
    private static func parseNetwork(_ doc: PolicyNode) throws(PolicyError) -> Network {
        var network = Network()
        guard doc.has("network") else { return network }
        let n = try doc.mapping("network")
        try n.onlyKeys(["trusted_proxies", "proxy_protocol_peers", "proxy_protocol_required", "proxy_header_max_bytes",
                        "ipv6_prefix_length"])
        if n.has("trusted_proxies") { network.trustedProxies = try ranges(n.array("trusted_proxies")) }
        if n.has("proxy_protocol_peers") { network.proxyProtocolPeers = try ranges(n.array("proxy_protocol_peers")) }
        if n.has("proxy_protocol_required") { network.proxyProtocolRequired = try n.bool("proxy_protocol_required") }
        // 16 bytes of v2 preamble + 216 of UNIX addresses is the least that holds every valid header.
        network.proxyHeaderMaxBytes = try n.optionalInt("proxy_header_max_bytes", in: 232...65_551) ?? network.proxyHeaderMaxBytes
        network.ipv6PrefixLength = try n.optionalInt("ipv6_prefix_length", in: 32...128) ?? network.ipv6PrefixLength
        return network
    }

    private static func ranges(_ nodes: [PolicyNode]) throws(PolicyError) -> [IPRange] {
        guard nodes.count <= 256 else { throw nodes[256].error("at most 256 entries") }
        var result: [IPRange] = []
        for node in nodes {
            guard let range = IPRange(try node.asString()) else {
                throw node.error("expected an IP address or CIDR block such as 127.0.0.1/32 or fd00::/8")
            }
            result.append(range)
        }
        return result
    }
}

extension PolicyNode {
    /// An optional whole number within `range`; nil when the key is absent.
    func optionalInt(_ key: String, in range: ClosedRange<Int>) throws(PolicyError) -> Int? {
        has(key) ? try int(key, in: range) : nil
    }
}
