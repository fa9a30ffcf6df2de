/// Unit-length vectors in one contiguous row-major buffer, ready for cosine search.
/// Row `i` belongs to `words[i]`; `norms[i]` is the length of the original vector.
public final class EmbeddingIndex: @unchecked Sendable {
    /// Words in row order.
    public let words: [String]
    /// Corpus count of each word, where the store has counts.
    public let counts: [Int?]
    /// Vector length.
    public let dimension: Int
    /// Written only while loading: the int8 copy and every search read these, so nothing outside
    /// the package may change them.
    package let units: UnsafeMutableBufferPointer<Float>
    /// Start of `units` (allocated with at least one element, so never absent).
    package let unitBase: UnsafeMutablePointer<Float>
    package let norms: UnsafeMutableBufferPointer<Float>
    /// Row of each word.
    public private(set) var ids: [String: Int32] = [:]
    /// The int8 first-pass copy for single queries, built on first use (large indexes only).
    /// The int8 copy, built by the first query that needs it (under the lock, once).
    private let quantizedRows = Locked<QuantizedRows?>(nil)
    /// The codes of a product-quantized store, searched by asymmetric distance (set while loading).
    private(set) var productCodes: ProductCodes?
    /// Whether this index came from a product-quantized store: its rows are decoded codes and
    /// ``nearest(to:k:excluding:restrict:threads:)`` ranks them by asymmetric distance (approximate
    /// with respect to the original float32 vectors).
    public var isProductQuantized: Bool { productCodes != nil }

    func attach(productCodes codes: ProductCodes) { productCodes = codes }

    /// Indexes at least this large answer single queries through `QuantizedRows`.
    static let quantizedThreshold = 50_000

    func quantized(threads: Int) -> QuantizedRows {
        quantizedRows.withLock { cached in
            if let q = cached { return q }
            let q = QuantizedRows(index: self, threads: threads)
            cached = q
            return q
        }
    }

    /// Number of rows.
    public var count: Int { words.count }

    /// Allocates zeroed storage; the caller fills `units` and `norms`, then `finishLoading()`.
    init(words: [String], counts: [Int?], dimension: Int) {
        self.words = words
        self.counts = counts.count == words.count ? counts : Array(repeating: nil, count: words.count)
        self.dimension = dimension
        unitBase = .allocate(capacity: max(1, words.count * dimension))
        units = UnsafeMutableBufferPointer(start: unitBase, count: max(1, words.count * dimension))
        units.initialize(repeating: 0)
        norms = .allocate(capacity: max(1, words.count))
        norms.initialize(repeating: 0)
    }

    /// Builds an index from raw (unnormalised) row-major vectors.
    public convenience init(words: [String], counts: [Int?] = [], dimension: Int, vectors: [Float]) {
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
        var map = [String: Int32](minimumCapacity: words.count)
        for (i, w) in words.enumerated() where map[w] == nil { map[w] = Int32(i) }
        ids = map
    }

    /// Row of `word` (exact match), or nil.
    public func id(of word: String) -> Int? { ids[word].map(Int.init) }

    /// Pointer to the unit vector of row `i`.
    @inline(__always) package func unit(_ i: Int) -> UnsafeMutablePointer<Float> { unitBase + i * dimension }

    /// The unit vector of row `i` as an array.
    public func unitVector(_ i: Int) -> [Float] { Array(UnsafeBufferPointer(start: unit(i), count: dimension)) }

    /// The length of the original vector of row `i`.
    public func norm(_ i: Int) -> Float { norms[i] }

    /// The original vector of row `i` (unit vector times norm).
    public func vector(_ i: Int) -> [Float] { unitVector(i).map { $0 * norms[i] } }
}
