/// Exact cosine top-k over the unit matrix (for an index loaded from a product-quantized store,
/// single queries rank the codes by asymmetric distance instead: `ProductCodes`). One query runs on all threads over row ranges
/// (on large indexes from their second search on, first over an int8 copy with proven error
/// bounds, then exact float32 rescoring of the rows that can still win; the first search scans
/// the float32 rows, so a one-question process never builds the copy); a batch of queries on a
/// large index goes through the int8 copy once for all of them (up to `quantizedBatchLimit`
/// queries, from the second search on), otherwise through matrix-matrix products block by block
/// (`MatrixProduct`: OpenBLAS when present, else the built-in kernel).
extension EmbeddingIndex {
    /// The `k` rows most similar to `query` (any length-`dimension` vector; it is normalised).
    /// Rows in `excluding` are skipped; only the first `restrict` rows are searched.
    public func nearest(to query: [Float], k: Int, excluding: Set<Int> = [], restrict: Int? = nil,
                        threads: Int = Parallel.defaultThreads) -> [Neighbor] {
        precondition(query.count == dimension, "query length must equal the dimension")
        let limit = searchLimit(restrict)
        let want = Self.wanted(k, excluding: excluding.count, limit: limit)
        guard want > 0 else { return [] }
        let unitQuery = VectorMath.normalized(query)
        if let codes = productCodes {
            return finish(codes.nearest(unitQuery: unitQuery, want: want, limit: limit, threads: threads), k: k, excluding: excluding)
        }
        if limit >= Self.quantizedThreshold, let rows = quantizedForRepeatedSearches(threads: threads) {
            let top = rows.nearest(index: self, unitQuery: unitQuery, want: want, limit: limit, threads: threads)
            return finish(top, k: k, excluding: excluding)
        }
        return finish(scan(unitQuery: unitQuery, want: want, limit: limit, threads: threads), k: k, excluding: excluding)
    }

    /// The plain float32 scan over rows 0..<limit, split across threads.
    func scan(unitQuery: [Float], want: Int, limit: Int, threads: Int) -> TopK {
        let dim = dimension
        return unitQuery.withUnsafeBufferPointer { q in
            guard let qBase = q.baseAddress else { return TopK(k: want) }
            let score = DotScore(query: SharedPointer(UnsafeMutablePointer(mutating: qBase)), rows: SharedPointer(unitBase), dimension: dim)
            return TopK.best(ofRows: limit, want: want, threads: threads, score: score)
        }
    }

    /// A row's dot product with the query (both unit vectors: the cosine).
    struct DotScore: RowScore {
        let query: SharedPointer<Float>, rows: SharedPointer<Float>, dimension: Int
        @inline(__always) func callAsFunction(_ row: Int) -> Float {
            VectorMath.dot(query.base, rows.base + row * dimension, dimension)
        }
    }

