/// Unit-length vectors in one contiguous row-major buffer, ready for cosine search.
/// Row `i` belongs to `words[i]`; `norms[i]` is the length of the original vector.
public final class EmbeddingIndex: @unchecked Sendable {
    /// Words in row order.
    public let words: [String]
    /// Corpus count of each word, where the store has counts (`counts[i]` is that of `words[i]`).
    public let counts: WordCounts
    /// Vector length.
    public let dimension: Int
    /// Written only while loading: the int8 copy and every search read these, so nothing outside
    /// the package may change them.
    package let units: UnsafeMutableBufferPointer<Float>
    /// Start of `units` (allocated with at least one element, so never absent).
    package let unitBase: UnsafeMutablePointer<Float>
    package let norms: UnsafeMutableBufferPointer<Float>
    /// The row of each word, looked up by ``id(of:)`` (set while loading).
    private var rows = WordRows(words: [])
    /// Row of each word (of a word that occurs twice, its first row). Built on each access;
    /// ``id(of:)`` looks one word up without building it.
    public var ids: [String: Int32] {
        var map = [String: Int32](minimumCapacity: words.count)
        for (i, w) in words.enumerated() where map[w] == nil { map[w] = Int32(i) }
        return map
    }
    /// The int8 first-pass copy for searches over large indexes, and how many such searches
    /// ran before it existed (see `quantizedForRepeatedSearches`).
    private let quantizedRows = Locked(QuantizedCopy())
    /// The codes of a product-quantized store, searched by asymmetric distance (set while loading).
    private(set) var productCodes: ProductCodes?
    /// Whether this index came from a product-quantized store: its rows are decoded codes and
    /// ``nearest(to:k:excluding:restrict:threads:)`` ranks them by asymmetric distance (approximate
    /// with respect to the original float32 vectors).
    public var isProductQuantized: Bool { productCodes != nil }

    func attach(productCodes codes: ProductCodes) { productCodes = codes }

    /// Indexes at least this large answer searches through `QuantizedRows` once it exists.
    static let quantizedThreshold = 50_000

    /// Large searches an index answers from the float32 rows alone before it builds its int8
    /// copy. Building the copy reads every float32 row once, as one plain scan does, and the
    /// copy then holds a quarter of the matrix's bytes more: a process that asks one question
    /// (`wordshift nearest`) is answered sooner and holds only the float32 matrix at its peak,
    /// while one that asks many (a server, an evaluation) builds the copy at its second search
    /// and pays it back within a few more.
    static let searchesBeforeQuantizing = 1

    private struct QuantizedCopy {
        var rows: QuantizedRows?
        var searchesWithout = 0
    }

    /// The int8 copy for a large search, or nil while this index has answered fewer than
    /// `searchesBeforeQuantizing` large searches (the caller then searches the float32 rows;
    /// both give the same results). Each nil answer counts one search.
    func quantizedForRepeatedSearches(threads: Int) -> QuantizedRows? {
        quantizedRows.withLock { copy in
            if let q = copy.rows { return q }
            guard copy.searchesWithout >= Self.searchesBeforeQuantizing else {
                copy.searchesWithout += 1
                return nil
            }
            let q = QuantizedRows(index: self, threads: threads)
            copy.rows = q
            return q
        }
    }

    /// Whether the int8 copy has been built.
    var hasQuantizedCopy: Bool { quantizedRows.withLock { $0.rows != nil } }

    /// Number of rows.
    public var count: Int { words.count }

    /// Allocates zeroed storage; the caller fills `units` and `norms`, then `finishLoading()`.
    convenience init(words: [String], counts: [Int?], dimension: Int) {
        self.init(words: words, counts: counts.count == words.count ? WordCounts(counts) : WordCounts(rows: words.count),
                  dimension: dimension)
    }

    /// Allocates zeroed storage; the caller fills `units` and `norms`, then `finishLoading()`.
    init(words: [String], counts: WordCounts, dimension: Int) {
        self.words = words
        self.counts = counts.count == words.count ? counts : WordCounts(rows: words.count)
        self.dimension = dimension
        unitBase = .allocate(capacity: max(1, words.count * dimension))
        HugePages.advise(unitBase, count: max(1, words.count * dimension))
        units = UnsafeMutableBufferPointer(start: unitBase, count: max(1, words.count * dimension))
        units.initialize(repeating: 0)
        norms = .allocate(capacity: max(1, words.count))
        norms.initialize(repeating: 0)
    }

    /// Builds an index from raw (unnormalised) row-major vectors.
    public convenience init(words: [String], counts: [Int?] = [], dimension: Int, vectors: [Float]) {
        self.init(words: words, counts: counts.count == words.count ? WordCounts(counts) : WordCounts(rows: words.count),
                  dimension: dimension, vectors: vectors)
    }

    /// Builds an index from raw (unnormalised) row-major vectors, with counts as an index keeps them.
    convenience init(words: [String], counts: WordCounts, dimension: Int, vectors: [Float]) {
        precondition(vectors.count == words.count * dimension, "vectors must hold words.count × dimension values")
        self.init(words: words, counts: counts, dimension: dimension)
        vectors.withUnsafeBufferPointer { src in
            for r in 0..<words.count {
                let row = UnsafeBufferPointer(rebasing: src[r * dimension..<(r + 1) * dimension])
                let n = VectorMath.norm(row)
                norms[r] = n
                let inv: Float = n > 0 ? 1 / n : 0
                for j in 0..<dimension { units[r * dimension + j] = row[j] * inv }
            }
        }
        finishLoading()
    }

    deinit {
        units.deallocate()
        norms.deallocate()
    }

    func finishLoading() {
        rows = WordRows(words: words)
    }

    /// Row of `word` (exact match; of a word that occurs twice, its first row), or nil.
    public func id(of word: String) -> Int? { rows.row(of: word, in: words) }

    /// Pointer to the unit vector of row `i`.
    @inline(__always) package func unit(_ i: Int) -> UnsafeMutablePointer<Float> { unitBase + i * dimension }

    /// The unit vector of row `i` as an array.
    public func unitVector(_ i: Int) -> [Float] { Array(UnsafeBufferPointer(start: unit(i), count: dimension)) }

    /// The length of the original vector of row `i`.
    public func norm(_ i: Int) -> Float { norms[i] }

    /// The original vector of row `i` (unit vector times norm).
    public func vector(_ i: Int) -> [Float] { unitVector(i).map { $0 * norms[i] } }
}
