import CKernels

/// Exact top-k of several queries in one pass over the int8 rows.
///
/// A single query over a large matrix is bound by memory bandwidth: reading the int8 copy
/// costs about as much as the arithmetic. With several queries waiting (a server under load),
/// each block of rows is read once and scored against every query (`ckernels_dot_i8_batch`), so
/// the extra queries cost arithmetic only. Each query keeps its own lower-bound top-k and its own
/// candidates, exactly as `nearest` does, and the candidates are rescored in float32 with the
/// same dot product — so every answer equals the single-query answer bit for bit.
extension QuantizedRows {
    /// Rows scored per kernel call: the block's int32 scores for 64 queries stay in L2.
    static let batchBlockRows = 512

    /// The exact top-`wants[i]` of each unit query over rows 0..<limit.
    func nearestBatch(index: EmbeddingIndex, unitQueries: [[Float]], wants: [Int], limit: Int, threads: Int) -> [TopK] {
        let m = unitQueries.count
        guard m > 0 else { return [] }
        let prepared = unitQueries.map { QuantizedQuery($0, stride: stride) }
        let packed = prepared.flatMap(\.codes)
        let constants = prepared.map(\.boundConstant), inverseScales = prepared.map(\.inverseScale)
        let parts = max(1, min(threads, limit / Self.batchBlockRows + 1))
        let results = Locked(BatchWorkerResults(parts: parts, wants: wants))
        let st = stride
        packed.withUnsafeBufferPointer { qb in
            guard let qp = qb.baseAddress, let codeBase = codes.baseAddress,
                  let invBase = self.inverseScales.baseAddress, let halfBase = halfAbsSums.baseAddress else { return }
            let queries = SharedPointer(UnsafeMutablePointer(mutating: qp))
            let rows = SharedPointer(codeBase), inv = SharedPointer(invBase), half = SharedPointer(halfBase)
            Parallel.run(threads: parts) { w in
                let lo = limit * w / parts, hi = limit * (w + 1) / parts
                guard lo < hi else { return }
                var tops = wants.map { TopK(k: $0) }
                var kept = [[(row: Int32, upper: Float)]](repeating: [], count: m)
                var dots = [Int32](repeating: 0, count: Self.batchBlockRows * m)
                var start = lo
                while start < hi {
                    let n = min(Self.batchBlockRows, hi - start)
                    dots.withUnsafeMutableBufferPointer { db in
                        guard let out = db.baseAddress else { return }
                        ckernels_dot_i8_batch(rows.base + start * st, n, st, queries.base, m, out)
                        for q in 0..<m {
                            Self.collect(dots: out + q * n, rows: start..<(start + n), inverseScales: inv.base,
                                         halfAbsSums: half.base, query: (inverseScales[q], constants[q]),
                                         top: &tops[q], kept: &kept[q])
                        }
                    }
                    start += n
                }
                results.withLock { $0.tops[w] = tops; $0.candidates[w] = kept }
            }
        }
        let (workerTops, workerCandidates) = results.withLock { ($0.tops, $0.candidates) }
        return (0..<m).map { q in
            Self.rescore(index: index, unitQuery: unitQueries[q], want: wants[q],
                         lowerTops: workerTops.map { $0[q] }, candidates: workerCandidates.map { $0[q] })
        }
    }
}

extension QuantizedRows {
    /// One query's share of a block: with s = 1/(s_r·t), the score lies in dot·s ± (½Σ|q_r| + c)·s.
    /// Rows whose upper bound reaches the running k-th lower bound are kept for rescoring; rows
    /// whose lower bound beats it enter the lower-bound top-k (as in `nearest`).
    @inline(__always)
    static func collect(dots: UnsafeMutablePointer<Int32>, rows: Range<Int>, inverseScales: UnsafeMutablePointer<Float>,
                        halfAbsSums: UnsafeMutablePointer<Float>, query: (inverseScale: Float, constant: Float),
                        top: inout TopK, kept: inout [(row: Int32, upper: Float)]) {
        var threshold = top.ids.count < top.k ? -Float.infinity : top.threshold
        var keepFrom = threshold - 1e-5
        for (i, r) in rows.enumerated() {
            let s = inverseScales[r] * query.inverseScale
            let a = Float(dots[i]) * s
            let b = (halfAbsSums[r] + query.constant) * s
            guard a + b >= keepFrom else { continue }
            kept.append((Int32(r), a + b))
            if a - b > threshold {
                top.offer(Int32(r), a - b)
                threshold = top.ids.count < top.k ? -Float.infinity : top.threshold
                keepFrom = threshold - 1e-5
            }
        }
    }
}

/// What each worker of `QuantizedRows.nearestBatch` hands back: per query, its lower-bound top-k
/// and its candidate rows.
private struct BatchWorkerResults {
    var tops: [[TopK]]
    var candidates: [[[(row: Int32, upper: Float)]]]
    init(parts: Int, wants: [Int]) {
        tops = Array(repeating: wants.map { TopK(k: $0) }, count: parts)
        candidates = Array(repeating: Array(repeating: [], count: wants.count), count: parts)
    }
}
