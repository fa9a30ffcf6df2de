/// How a word query searches the vectors.
///
/// Every field has a default, so code written today keeps compiling when new options (an
/// approximate index's `exact`/`ef`, for example) are added.
public struct SearchOptions: Sendable, Equatable {
    /// Search only the first `restrict` rows. Stores keep words by descending corpus count, so
    /// this is "the N most frequent words" (gensim's `restrict_vocab`). nil searches every row.
    public var restrict: Int?
    /// Threads one query may use; nil uses every core. A server answering many requests at
    /// once gets more throughput with 1.
    public var threads: Int?
    /// Search every row exactly even when the vectors have an approximate-search index.
    public var exact: Bool
    /// Search effort of the approximate-search index (candidates kept; nil: ``HNSWIndex/defaultEf``).
    /// Higher finds more of the true nearest words, slower.
    public var ef: Int?

    /// Options with the given restriction, thread bound and approximate-search settings (by
    /// default: none, every core, the index when there is one, its default effort).
    public init(restrict: Int? = nil, threads: Int? = nil, exact: Bool = false, ef: Int? = nil) {
        self.restrict = restrict
        self.threads = threads
        self.exact = exact
        self.ef = ef
    }

    func validate() throws {
        if let ef, ef < 1 { throw WordshiftError.invalidArgument("ef must be at least 1 (got \(ef))") }
        if let restrict, restrict < 1 { throw WordshiftError.invalidArgument("restrict must be at least 1 (got \(restrict))") }
        if let threads, threads < 1 { throw WordshiftError.invalidArgument("threads must be at least 1 (got \(threads))") }
    }

    var threadCount: Int { max(1, min(threads ?? Parallel.defaultThreads, Parallel.defaultThreads * 4)) }
}

/// Word-level queries: every method takes words, looks them up in the vocabulary and, for words
/// the vocabulary lacks, builds their vectors from the store's character n-grams (when it has
/// them and `useSubwords` was set when loading). Nothing here changes the loaded vectors, so one
/// `WordVectors` can answer queries from many threads or tasks at once.
extension WordVectors {
    /// Opens the store at `path` and reads its vectors (and, unless `useSubwords` is false, its
    /// n-gram table) into memory for queries.
    ///
    /// ```swift
    /// let vectors = try WordVectors(path: "vectors/demo.sqlite")
    /// let neighbours = try vectors.nearest(to: "king", k: 10)
    /// ```
    public init(path: String, useSubwords: Bool = true, progress: ProgressHandler? = nil) throws {
        self = try WordVectors.load(store: try VectorStore(path: path), useSubwords: useSubwords, progress: progress)
    }

    /// Vector length.
    public var dimension: Int { index.dimension }

    /// Words in the vocabulary.
    public var count: Int { index.count }

    /// Whether `word` is in the vocabulary (n-grams are not consulted).
    public func contains(_ word: String) -> Bool { index.id(of: word) != nil }

    /// Where the vector of `word` comes from, or nil when it has none (not in the vocabulary and
    /// no stored n-gram of it).
    public func source(of word: String) -> Source? { try? lookup(word).source }

    /// The vector of `word`: the stored one (original length), or for an unseen word the mean of
    /// its character n-gram vectors. Throws ``WordshiftError/unknownWord(_:)`` when it has neither.
    public func vector(for word: String) throws -> [Float] {
        if let id = index.id(of: word) { return index.vector(id) }
        if let v = subwords?.vector(for: word), VectorMath.norm(v) > 0 { return v }
        throw WordshiftError.unknownWord(word)
    }

    /// The `k` words closest (cosine) to `word`, best first; `word` itself is never returned.
    public func nearest(to word: String, k: Int = 10, options: SearchOptions = SearchOptions()) throws -> [Neighbor] {
        try nearest(to: [word], k: k, options: options)[0]
    }