    /// Nearest neighbours of many queries at once (each row of `queries`, row-major,
    /// `queries.count / dimension` queries). Same results as calling `nearest` per query.
    public func nearestBatch(queries: [Float], k: Int, excluding: [Set<Int>] = [], restrict: Int? = nil) -> [[Neighbor]] {
        let m = queries.count / dimension
        precondition(m * dimension == queries.count, "queries must hold whole vectors")
        if m == 0 { return [] }
        let limit = searchLimit(restrict)
        var unitQueries = [Float](repeating: 0, count: queries.count)
        for i in 0..<m {
            let v = VectorMath.normalized(Array(queries[i * dimension..<(i + 1) * dimension]))
            for j in 0..<dimension { unitQueries[i * dimension + j] = v[j] }
        }
        let wants = (0..<m).map { Self.wanted(k, excluding: excluding.indices.contains($0) ? excluding[$0].count : 0, limit: limit) }
        if limit >= Self.quantizedThreshold && m <= Self.quantizedBatchLimit,
           let rows = quantizedForRepeatedSearches(threads: Parallel.defaultThreads) {
            let queries = (0..<m).map { Array(unitQueries[$0 * dimension..<($0 + 1) * dimension]) }
            let tops = rows
                .nearestBatch(index: self, unitQueries: queries, wants: wants, limit: limit, threads: Parallel.defaultThreads)
            return (0..<m).map { finish(tops[$0], k: k, excluding: excluding.indices.contains($0) ? excluding[$0] : []) }
        }
        // The product sums in another order than `nearest`'s dot product, so scores can differ in
        // the last bit: keep a few spare candidates and rescore them exactly as `nearest` does.
        var heaps = wants.map { TopK(k: $0 == 0 ? 0 : min(limit, $0 + Self.batchSpareCandidates)) }
        let block = 8192
        var scores = [Float](repeating: 0, count: m * block)
        var start = 0
        while start < limit {
            let rows = min(block, limit - start)
            unitQueries.withUnsafeBufferPointer { q in
                scores.withUnsafeMutableBufferPointer { c in
                    // C (m × rows) = Q (m × d) · U[start..<start+rows]ᵀ
                    guard let qBase = q.baseAddress, let cBase = c.baseAddress else { return }
                    MatrixProduct.multiplyTransposed(m: m, n: rows, d: dimension, a: qBase,
                                                     b: unitBase + start * dimension, c: cBase)
                }
            }
            let s0 = start
            heaps.withUnsafeMutableBufferPointer { hp in
                guard let heapsBase = hp.baseAddress else { return }
                let heapsPtr = SharedPointer(heapsBase)
                scores.withUnsafeBufferPointer { c in
                    guard let cBase = c.baseAddress else { return }
                    let cp = SharedPointer(UnsafeMutablePointer(mutating: cBase))
                    Parallel.forEachRange(count: m, threads: Parallel.defaultThreads) { range in
                        for i in range {
                            var top = heapsPtr[i]
                            var threshold = top.threshold
                            let row = cp.base + i * rows
                            for j in 0..<rows where row[j] > threshold || top.ids.count < top.k {
                                top.offer(Int32(s0 + j), row[j])
                                threshold = top.threshold
                            }
                            heapsPtr[i] = top
                        }
                    }
                }
            }
            start += rows
        }
        return (0..<m).map { i in
            var exact = TopK(k: wants[i])
            unitQueries.withUnsafeBufferPointer { q in
                guard let qBase = q.baseAddress, let rowBase = units.baseAddress else { return }
                for id in heaps[i].ids {
                    exact.offer(id, VectorMath.dot(qBase + i * dimension, rowBase + Int(id) * dimension, dimension))
                }
            }
            return finish(exact, k: k, excluding: excluding.indices.contains(i) ? excluding[i] : [])
        }
    }

    /// Batches of at most this many queries over a large index go through the int8 copy
    /// (`QuantizedRows.nearestBatch`, every row read once for all of them); larger ones through
    /// the float32 matrix product.
    package static let quantizedBatchLimit = 64

    /// Candidates kept beyond `k` per batched query before the exact rescoring.
    static let batchSpareCandidates = 8

    /// Rows searched under `restrict` (nil: all rows; never negative).
    func searchLimit(_ restrict: Int?) -> Int { max(0, min(count, restrict ?? count)) }

    /// Heap size for the best `k` rows besides `excluded` ones among `limit` rows: never more
    /// than the rows there are (so a huge `k` costs nothing), 0 for k ≤ 0.
    static func wanted(_ k: Int, excluding excluded: Int, limit: Int) -> Int {
        k <= 0 ? 0 : min(limit, min(k, limit) + excluded)
    }

    private func finish(_ top: TopK, k: Int, excluding: Set<Int>) -> [Neighbor] {
        var out: [Neighbor] = []
        for (id, score) in top.sorted() where !excluding.contains(id) {
            out.append(Neighbor(word: words[id], score: score))
            if out.count == k { break }
        }
        return out
    }
}
