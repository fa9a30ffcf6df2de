/// Construction settings of an ``HNSWIndex``.
public struct HNSWParameters: Codable, Sendable, Equatable {
    /// Links per row on the upper layers (layer 0 keeps up to 2m). More links: better recall
    /// at a given effort, a bigger index and a slower build. hnswlib and faiss default to 16.
    public var m: Int
    /// Candidates kept while linking a new row. Larger: a better graph, a slower build.
    public var efConstruction: Int
    /// Seed of the layer draw (the only random choice of a build).
    public var seed: UInt64

    /// Settings with the usual defaults (m 16, efConstruction 200, seed 1).
    public init(m: Int = 16, efConstruction: Int = 200, seed: UInt64 = 1) {
        self.m = m
        self.efConstruction = efConstruction
        self.seed = seed
    }

    /// Throws ``WordshiftError/invalidArgument(_:)`` for settings outside the supported range
    /// (m 2...128, efConstruction 1...10,000).
    public func validate() throws {
        guard (2...128).contains(m) else { throw WordshiftError.invalidArgument("m must be in 2...128 (got \(m))") }
        guard (1...10_000).contains(efConstruction) else {
            throw WordshiftError.invalidArgument("efConstruction must be in 1...10000 (got \(efConstruction))")
        }
    }
}
