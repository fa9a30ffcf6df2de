/// How well subword vectors recover a word from a one-edit misspelling: for each of the most
/// frequent alphabetic words (length ≥ 4), one deterministic random edit (delete, insert,
/// substitute or swap adjacent letters) that yields a string outside the vocabulary; the
/// misspelling's subword vector is searched against the vocabulary and a hit is the intended
/// word among the top `k`.
public struct MisspellingEvaluation: Codable, Sendable {
    /// One misspelling and what the search returned for it.
    public struct Example: Codable, Sendable {
        /// The intended word.
        public var word: String
        /// The misspelled string (not in the vocabulary).
        public var misspelling: String
        /// The nearest words to the misspelling's subword vector, best first.
        public var top: [String]
    }

    /// Misspellings generated (one per word taken).
    public var words = 0
    /// Misspellings that have a subword vector (at least one known n-gram).
    public var withVector = 0
    /// Misspellings whose intended word is among the top ``k``.
    public var hits = 0
    /// How many neighbours count as a hit.
    public var k = 5
    /// `hits / words`, a fraction in [0, 1]: a misspelling without a vector counts as a miss.
    public var hitRate: Double = 0
    /// The first 20 misspellings searched, for a reader to look at.
    public var examples: [Example] = []

    /// The deterministic misspellings of the `count` most frequent alphabetic words.
    public static func misspellings(of index: EmbeddingIndex, count: Int, seed: UInt64) -> [(word: String, typo: String)] {
        var rng = SeededRandom(seed: seed)
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        var out: [(String, String)] = []
        for word in index.words {
            if out.count >= count { break }
            let chars = Array(word)
            guard chars.count >= 4, chars.allSatisfy({ $0.isLetter && $0.isLowercase && $0.isASCII }) else { continue }
            for _ in 0..<8 {
                var c = chars
                let pos = 1 + rng.next(below: c.count - 1)  // keep the first letter, as most typos do
                switch rng.next(below: 4) {
                case 0: c.remove(at: pos)
                case 1: c.insert(letters[rng.next(below: 26)], at: pos)
                case 2: c[pos] = letters[rng.next(below: 26)]
                default: if pos + 1 < c.count { c.swapAt(pos, pos + 1) } else { c.swapAt(pos - 1, pos) }
                }
                let typo = String(c)
                if typo != word && index.id(of: typo) == nil { out.append((word, typo)); break }
            }
        }
        return out
    }

    /// Measures how often a one-edit misspelling's subword vector finds the intended word.
    ///
    /// - Parameters:
    ///   - vectors: Vectors with a subword table; without one no misspelling has a vector.
    ///   - count: How many of the most frequent alphabetic words (length ≥ 4) to misspell.
    ///   - k: A hit is the intended word among this many neighbours.
    ///   - seed: Seed of the edits; the same seed gives the same misspellings.
    ///   - restrict: Search only the first this-many words (nil: all).
    ///   - handler: Receives progress over the misspellings.
    public static func run(vectors: WordVectors, count: Int = 10_000, k: Int = 5, seed: UInt64 = 1,
                           restrict: Int? = nil, progress handler: ProgressHandler? = nil) -> MisspellingEvaluation {
        let progress = ProgressReporter(handler)
        let index = vectors.index
        let pairs = misspellings(of: index, count: count, seed: seed)
        var result = MisspellingEvaluation()
        result.k = k
        result.words = pairs.count
        progress.begin("misspellings", total: Double(pairs.count), unit: " words")
        var queries: [Float] = [], asked: [(String, String)] = []
        func flush() {
            guard !asked.isEmpty else { return }
            let found = index.nearestBatch(queries: queries, k: k, restrict: restrict)
            for ((word, typo), top) in zip(asked, found) {
                let words = top.map(\.word)
                if words.contains(word) { result.hits += 1 }
                if result.examples.count < 20 { result.examples.append(Example(word: word, misspelling: typo, top: words)) }
            }
            queries.removeAll(keepingCapacity: true); asked.removeAll(keepingCapacity: true)
            progress.update(Double(result.withVector))
        }
        for (word, typo) in pairs {
            guard let q = try? vectors.lookup(typo) else { continue }
            result.withVector += 1
            queries += q.unit
            asked.append((word, typo))
            if asked.count == 512 { flush() }
        }
        flush()
        progress.end()
        result.hitRate = result.words > 0 ? Double(result.hits) / Double(result.words) : 0
        return result
    }
}
