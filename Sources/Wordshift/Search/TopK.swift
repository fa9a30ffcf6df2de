/// Keeps the `k` highest-scoring ids seen, as a min-heap on score (ties: lower id wins).
struct TopK {
    let k: Int
    private(set) var ids: [Int32] = []
    private(set) var scores: [Float] = []

    init(k: Int) {
        self.k = max(0, k)
        ids.reserveCapacity(min(self.k, 1 << 16))
        scores.reserveCapacity(min(self.k, 1 << 16))
    }

    /// The score a candidate must beat once the heap is full.
    @inline(__always) var threshold: Float { ids.count < k ? -.infinity : (k == 0 ? .infinity : scores[0]) }

    @inline(__always) private func less(_ a: Int, _ b: Int) -> Bool {
        scores[a] < scores[b] || (scores[a] == scores[b] && ids[a] > ids[b])
    }

    @inline(__always)
    mutating func offer(_ id: Int32, _ score: Float) {
        if ids.count < k {
            ids.append(id); scores.append(score)
            var i = ids.count - 1
            while i > 0 {
                let parent = (i - 1) / 2
                if less(i, parent) { ids.swapAt(i, parent); scores.swapAt(i, parent); i = parent } else { break }
            }
        } else if k > 0, score > scores[0] || (score == scores[0] && id < ids[0]) {
            ids[0] = id; scores[0] = score
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < ids.count, less(l, m) { m = l }
                if r < ids.count, less(r, m) { m = r }
                if m == i { break }
                ids.swapAt(i, m); scores.swapAt(i, m); i = m
            }
        }
    }

    mutating func merge(_ other: TopK) {
        for i in 0..<other.ids.count { offer(other.ids[i], other.scores[i]) }
    }

    /// Best first.
    func sorted() -> [(id: Int, score: Float)] {
        zip(ids, scores).map { (Int($0.0), $0.1) }.sorted { $0.score > $1.score || ($0.score == $1.score && $0.id < $1.id) }
    }
}

/// A score for every row of a scan (``TopK/best(ofRows:want:threads:score:)``), read from
/// several threads at once: it must only read. A struct, not a closure, so that each scan is
/// specialised and its score inlined into the loop (a closure here cost the 25-lookup product
/// quantization score about a fifth of its speed).
protocol RowScore {
    func callAsFunction(_ row: Int) -> Float
}

extension TopK {
    /// The best `want` of rows 0..<`limit` by `score`: one contiguous range of rows per thread
    /// (all `threads` from 20,000 rows up, otherwise one), each range kept in its own list,
    /// the lists merged.
    @inline(__always)
    static func best<S: RowScore>(ofRows limit: Int, want: Int, threads: Int, score: S) -> TopK {
        let t = limit >= 20_000 ? max(1, threads) : 1
        var partial = [TopK](repeating: TopK(k: want), count: t)
        partial.withUnsafeMutableBufferPointer { parts in
            guard let partsBase = parts.baseAddress else { return }
            let out = SharedPointer(partsBase)
            Parallel.run(threads: t) { w in
                var top = TopK(k: want)
                var threshold = top.threshold
                for r in limit * w / t ..< limit * (w + 1) / t {
                    let s = score(r)
                    if s > threshold || top.ids.count < want {
                        top.offer(Int32(r), s)
                        threshold = top.threshold
                    }
                }
                out[w] = top
            }
        }
        var top = TopK(k: want)
        for p in partial { top.merge(p) }
        return top
    }
}
