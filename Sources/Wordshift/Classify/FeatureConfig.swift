/// How text becomes rows of the input matrix. Rows `0..<storeCount` are the store's words;
/// rows `storeCount..<storeCount + buckets` are hashed: words missing from the store, word
/// n-grams (`wordNgrams` ≥ 2) and, with `subwords`, the character n-grams of missing words.
public struct FeatureConfig: Codable, Sendable, Equatable {
    public var storeCount: Int
    public var buckets: Int
    public var wordNgrams: Int
    public var subwords: Bool
    public var minN: Int
    public var maxN: Int

    public init(storeCount: Int, buckets: Int = 1 << 19, wordNgrams: Int = 1, subwords: Bool = false, minN: Int = 3, maxN: Int = 6) {
        self.storeCount = storeCount
        self.buckets = buckets
        self.wordNgrams = wordNgrams
        self.subwords = subwords
        self.minN = minN
        self.maxN = maxN
    }

    public var rows: Int { storeCount + buckets }
}
