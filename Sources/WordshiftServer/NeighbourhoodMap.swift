/// A 2-D picture of a few vectors: their projection on the first two principal components.
enum NeighbourhoodMap {
    /// Most neighbours drawn on one map.
    static let maxPoints = 200

    /// Rows are projected after centring; `explained` is the share of the total variance on
    /// each axis. Deterministic (power iteration from a fixed start, sign fixed so that the
    /// first row lies on the non-negative side of each axis).
    static func pca(_ rows: [[Float]], iterations: Int = 100) -> (points: [(Float, Float)], explained: [Float]) {
        let n = rows.count
        guard n > 0, let d = rows.first?.count, d > 0 else { return ([], []) }
        var mean = [Double](repeating: 0, count: d)
        for r in rows { for j in 0..<d { mean[j] += Double(r[j]) / Double(n) } }
        var x = rows.map { r in (0..<d).map { Double(r[$0]) - mean[$0] } }
        let total = x.reduce(0.0) { $0 + $1.reduce(0) { $0 + $1 * $1 } }
        var axes: [[Double]] = [], explained: [Float] = []
        for axis in 0..<2 {
            // Power iteration on XᵀX, with earlier axes already removed from X.
            var v = (0..<d).map { Double(($0 * 7 + axis * 3) % 11) + 1 }
            var lambda = 0.0
            for _ in 0..<iterations {
                let xv = x.map { r in zip(r, v).reduce(0) { $0 + $1.0 * $1.1 } }
                var w = [Double](repeating: 0, count: d)
                for (i, r) in x.enumerated() { for j in 0..<d { w[j] += r[j] * xv[i] } }
                let norm = w.reduce(0) { $0 + $1 * $1 }.squareRoot()
                guard norm > 1e-12 else { v = [Double](repeating: 0, count: d); lambda = 0; break }
                lambda = norm
                v = w.map { $0 / norm }
            }
            if let first = x.first, zip(first, v).reduce(0, { $0 + $1.0 * $1.1 }) < 0 { v = v.map { -$0 } }
            axes.append(v)
            explained.append(total > 0 ? Float(lambda / total) : 0)
            // Deflate: remove this axis from every row.
            for i in 0..<n {
                let p = zip(x[i], v).reduce(0) { $0 + $1.0 * $1.1 }
                for j in 0..<d { x[i][j] -= p * v[j] }
            }
        }
        let centred = rows.map { r in (0..<d).map { Double(r[$0]) - mean[$0] } }
        let points = centred.map { r -> (Float, Float) in
            (Float(zip(r, axes[0]).reduce(0) { $0 + $1.0 * $1.1 }), Float(zip(r, axes[1]).reduce(0) { $0 + $1.0 * $1.1 }))
        }
        return (points, explained)
    }
}
