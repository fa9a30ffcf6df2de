/// Vectors for query words: the vocabulary first, then (if the store has them and they are
/// enabled) the word's subwords, so that names, typos and inflections still get a vector.
public struct WordVectors: Sendable {
    /// Where a query word's vector came from.
    public enum Source: String, Codable, Sendable {
        /// The word is in the vocabulary: its own trained or imported vector.
        case vocabulary
        /// The word is not in the vocabulary: the mean of its character n-gram vectors.
        case subwords
    }

    /// The vocabulary's vectors, as unit vectors with their norms, in one contiguous matrix.
    public let index: EmbeddingIndex
    /// The store's character n-gram table, used for words the vocabulary lacks (nil: none or disabled).
    public let subwords: NgramTable?

    /// The approximate-search index over ``index`` that nearest-word and 3cosadd analogy
    /// queries use unless ``SearchOptions/exact`` is set (nil: none, stale, or not loaded).
    public let approximateIndex: HNSWIndex?
    /// Why the store's approximate-search index is not used, when it has one that no longer
    /// matches its vectors (searches are then exact).
    public let approximateIndexProblem: String?

    /// Queries over an index already in memory and, optionally, an n-gram table and an
    /// approximate-search index built over `index`.
    public init(index: EmbeddingIndex, subwords: NgramTable?, approximateIndex: HNSWIndex? = nil) {
        precondition(approximateIndex.map { $0.vectors === index } ?? true, "the approximate index must be built over `index`")
        self.index = index
        self.subwords = subwords
        self.approximateIndex = approximateIndex
        approximateIndexProblem = nil
    }

    private init(index: EmbeddingIndex, subwords: NgramTable?, status: HNSWStore.Status) {
        self.index = index
        self.subwords = subwords
        switch status {
        case .absent: approximateIndex = nil; approximateIndexProblem = nil
        case let .ready(ann): approximateIndex = ann; approximateIndexProblem = nil
        case let .stale(reason): approximateIndex = nil; approximateIndexProblem = reason
        }
    }

    /// Reads `store`'s vectors, unless `useSubwords` is false its n-gram table, and unless
    /// `useApproximateIndex` is false its approximate-search index (``HNSWStore``; a damaged
    /// one throws, a stale one is reported in ``approximateIndexProblem`` and not used).
    /// Reports a "loading" stage counted in vectors to `progress`.
    public static func load(store: VectorStore, useSubwords: Bool = true, useApproximateIndex: Bool = true,
                            progress: ProgressHandler? = nil) throws -> WordVectors {
        let index = try store.loadIndex(progress: progress)
        let status = useApproximateIndex ? try HNSWStore.load(from: store, over: index) : .absent
        return WordVectors(index: index, subwords: useSubwords ? try NgramTable.load(from: store) : nil, status: status)
    }

    /// The unit-length query vector of `word`, its row if it is in the vocabulary, and where it came from.
    public func lookup(_ word: String) throws -> (unit: [Float], row: Int?, source: Source) {
        if let id = index.id(of: word) { return (index.unitVector(id), id, .vocabulary) }
        if let v = subwords?.vector(for: word) {
            let n = VectorMath.norm(v)
            if n > 0 { return (v.map { $0 / n }, nil, .subwords) }
        }
        throw WordshiftError.unknownWord(word)
    }
}

/// Single-word lookups straight from a store, without reading its matrix: the word's row
/// through the index, else (unless disabled) its n-gram composition, the n-gram table being
/// read on first need.
public final class StoreWordLookup {
    /// The store the words are looked up in.
    public let store: VectorStore
    /// Whether words outside the vocabulary get a vector from the store's n-gram table.
    public let useSubwords: Bool
    private var table: NgramTable?
    private var tableLoaded = false

    /// Looks words up in `store`; with `useSubwords`, the n-gram table is read on the first
    /// word the vocabulary lacks.
    public init(store: VectorStore, useSubwords: Bool = true) {
        self.store = store
        self.useSubwords = useSubwords
    }

    /// The word's vector (original length), its unit vector, and where it came from.
    public func lookup(_ word: String) throws -> (vector: [Float], unit: [Float], source: WordVectors.Source) {
        if let hit = try store.lookup(word) { return (hit.unit.map { $0 * hit.norm }, hit.unit, .vocabulary) }
        if useSubwords {
            if !tableLoaded { table = try NgramTable.load(from: store); tableLoaded = true }
            if let v = table?.vector(for: word) { return (v, VectorMath.normalized(v), .subwords) }
        }
        throw WordshiftError.unknownWord(word)
    }
}
