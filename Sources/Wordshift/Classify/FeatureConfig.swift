/// How text becomes rows of the input matrix. Rows `0..<storeCount` are the store's words;
/// rows `storeCount..<storeCount + buckets` are hashed: words missing from the store, word
/// n-grams (`wordNgrams` ≥ 2) and, with `subwords`, the character n-grams of missing words.
public struct FeatureConfig: Codable, Sendable, Equatable {
    /// Rows taken from the store: its word count.
    public var storeCount: Int
    /// Hash buckets for words outside the store and for word or character n-grams (default 2¹⁹).
    public var buckets: Int
    /// Longest word n-gram used as a feature (1: single words only).
    public var wordNgrams: Int
    /// Whether words outside the store also add their character n-grams (hashed).
    public var subwords: Bool
    /// Shortest character n-gram, in code points.
    public var minN: Int
    /// Longest character n-gram, in code points.
    public var maxN: Int

    /// A feature layout over a store of `storeCount` words; see the properties for each setting.
    public init(storeCount: Int, buckets: Int = 1 << 19, wordNgrams: Int = 1, subwords: Bool = false, minN: Int = 3, maxN: Int = 6) {
        self.storeCount = storeCount
        self.buckets = buckets
        self.wordNgrams = wordNgrams
        self.subwords = subwords
        self.minN = minN
        self.maxN = maxN
    }

    /// Rows of the input matrix: ``storeCount`` + ``buckets``.
    public var rows: Int { storeCount + buckets }
}
