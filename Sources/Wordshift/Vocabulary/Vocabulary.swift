/// The kept words of a corpus. Ids are frequency ranks: id 0 is the most frequent word; ties
/// are broken by the byte order of the words, so the order is deterministic.
public struct Vocabulary: Sendable, Equatable {
    /// The words, most frequent first; a word's index here is its id.
    public private(set) var words: [String]
    /// Corpus count of each word, parallel to ``words``.
    public private(set) var counts: [Int64]

    /// Number of words.
    public var count: Int { words.count }

    /// A vocabulary of `words` with their `counts`, in the order given (the order defines the
    /// ids; nothing is re-sorted). The two arrays must have the same length.
    public init(words: [String], counts: [Int64]) {
        precondition(words.count == counts.count)
        self.words = words
        self.counts = counts
    }

    /// Selects and ranks the words of `interner`: count ≥ `minCount`, then at most `maxVocab`.
    /// Returns the vocabulary and, for each provisional id, its rank or -1 when dropped.
    static func build(from interner: TokenInterner, minCount: Int, maxVocab: Int?) -> (Vocabulary, [Int32]) {
        let counts = interner.counts
        var kept = (0..<counts.count).filter { counts[$0] >= Int64(minCount) }
        kept.sort { a, b in
            if counts[a] != counts[b] { return counts[a] > counts[b] }
            return interner.bytes(a).lexicographicallyPrecedes(interner.bytes(b))
        }
        if let maxVocab, kept.count > maxVocab { kept.removeLast(kept.count - maxVocab) }
        var rank = [Int32](repeating: -1, count: counts.count)
        for (r, id) in kept.enumerated() { rank[id] = Int32(r) }
        let vocab = Vocabulary(words: kept.map { interner.word($0) }, counts: kept.map { counts[$0] })
        return (vocab, rank)
    }
}
