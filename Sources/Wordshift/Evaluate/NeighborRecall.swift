/// How well a store's nearest-neighbour answers match exact search over another store of the
/// same words (typically a quantized copy against its float32 original): recall@k on a sample
/// of words, and the time per query on each side (`wordshift evaluate recall`).
public struct NeighborRecall: Codable, Sendable, Equatable {
    /// Query words (each one's own row is left out of its answers, as in `nearest`).
    public var queries: Int
    /// Neighbours per query.
    public var k: Int
    /// Threads each query runs on (queries one after another).
    public var threads: Int
    /// Mean share of the reference's exact top k found by the evaluated store's top k.
    public var recall: Double
    /// Mean seconds per query on the evaluated store (its usual single-query path: asymmetric
    /// distance for a product-quantized store).
    public var secondsPerQuery: Double
    /// Mean seconds per exact query on the reference.
    public var referenceSecondsPerQuery: Double
    /// Mean cosine between each sampled word's vector in the two stores (1 for identical
    /// vectors; the round-trip fidelity of a quantized copy).
    public var meanCosine: Double
    /// Whether the evaluated store is product-quantized.
    public var productQuantized: Bool

    /// Runs the reference rows `rows` (by word) through `index` and exactly through `reference`.
    /// Each query on `index` uses that store's own vector of the word. Throws when a sampled word
    /// is missing from `index`, or for k outside 1..<rows.
    public static func run(index: EmbeddingIndex, reference: EmbeddingIndex, rows: [Int], k: Int = 10,
                           threads: Int = 1) throws -> NeighborRecall {
        guard !rows.isEmpty else { throw WordshiftError.invalidArgument("the evaluation needs at least one query word") }
        guard k >= 1, k < reference.count, k < index.count else {
            throw WordshiftError.invalidArgument("k (\(k)) must be in 1..<\(min(reference.count, index.count)): each query's own word is left out")
        }
        guard index.dimension == reference.dimension else {
            throw WordshiftError.invalidArgument("the stores have dimensions \(index.dimension) and \(reference.dimension)")
        }
        let own: [Int] = try rows.map { r in
            guard (0..<reference.count).contains(r) else { throw WordshiftError.invalidArgument("query row \(r) is outside the reference") }
            guard let i = index.id(of: reference.words[r]) else { throw WordshiftError.unknownWord(reference.words[r]) }
            return i
        }
        let t = Parallel.clampThreads(threads)
        var started = System.now()
        let truth = rows.map { reference.nearest(to: reference.unitVector($0), k: k, excluding: [$0], threads: t) }
        let referenceSeconds = System.now() - started
        started = System.now()
        let found = own.map { index.nearest(to: index.unitVector($0), k: k, excluding: [$0], threads: t) }
        let seconds = System.now() - started
        var cosines = 0.0
        for (r, i) in zip(rows, own) { cosines += Double(VectorMath.dot(reference.unitVector(r), index.unitVector(i))) }
        return NeighborRecall(queries: rows.count, k: k, threads: t, recall: IndexCheck.recall(found: found, truth: truth),
                              secondsPerQuery: seconds / Double(rows.count), referenceSecondsPerQuery: referenceSeconds / Double(rows.count),
                              meanCosine: cosines / Double(rows.count),
                              productQuantized: index.isProductQuantized)
    }
}
