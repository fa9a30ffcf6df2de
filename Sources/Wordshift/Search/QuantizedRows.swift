import CKernels

/// An int8 copy of the unit matrix (per-row scale, rows padded to 32 bytes) for a first,
/// 4×-cheaper pass over memory. Every approximate score comes with a proven error bound, so a
/// search that rescores every row whose bound reaches the k-th best lower bound returns
/// exactly what the float32 search returns.
///
/// With x ≈ q/s (|x − q/s| ≤ 0.5/s per component) and the query y ≈ p/t likewise,
/// |x·y − p·q/(s·t)| ≤ (0.5·Σ|q| + 0.5·Σ|p| + 0.25·d) / (s·t).
final class QuantizedRows: @unchecked Sendable {
    let count: Int
    let dimension: Int
    let stride: Int
    let codes: UnsafeMutableBufferPointer<Int8>
    /// 1/s per row.
    let inverseScales: UnsafeMutableBufferPointer<Float>
    /// 0.5·Σ|q| per row.
    let halfAbsSums: UnsafeMutableBufferPointer<Float>
    /// Starts of the three buffers (each allocated with at least one element).
    private let codeBase: UnsafeMutablePointer<Int8>, inverseScaleBase: UnsafeMutablePointer<Float>,
                halfAbsSumBase: UnsafeMutablePointer<Float>

    init(index: EmbeddingIndex, threads: Int) {
        count = index.count
        dimension = index.dimension
        stride = (dimension + 31) / 32 * 32
        codeBase = .allocate(capacity: max(1, count * stride))
        HugePages.advise(codeBase, count: max(1, count * stride))
        codes = UnsafeMutableBufferPointer(start: codeBase, count: max(1, count * stride))
        codes.initialize(repeating: 0)
        inverseScaleBase = .allocate(capacity: max(1, count))
        inverseScales = UnsafeMutableBufferPointer(start: inverseScaleBase, count: max(1, count))
        halfAbsSumBase = .allocate(capacity: max(1, count))
        halfAbsSums = UnsafeMutableBufferPointer(start: halfAbsSumBase, count: max(1, count))
        let c = SharedPointer(codeBase), inv = SharedPointer(inverseScaleBase)
        let half = SharedPointer(halfAbsSumBase), units = SharedPointer(index.unitBase)
        let d = dimension, st = stride
        Parallel.forEachRange(count: count, threads: threads) { range in
            for r in range {
                let row = units.base + r * d
                var maxAbs: Float = 0
                for j in 0..<d { maxAbs = max(maxAbs, abs(row[j])) }
                let scale: Float = maxAbs > 0 ? 127 / maxAbs : 1
                var sum: Float = 0
                for j in 0..<d {
                    let q = (row[j] * scale).rounded()
                    c[r * st + j] = Int8(max(-127, min(127, q)))
                    sum += abs(q)
                }
                inv[r] = 1 / scale
                half[r] = 0.5 * sum
            }
        }
    }

    deinit {
        codes.deallocate()
        inverseScales.deallocate()
        halfAbsSums.deallocate()
    }

    /// Exact top-k of `unitQuery` over rows 0..<limit: the int8 pass with bounds, then float32
    /// rescoring of every row that could still be in the top k.
    func nearest(index: EmbeddingIndex, unitQuery: [Float], want: Int, limit: Int, threads: Int) -> TopK {
        let quantizedQuery = QuantizedQuery(unitQuery, stride: stride)
        let query = quantizedQuery.codes
        let constant = quantizedQuery.boundConstant, invT = quantizedQuery.inverseScale
        let parts = max(1, threads)
        // Each worker keeps its k best lower bounds and every row whose upper bound reached its
        // running k-th lower bound: a superset of the rows that can reach the global one.
        // Workers hand their results over once, under a lock that owns them (`Locked`).
        let results = Locked(WorkerResults(parts: parts, want: want))
        let codes = SharedPointer(codeBase), inv = SharedPointer(inverseScaleBase)
        let half = SharedPointer(halfAbsSumBase)
        let st = stride
        query.withUnsafeBufferPointer { qb in
            guard let qp = qb.baseAddress else { return }
            Parallel.run(threads: parts) { w in
                let lo = limit * w / parts, hi = limit * (w + 1) / parts
                guard lo < hi else { return }
                var dots = [Int32](repeating: 0, count: 4096)
                var top = TopK(k: want)
                var kept: [(row: Int32, upper: Float)] = []
                kept.reserveCapacity(4096)
                var start = lo
                while start < hi {
                    let n = min(4096, hi - start)
                    dots.withUnsafeMutableBufferPointer { db in
                        guard let out = db.baseAddress else { return }
                        ckernels_dot_i8(codes.base + start * st, n, st, qp, out)
                        Self.collect(dots: out, rows: start..<(start + n), inverseScales: inv.base, halfAbsSums: half.base,
                                     query: (invT, constant), top: &top, kept: &kept)
                    }
                    start += n
                }
                results.withLock { $0.tops[w] = top; $0.candidates[w] = kept }
            }
        }
        let (lowerTops, candidates) = results.withLock { ($0.tops, $0.candidates) }
        return Self.rescore(index: index, unitQuery: unitQuery, want: want, lowerTops: lowerTops, candidates: candidates)
    }

    /// The exact top-`want` from the workers' results: every row whose upper bound reaches the
    /// k-th best of the merged lower bounds (less a margin for the float rounding of the bounds
    /// themselves) may be in the top k, so each such row is rescored with the float32 dot product.
    static func rescore(index: EmbeddingIndex, unitQuery: [Float], want: Int, lowerTops: [TopK],
                        candidates: [[(row: Int32, upper: Float)]]) -> TopK {
        var lower = TopK(k: want)
        for t in lowerTops { lower.merge(t) }
        let tau = lower.ids.count < want ? -Float.infinity : lower.threshold - 1e-5
        var exact = TopK(k: want)
        unitQuery.withUnsafeBufferPointer { qb in
            guard let qBase = qb.baseAddress else { return }
            for list in candidates {
                for c in list where c.upper >= tau {
                    exact.offer(c.row, VectorMath.dot(qBase, index.unit(Int(c.row)), index.dimension))
                }
            }
        }
        return exact
    }
}

/// A query rounded to int8 levels like the rows (scale t = 127 / max|y|, padding zero), with what
/// its error bound needs.
struct QuantizedQuery {
    /// round(y·t) per component, `stride` values.
    let codes: [Int8]
    /// 1/t.
    let inverseScale: Float
    /// 0.5·Σ|p| + 0.25·d: the query's part of the error bound (see `QuantizedRows`).
    let boundConstant: Float

    init(_ unitQuery: [Float], stride: Int) {
        var maxAbs: Float = 0
        for v in unitQuery { maxAbs = max(maxAbs, abs(v)) }
        let t: Float = maxAbs > 0 ? 127 / maxAbs : 1
        var codes = [Int8](repeating: 0, count: stride)
        var sum: Float = 0
        for (j, v) in unitQuery.prefix(stride).enumerated() {
            let q = max(-127, min(127, (v * t).rounded()))
            codes[j] = Int8(q)
            sum += abs(q)
        }
        self.codes = codes
        inverseScale = 1 / t
        boundConstant = 0.5 * sum + 0.25 * Float(unitQuery.count)
    }
}

/// What each worker of `QuantizedRows.nearest` hands back.
private struct WorkerResults {
    var tops: [TopK]
    var candidates: [[(row: Int32, upper: Float)]]
    init(parts: Int, want: Int) {
        tops = Array(repeating: TopK(k: want), count: parts)
        candidates = Array(repeating: [], count: parts)
    }
}