    /// The `k` nearest words of each word in `words`, in the same order (one batched search,
    /// faster than one call per word).
    public func nearest(to words: [String], k: Int = 10, options: SearchOptions = SearchOptions()) throws -> [[Neighbor]] {
        try check(k: k, options: options)
        let looked = try words.map { try lookup($0) }
        let excluded: [Set<Int>] = looked.map { $0.row.map { [$0] } ?? [] }
        if let ann = approximate(options) {
            return ann.nearest(queries: looked.map(\.unit), k: k, ef: options.ef, excluding: excluded, threads: options.threadCount)
        }
        if looked.count == 1 {
            return [index.nearest(to: looked[0].unit, k: k, excluding: excluded[0], restrict: options.restrict,
                                  threads: options.threadCount)]
        }
        return index.nearestBatch(queries: looked.flatMap(\.unit), k: k, excluding: excluded, restrict: options.restrict)
    }

    /// The `k` words closest (cosine) to any vector of length ``dimension``, skipping `excluding`.
    public func nearest(to vector: [Float], k: Int = 10, excluding: Set<String> = [],
                        options: SearchOptions = SearchOptions()) throws -> [Neighbor] {
        try check(k: k, options: options)
        guard vector.count == dimension else {
            throw WordshiftError.invalidArgument("the query vector has \(vector.count) values; the store's dimension is \(dimension)")
        }
        guard vector.allSatisfy(\.isFinite), VectorMath.norm(vector) > 0 else {
            throw WordshiftError.invalidArgument("the query vector must be finite and not all zero")
        }
        let rows = Set(excluding.compactMap { index.id(of: $0) })
        if let ann = approximate(options) { return ann.nearest(to: vector, k: k, ef: options.ef, excluding: rows) }
        return index.nearest(to: vector, k: k, excluding: rows, restrict: options.restrict, threads: options.threadCount)
    }

    /// Answers `a` : `b` :: `c` : ? ("man" : "king" :: "woman" : "queen"), best first; the three
    /// question words are never answers.
    public func analogy(a: String, b: String, c: String, k: Int = 10, method: AnalogyMethod = .add,
                        options: SearchOptions = SearchOptions()) throws -> [Neighbor] {
        try check(k: k, options: options)
        let (la, lb, lc) = (try lookup(a), try lookup(b), try lookup(c))
        let excluded = Set([la.row, lb.row, lc.row].compactMap { $0 })
        if method == .add, let ann = approximate(options) {
            let query = (0..<dimension).map { lb.unit[$0] + lc.unit[$0] - la.unit[$0] }
            return ann.nearest(to: query, k: k, ef: options.ef, excluding: excluded)
        }
        return index.analogy(a: la.unit, b: lb.unit, c: lc.unit, excluding: excluded, k: k, method: method,
                             restrict: options.restrict)
    }

    /// Cosine similarity of two words, in [-1, 1].
    public func similarity(_ first: String, _ second: String) throws -> Float {
        VectorMath.dot(try lookup(first).unit, try lookup(second).unit)
    }

    /// The word that fits least with the others: the one whose vector has the lowest cosine to
    /// the mean of all their unit vectors (gensim's `doesnt_match`). Needs at least two words.
    public func doesntMatch(_ words: [String]) throws -> String {
        guard words.count >= 2 else { throw WordshiftError.invalidArgument("doesntMatch needs at least two words (got \(words.count))") }
        let units = try words.map { try lookup($0).unit }
        var mean = [Float](repeating: 0, count: dimension)
        for u in units { for j in 0..<dimension { mean[j] += u[j] } }
        let m = VectorMath.normalized(mean)
        var worst = 0
        var worstScore = Float.infinity
        for (i, u) in units.enumerated() {
            let s = VectorMath.dot(u, m)
            if s < worstScore { worst = i; worstScore = s }
        }
        return words[worst]
    }

    /// The approximate-search index a query with `options` uses: none when asked for exact
    /// search, when there is none, or when the search is restricted to fewer rows.
    private func approximate(_ options: SearchOptions) -> HNSWIndex? {
        guard !options.exact, let ann = approximateIndex else { return nil }
        if let r = options.restrict, r < index.count { return nil }
        return ann
    }

    private func check(k: Int, options: SearchOptions) throws {
        guard k >= 1 else { throw WordshiftError.invalidArgument("k must be at least 1 (got \(k))") }
        try options.validate()
    }
}
