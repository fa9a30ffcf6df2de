/// How well an ``HNSWIndex`` finds the true nearest words: recall@k against exact search on a
/// sample of words of the store, as `wordshift index check` reports it.
public struct IndexCheck: Codable, Sendable, Equatable {
    /// One search effort's result.
    public struct Point: Codable, Sendable, Equatable {
        /// Search effort.
        public var ef: Int
        /// Mean share of the exact top k that the index returned.
        public var recall: Double
        /// Queries answered per second (wall clock over all queries, `threads` threads).
        public var queriesPerSecond: Double
    }

    /// Query words (each one's own row is excluded from its answers, as in `nearest`).
    public var queries: Int
    /// Neighbours per query.
    public var k: Int
    /// Threads the approximate queries ran on.
    public var threads: Int
    /// Exact queries per second (one at a time on `threads` threads), for comparison.
    public var exactQueriesPerSecond: Double
    /// One entry per effort, in the order asked.
    public var points: [Point]

    /// `count` distinct rows of `vectors` drawn with `seed` (all rows when `count` ≥ rows).
    public static func sample(rows: Int, count: Int, seed: UInt64) -> [Int] {
        guard count < rows else { return Array(0..<max(0, rows)) }
        var rng = SeededRandom(seed: seed)
        var picked = Set<Int>()
        var out: [Int] = []
        while out.count < count {
            let r = rng.next(below: rows)
            if picked.insert(r).inserted { out.append(r) }
        }
        return out
    }

    /// Runs the query rows through exact search and through `index` at each effort in `efs`.
    public static func run(_ index: HNSWIndex, rows: [Int], k: Int = 10, efs: [Int] = [HNSWIndex.defaultEf],
                           threads: Int = 1) throws -> IndexCheck {
        let vectors = index.vectors
        guard !rows.isEmpty else { throw WordshiftError.invalidArgument("the check needs at least one query word") }
        guard k >= 1 else { throw WordshiftError.invalidArgument("k must be at least 1 (got \(k))") }
        guard k < vectors.count else {
            throw WordshiftError.invalidArgument("k (\(k)) must be smaller than the store's \(vectors.count) rows: each query's own word is left out")
        }
        guard rows.allSatisfy({ (0..<vectors.count).contains($0) }) else {
            throw WordshiftError.invalidArgument("a query row is outside the store's \(vectors.count) rows")
        }
        guard !efs.isEmpty, efs.allSatisfy({ $0 >= 1 }) else { throw WordshiftError.invalidArgument("give one or more efforts, each at least 1") }
        let queries = rows.map { vectors.unitVector($0) }
        let excluded = rows.map { Set([$0]) }
        let t = Parallel.clampThreads(threads)
        var started = System.now()
        var truth = [[Neighbor]](repeating: [], count: rows.count)
        truth.withUnsafeMutableBufferPointer { tb in
            guard let base = tb.baseAddress else { return }
            let out = SharedPointer(base)
            Parallel.forEachRange(count: rows.count, threads: t) { range in
                for i in range { out[i] = vectors.nearest(to: queries[i], k: k, excluding: excluded[i], threads: 1) }
            }
        }
        let exactRate = Double(rows.count) / max(1e-9, System.now() - started)
        var points: [Point] = []
        for ef in efs {
            started = System.now()
            let found = index.nearest(queries: queries, k: k, ef: ef, excluding: excluded, threads: t)
            let seconds = System.now() - started
            points.append(Point(ef: ef, recall: recall(found: found, truth: truth),
                                queriesPerSecond: Double(rows.count) / max(1e-9, seconds)))
        }
        return IndexCheck(queries: rows.count, k: k, threads: t, exactQueriesPerSecond: exactRate, points: points)
    }

    /// Share of the words of `truth` (per query) that `found` holds for the same query (1 when
    /// `truth` is empty).
    static func recall(found: [[Neighbor]], truth: [[Neighbor]]) -> Double {
        var hits = 0, total = 0
        for (f, e) in zip(found, truth) {
            let want = Set(e.map(\.word))
            hits += f.filter { want.contains($0.word) }.count
            total += e.count
        }
        return total == 0 ? 1 : Double(hits) / Double(total)
    }
}
