/// The product-quantization codes of an index loaded from a `pq` store, searched by asymmetric
/// distance: the query stays float32, one lookup table per query holds its dot product with
/// every centroid, and a row's score is the sum of its `subquantizers` table entries divided by
/// the length of its reconstruction, i.e. the cosine with the decoded row. The ranking is the
/// one of an exact search over the decoded rows (up to float rounding); against the original
/// float32 vectors it is approximate.
final class ProductCodes: @unchecked Sendable {
    let quantizer: ProductQuantizer
    let count: Int
    /// `count × subquantizers` code bytes, row-major (written only while loading).
    private let codes: UnsafeMutableBufferPointer<UInt8>
    /// 1 / length of each row's reconstruction (0 for a zero reconstruction).
    private let inverseNorms: UnsafeMutableBufferPointer<Float>

    init(quantizer: ProductQuantizer, count: Int) {
        self.quantizer = quantizer
        self.count = count
        codes = .allocate(capacity: max(1, count * quantizer.subquantizers))
        codes.initialize(repeating: 0)
        inverseNorms = .allocate(capacity: max(1, count))
        inverseNorms.initialize(repeating: 0)
    }

    deinit {
        codes.deallocate()
        inverseNorms.deallocate()
    }

    /// Stores row `row`'s codes; false when the blob is not one code (`subquantizers` bytes).
    func set(row: Int, _ blob: UnsafeRawBufferPointer) -> Bool {
        let m = quantizer.subquantizers
        guard row < count, blob.count == m, let src = blob.baseAddress, let dst = codes.baseAddress else { return false }
        let row0 = dst + row * m
        UnsafeMutableRawPointer(row0).copyMemory(from: src, byteCount: m)
        let n = quantizer.reconstructedNorm(row0)
        inverseNorms[row] = n > 0 && n.isFinite ? 1 / n : 0
        return true
    }

    /// Writes every row's decoded unit vector to `out` (`count × dimension` values).
    func decodeAll(into out: UnsafeMutablePointer<Float>, threads: Int) {
        guard let base = codes.baseAddress else { return }
        quantizer.decodeAll(codes: base, count: count, into: out, threads: threads)
    }

    /// The best `want` of rows 0..<limit for a unit query, split across threads over row ranges.
    func nearest(unitQuery: [Float], want: Int, limit: Int, threads: Int) -> TopK {
        let m = quantizer.subquantizers, k = ProductQuantizer.centroids
        var table = [Float](repeating: 0, count: m * k)
        unitQuery.withUnsafeBufferPointer { q in
            table.withUnsafeMutableBufferPointer { t in
                guard let qBase = q.baseAddress, let tBase = t.baseAddress else { return }
                quantizer.lookupTable(for: qBase, into: tBase)
            }
        }
        guard let codeBase = codes.baseAddress, let normBase = inverseNorms.baseAddress else { return TopK(k: want) }
        return table.withUnsafeBufferPointer { tb in
            guard let tBase = tb.baseAddress else { return TopK(k: want) }
            let score = CodeScore(codes: SharedPointer(codeBase), inverseNorms: SharedPointer(normBase),
                                  table: SharedPointer(UnsafeMutablePointer(mutating: tBase)), subquantizers: m)
            return TopK.best(ofRows: limit, want: want, threads: threads, score: score)
        }
    }

    /// A row's asymmetric-distance score: the sum of its code's lookup-table entries over the
    /// length of its reconstruction.
    struct CodeScore: RowScore {
        let codes: SharedPointer<UInt8>, inverseNorms: SharedPointer<Float>, table: SharedPointer<Float>, subquantizers: Int
        @inline(__always) func callAsFunction(_ row: Int) -> Float {
            let m = subquantizers, k = ProductQuantizer.centroids
            let c = codes.base + row * m, table = table.base
            // Four independent sums: the additions overlap instead of waiting on each other.
            var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
            var j = 0
            while j + 4 <= m {
                s0 += table[j &* k &+ Int(c[j])]
                s1 += table[(j &+ 1) &* k &+ Int(c[j &+ 1])]
                s2 += table[(j &+ 2) &* k &+ Int(c[j &+ 2])]
                s3 += table[(j &+ 3) &* k &+ Int(c[j &+ 3])]
                j &+= 4
            }
            while j < m { s0 += table[j &* k &+ Int(c[j])]; j &+= 1 }
            return ((s0 + s1) + (s2 + s3)) * inverseNorms.base[row]
        }
    }
}
