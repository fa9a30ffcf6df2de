/// Spearman and Pearson correlation between human similarity scores and cosine similarity,
/// as gensim's `evaluate_word_pairs` computes them (case-insensitive, first `restrictVocab`
/// words, pairs with an unknown word skipped). Reads `w1<TAB>w2<TAB>score`, space-separated
/// files (MEN) and SimVerb's five columns (the score is the last numeric field); `#` lines
/// are comments; CRLF is fine.
public struct SimilarityEvaluation: Codable, Sendable {
    public var file: String
    public var pairs = 0
    public var used = 0
    public var skipped = 0
    public var spearman: Double = .nan
    public var pearson: Double = .nan
    public var coverage: Double = 0
    /// Lines that were neither comments nor valid pairs.
    public var invalidLines = 0

    enum CodingKeys: String, CodingKey {
        case file, pairs, used, skipped, spearman, pearson, coverage
        case invalidLines = "invalid_lines"
    }

    public struct Pair: Sendable { public var first: String; public var second: String; public var score: Double }

    /// Reads the pairs of a similarity file.
    public static func readPairs(_ file: String) throws -> (pairs: [Pair], invalid: Int) {
        var pairs: [Pair] = []
        var invalid = 0
        let lines = try LineReader(path: file)
        while let text = try lines.nextLine({ String(decoding: $0, as: UTF8.self) }) {
            if text.hasPrefix("#") || text.allSatisfy({ $0.isWhitespace }) { continue }
            let fields = text.contains("\t")
                ? text.split(separator: "\t").map { String($0).trimmingSpaces() }
                : text.split(whereSeparator: { $0 == " " }).map(String.init)
            guard fields.count >= 3, let score = fields[2...].reversed().lazy.compactMap({ Double($0) }).first else {
                invalid += 1
                continue
            }
            pairs.append(Pair(first: fields[0], second: fields[1], score: score))
        }
        if pairs.isEmpty { throw WordshiftError.emptyInput(path: file, message: "no word pairs found") }
        return (pairs, invalid)
    }

    public static func run(index: EmbeddingIndex, file: String, restrictVocab: Int = 300_000) throws -> SimilarityEvaluation {
        let resolver = WordResolver(index: index, restrict: restrictVocab, caseInsensitive: true)
        let (pairs, invalid) = try readPairs(file)
        var result = SimilarityEvaluation(file: file)
        result.invalidLines = invalid
        var gold: [Double] = [], model: [Double] = []
        for p in pairs {
            result.pairs += 1
            guard let a = resolver.row(p.first), let b = resolver.row(p.second) else { result.skipped += 1; continue }
            gold.append(p.score)
            model.append(Double(index.similarity(a, b)))
        }
        result.used = gold.count
        result.coverage = result.pairs > 0 ? Double(result.used) / Double(result.pairs) : 0
        if gold.count > 1 {
            result.spearman = Correlation.spearman(gold, model)
            result.pearson = Correlation.pearson(gold, model)
        }
        return result
    }
}
