/// Spearman and Pearson correlation between human similarity scores and cosine similarity,
/// as gensim's `evaluate_word_pairs` computes them (case-insensitive, first `restrictVocab`
/// words, pairs with an unknown word skipped). Reads `w1<TAB>w2<TAB>score`, space-separated
/// files (MEN) and SimVerb's five columns (the score is the last numeric field); `#` lines
/// are comments; CRLF is fine. A line without two words and a finite score (`nan`, `inf`,
/// text) is skipped and counted, with its line number in `firstInvalidLines`: it never takes
/// part in a correlation.
public struct SimilarityEvaluation: Codable, Sendable {
    /// The similarity file, as given.
    public var file: String
    /// Valid pairs in the file.
    public var pairs = 0
    /// Pairs whose two words both have a vector in the restricted vocabulary (the ones correlated).
    public var used = 0
    /// Pairs skipped because a word has no vector in the restricted vocabulary.
    public var skipped = 0
    /// Spearman's rank correlation over the used pairs, in [-1, 1] (NaN with fewer than two pairs).
    public var spearman: Double = .nan
    /// Pearson's correlation over the used pairs, in [-1, 1] (NaN with fewer than two pairs).
    public var pearson: Double = .nan
    /// `used / pairs`, a fraction in [0, 1].
    public var coverage: Double = 0
    /// Lines that were neither comments nor valid pairs (skipped).
    public var invalidLines = 0
    /// Line numbers (1-based) of the first skipped lines, at most `invalidLinesListed`.
    public var firstInvalidLines: [Int] = []
    /// How many skipped line numbers `firstInvalidLines` keeps.
    public static let invalidLinesListed = 10
    /// Pairs with a word outside the vocabulary that subwords could still score.
    public var subwordPairs = 0
    /// Share of pairs scored with vocabulary or subword vectors.
    public var coverageWithSubwords: Double = 0
    /// Correlations over every pair: vocabulary or subword vectors where there are any, and a
    /// similarity of 0 for a pair with no vector at all (gensim's `dummy4unknown`).
    public var spearmanAllPairs: Double = .nan
    /// Pearson's correlation over every pair, scored as for ``spearmanAllPairs``.
    public var pearsonAllPairs: Double = .nan

    enum CodingKeys: String, CodingKey {
        case file, pairs, used, skipped, spearman, pearson, coverage
        case invalidLines = "invalid_lines"
        case firstInvalidLines = "first_invalid_lines"
        case subwordPairs = "subword_pairs"
        case coverageWithSubwords = "coverage_with_subwords"
        case spearmanAllPairs = "spearman_all_pairs"
        case pearsonAllPairs = "pearson_all_pairs"
    }

    /// One line of a similarity file: two words and the score people gave the pair.
    public struct Pair: Sendable {
        /// The first word, as written in the file.
        public var first: String
        /// The second word, as written in the file.
        public var second: String
        /// The human similarity score, on the file's own scale (e.g. 0–10 for WS-353).
        public var score: Double
    }

    /// Reads the pairs of a similarity file; `invalid` counts the lines skipped.
    public static func readPairs(_ file: String) throws -> (pairs: [Pair], invalid: Int) {
        let r = try readPairLines(file)
        return (r.pairs, r.invalidLines.count)
    }

    /// The pairs of a similarity file and the numbers of the lines skipped.
    static func readPairLines(_ file: String) throws -> (pairs: [Pair], invalidLines: [Int]) {
        var pairs: [Pair] = []
        var invalid: [Int] = []
        let lines = try LineReader(path: file)
        while let text = try lines.nextLine({ String(decoding: $0, as: UTF8.self) }) {
            if text.hasPrefix("#") || text.allSatisfy({ $0.isWhitespace }) { continue }
            let fields = text.contains("\t")
                ? text.split(separator: "\t").map { String($0).trimmingSpaces() }
                : text.split(whereSeparator: { $0 == " " }).map(String.init)
            // The last field that is a number; `nan` and `inf` parse as Doubles but are no score.
            guard fields.count >= 3, let score = fields[2...].reversed().lazy.compactMap({ Double($0) }).first, score.isFinite else {
                invalid.append(lines.lineNumber)
                continue
            }
            pairs.append(Pair(first: fields[0], second: fields[1], score: score))
        }
        if pairs.isEmpty {
            throw WordshiftError.emptyInput(path: file, message: "no word pairs found (lines of two words and a finite score"
                + (invalid.isEmpty ? ")" : "; \(invalid.count) lines were not, the first at line \(invalid[0]))"))
        }
        return (pairs, invalid)
    }

    /// `subwords`, when given, scores pairs with unseen words for the `*_all_pairs` figures
    /// (lower-cased words are composed); the gensim-equal figures use the vocabulary alone.
    public static func run(index: EmbeddingIndex, file: String, restrictVocab: Int = 300_000,
                           subwords: NgramTable? = nil) throws -> SimilarityEvaluation {
        let resolver = WordResolver(index: index, restrict: restrictVocab, caseInsensitive: true)
        let (pairs, invalid) = try readPairLines(file)
        var result = SimilarityEvaluation(file: file)
        result.invalidLines = invalid.count
        result.firstInvalidLines = Array(invalid.prefix(invalidLinesListed))
        var gold: [Double] = [], model: [Double] = []
        var allModel: [Double] = []
        func unit(_ word: String) -> [Float]? {
            if let r = resolver.row(word) { return index.unitVector(r) }
            return subwords?.vector(for: word.lowercased()).map(VectorMath.normalized)
        }
        for p in pairs {
            result.pairs += 1
            if let a = resolver.row(p.first), let b = resolver.row(p.second) {
                let sim = Double(index.similarity(a, b))
                gold.append(p.score); model.append(sim); allModel.append(sim)
                continue
            }
            result.skipped += 1
            if let a = unit(p.first), let b = unit(p.second) {
                result.subwordPairs += 1
                allModel.append(Double(VectorMath.dot(a, b)))
            } else {
                allModel.append(0)
            }
        }
        let allGold = pairs.map(\.score)
        if allGold.count > 1 {
            result.spearmanAllPairs = Correlation.spearman(allGold, allModel)
            result.pearsonAllPairs = Correlation.pearson(allGold, allModel)
        }
        result.used = gold.count
        result.coverageWithSubwords = result.pairs > 0 ? Double(result.used + result.subwordPairs) / Double(result.pairs) : 0
        result.coverage = result.pairs > 0 ? Double(result.used) / Double(result.pairs) : 0
        if gold.count > 1 {
            result.spearman = Correlation.spearman(gold, model)
            result.pearson = Correlation.pearson(gold, model)
        }
        return result
    }
}
