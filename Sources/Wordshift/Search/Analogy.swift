/// How an analogy a : b :: c : ? is scored.
public enum AnalogyMethod: String, Codable, CaseIterable, Sendable {
    /// cos(x, b − a + c) over unit vectors (Mikolov et al. 2013; gensim `most_similar`).
    case add = "3cosadd"
    /// cos(x,b)·cos(x,c) / (cos(x,a) + ε) with cosines shifted to [0, 1] (Levy & Goldberg 2014;
    /// gensim `most_similar_cosmul`).
    case mul = "3cosmul"
}

extension EmbeddingIndex {
    /// Answers a : b :: c : ? with row ids; the three input rows are never returned.
    public func analogy(a: Int, b: Int, c: Int, k: Int = 10, method: AnalogyMethod = .add, restrict: Int? = nil) -> [Neighbor] {
        analogy(a: unitVector(a), b: unitVector(b), c: unitVector(c), excluding: [a, b, c], k: k, method: method, restrict: restrict)
    }

    /// Answers a : b :: c : ? for unit vectors (which may come from subwords), skipping `excluding`.
    public func analogy(a: [Float], b: [Float], c: [Float], excluding: Set<Int>, k: Int = 10,
                        method: AnalogyMethod = .add, restrict: Int? = nil) -> [Neighbor] {
        switch method {
        case .add:
            let query = (0..<dimension).map { b[$0] + c[$0] - a[$0] }
            return nearest(to: query, k: k, excluding: excluding, restrict: restrict)
        case .mul:
            let limit = searchLimit(restrict)
            let want = Self.wanted(k, excluding: excluding.count, limit: limit)
            guard want > 0 else { return [] }
            let ca = cosines(to: a, limit: limit), cb = cosines(to: b, limit: limit), cc = cosines(to: c, limit: limit)
            var top = TopK(k: want)
            for r in 0..<limit {
                let s = ((1 + cb[r]) / 2) * ((1 + cc[r]) / 2) / ((1 + ca[r]) / 2 + 1e-6)
                top.offer(Int32(r), s)
            }
            return top.sorted().lazy.filter { !excluding.contains($0.id) }.prefix(k).map { Neighbor(word: words[$0.id], score: $0.score) }
        }
    }

    /// Cosine similarity of two rows.
    public func similarity(_ i: Int, _ j: Int) -> Float { VectorMath.dot(unit(i), unit(j), dimension) }

    /// The row that fits least with the others: lowest cosine to the mean of their unit vectors.
    public func doesntMatch(_ rows: [Int]) -> Int? {
        guard !rows.isEmpty else { return nil }
        var mean = [Float](repeating: 0, count: dimension)
        for r in rows { let u = unit(r); for j in 0..<dimension { mean[j] += u[j] } }
        let m = VectorMath.normalized(mean)
        return m.withUnsafeBufferPointer { mp in
            guard let mBase = mp.baseAddress else { return nil }
            return rows.min { VectorMath.dot(unit($0), mBase, dimension) < VectorMath.dot(unit($1), mBase, dimension) }
        }
    }

    /// Cosines of the unit vector `q` to rows 0..<limit.
    func cosines(to q: [Float], limit: Int) -> [Float] {
        var out = [Float](repeating: 0, count: limit)
        let dim = dimension
        q.withUnsafeBufferPointer { qb in
            out.withUnsafeMutableBufferPointer { o in
                guard let oBase = o.baseAddress, let qBase = qb.baseAddress else { return }
                let op = SharedPointer(oBase), rows = SharedPointer(unitBase)
                let qp = SharedPointer(UnsafeMutablePointer(mutating: qBase))
                Parallel.forEachRange(count: limit, threads: limit >= 20_000 ? Parallel.defaultThreads : 1) { range in
                    for r in range { op[r] = VectorMath.dot(qp.base, rows.base + r * dim, dim) }
                }
            }
        }
        return out
    }
}
