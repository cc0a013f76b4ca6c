/// What `audit scan` found in a deployment's data.
public struct ScanReport: Sendable, Codable, Equatable {
    /// Files scanned.
    public var files: Int
    /// Bytes scanned.
    public var bytes: Int64
    /// Hits in file order (at most `DataScanner.maxHits` are kept).
    public var hits: [ScanHit]
    /// Every hit counted, including those not kept.
    public var hitCount: Int

    enum CodingKeys: String, CodingKey {
        case files, bytes, hits
        case hitCount = "hit_count"
    }

    /// A report with its counts.
    public init(files: Int, bytes: Int64, hits: [ScanHit], hitCount: Int) {
        self.files = files
        self.bytes = bytes
        self.hits = hits
        self.hitCount = hitCount
    }

    /// True when nothing was found.
    public var clean: Bool { hitCount == 0 }
}
