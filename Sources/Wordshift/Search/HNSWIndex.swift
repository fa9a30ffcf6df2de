/// An approximate nearest-neighbour index (HNSW) over the rows of an ``EmbeddingIndex``.
///
/// The graph holds only links; the vectors stay in the ``EmbeddingIndex`` it was built over,
/// and every score it returns is the same float32 cosine exact search computes. Build one with
/// ``build(over:parameters:threads:progress:)``, keep it in the store with
/// ``HNSWStore/save(_:to:buildSeconds:threads:)``, and read it back with ``HNSWStore/load(from:over:)``.
///
/// Searches may run from any number of threads at once: the graph is never changed after
/// construction, and each search borrows its own working memory from a pool.
public final class HNSWIndex: Sendable {
    /// The vectors the graph links.
    public let vectors: EmbeddingIndex
    /// The settings it was built with.
    public let parameters: HNSWParameters
    /// ``EmbeddingIndex/fingerprint(threads:)`` of the vectors it was built from.
    public let fingerprint: String
    /// Search effort used when a query does not give one: candidates kept on layer 0.
    public static let defaultEf = 64
    package let graph: HNSWGraph
    private let pool = Locked<[HNSWScratch]>([])

    package init(vectors: EmbeddingIndex, parameters: HNSWParameters, fingerprint: String, graph: HNSWGraph) {
        self.vectors = vectors
        self.parameters = parameters
        self.fingerprint = fingerprint
        self.graph = graph
    }

    /// Builds the graph over every row of `vectors` on `threads` threads. One thread gives the
    /// same graph every time; more threads insert rows concurrently (a graph of the same
    /// quality, not bit for bit the same). Reports an "index" stage counted in rows.
    public static func build(over vectors: EmbeddingIndex, parameters: HNSWParameters = HNSWParameters(),
                             threads: Int = Parallel.defaultThreads, progress: ProgressHandler? = nil) throws -> HNSWIndex {
        try parameters.validate()
        guard vectors.count > 0 else { throw WordshiftError.invalidArgument("cannot build an index over an empty store (0 rows)") }
        guard vectors.count < Int(Int32.max) else {
            throw WordshiftError.invalidArgument("an index holds at most \(Int32.max - 1) rows (the store has \(vectors.count))")
        }
        let fingerprint = vectors.fingerprint(threads: threads)
        guard let base = vectors.units.baseAddress else { throw WordshiftError.invalidArgument("the store has no vectors") }
        let graph = HNSWBuilder.build(units: UnsafePointer(base), count: vectors.count, dimension: vectors.dimension,
                                      m: parameters.m, efConstruction: parameters.efConstruction, seed: parameters.seed,
                                      threads: Parallel.clampThreads(threads), progress: ProgressReporter(progress))
        return HNSWIndex(vectors: vectors, parameters: parameters, fingerprint: fingerprint, graph: graph)
    }

    /// Number of rows.
    public var count: Int { graph.count }

    /// Bytes of the graph's links (what the store keeps for it).
    public var byteCount: Int { graph.byteCount }

    /// The rows nearest (cosine) to `query`, best first, skipping `excluding`, with the same
    /// scores exact search gives. `ef` (default ``defaultEf``; at least `k` plus the excluded
    /// rows) is the search effort: higher finds more of the true nearest rows, slower.
    public func nearest(to query: [Float], k: Int, ef: Int? = nil, excluding: Set<Int> = []) -> [Neighbor] {
        precondition(query.count == vectors.dimension, "query length must equal the dimension")
        let want = EmbeddingIndex.wanted(k, excluding: excluding.count, limit: count)
        guard want > 0 else { return [] }
        let effort = max(want, min(ef ?? Self.defaultEf, 100_000))
        let unitQuery = VectorMath.normalized(query)
        let scratch = borrow(ef: effort)
        defer { giveBack(scratch) }
        var top = TopK(k: want)
        unitQuery.withUnsafeBufferPointer { qb in
            guard let q = qb.baseAddress, let units = vectors.units.baseAddress else { return }
            graph.search(query: q, units: units, dimension: vectors.dimension, ef: effort, scratch: scratch)
            var results = scratch.results
            // The results heap pops the worst first; the best `want` are rescored with the
            // exact search's dot product, so both report identical scores.
            while results.count > want { results.pop() }
            while !results.isEmpty {
                let e = results.pop()
                top.offer(e.id, VectorMath.dot(q, units + Int(e.id) * vectors.dimension, vectors.dimension))
            }
        }
        var out: [Neighbor] = []
        for (id, score) in top.sorted() where !excluding.contains(id) {
            out.append(Neighbor(word: vectors.words[id], score: score))
            if out.count == k { break }
        }
        return out
    }

    /// ``nearest(to:k:ef:excluding:)`` for each query (skipping `excluding[i]` for query `i`),
    /// spread over `threads` threads.
    public func nearest(queries: [[Float]], k: Int, ef: Int? = nil, excluding: [Set<Int>] = [],
                        threads: Int = Parallel.defaultThreads) -> [[Neighbor]] {
        var out = [[Neighbor]](repeating: [], count: queries.count)
        out.withUnsafeMutableBufferPointer { ob in
            guard let base = ob.baseAddress else { return }
            let results = SharedPointer(base)
            // Taken 4 at a time by whichever thread is free: some queries cost far more than others.
            Parallel.forEachChunk(count: queries.count, threads: queries.count >= 8 ? max(1, threads) : 1, chunk: 4) { range in
                for i in range {
                    results[i] = nearest(to: queries[i], k: k, ef: ef, excluding: excluding.indices.contains(i) ? excluding[i] : [])
                }
            }
        }
        return out
    }

    private func borrow(ef: Int) -> HNSWScratch {
        if let s = pool.withLock({ $0.popLast() }) { return s }
        return HNSWScratch(count: count, ef: ef, maxDegree: graph.m0)
    }

    private func giveBack(_ scratch: HNSWScratch) {
        pool.withLock { $0.append(scratch) }
    }
}
