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
    ///
    /// Tokens that differ in bytes but are one word to Swift — canonically equivalent text
    /// ("5K" with U+212A KELVIN SIGN and "5K"), or invalid UTF-8 that decodes to the same
    /// replacement text — are counted as one word: its count is their sum, it is spelled as the
    /// most frequent of them (ties: byte order), and every spelling maps to its id. Reading the
    /// vocabulary back (`VocabularyFile.read`) and matching tokens to it compare words the same way.
    static func build(from interner: TokenInterner, minCount: Int, maxVocab: Int?) -> (Vocabulary, [Int32]) {
        var counts = interner.counts
        var leader = Array(0..<counts.count)
        for group in equivalentTokens(interner) {
            let first = group[0]
            let spelling = group.dropFirst().reduce(first) { best, id in
                if counts[id] != counts[best] { return counts[id] > counts[best] ? id : best }
                return interner.bytes(id).lexicographicallyPrecedes(interner.bytes(best)) ? id : best
            }
            var total: Int64 = 0
            for id in group {
                let (sum, overflow) = total.addingReportingOverflow(counts[id])
                total = overflow ? Int64.max : sum
                leader[id] = spelling
            }
            for id in group { counts[id] = 0 }
            counts[spelling] = total
        }
        var kept = (0..<counts.count).filter { leader[$0] == $0 && counts[$0] >= Int64(minCount) }
        kept.sort { a, b in
            if counts[a] != counts[b] { return counts[a] > counts[b] }
            return interner.bytes(a).lexicographicallyPrecedes(interner.bytes(b))
        }
        if let maxVocab, kept.count > maxVocab { kept.removeLast(kept.count - maxVocab) }
        var rank = [Int32](repeating: -1, count: counts.count)
        for (r, id) in kept.enumerated() { rank[id] = Int32(r) }
        for id in 0..<counts.count where leader[id] != id { rank[id] = rank[leader[id]] }
        let vocab = Vocabulary(words: kept.map { interner.word($0) }, counts: kept.map { counts[$0] })
        return (vocab, rank)
    }

    /// Groups of two or more provisional ids whose words are equal as Swift strings. Only a
    /// token with a byte outside ASCII can equal a token of other bytes (an ASCII token can
    /// still equal a non-ASCII one, as "K" equals U+212A), so the ASCII tokens are only looked up.
    static func equivalentTokens(_ interner: TokenInterner) -> [[Int]] {
        var byText: [String: [Int]] = [:]
        var ascii: [Int] = []
        for id in 0..<interner.count {
            if interner.bytes(id).allSatisfy({ $0 < 0x80 }) { ascii.append(id); continue }
            byText[interner.word(id), default: []].append(id)
        }
        guard !byText.isEmpty else { return [] }
        for id in ascii {
            let word = interner.word(id)
            if byText[word] != nil { byText[word]?.append(id) }
        }
        return byText.values.filter { $0.count > 1 }.map { $0.sorted() }
    }
}
