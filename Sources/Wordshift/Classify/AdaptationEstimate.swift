/// Label-free estimates of how well a head carries over to a target domain, read from the
/// labeled source data and the unlabeled target text only (no target label).
///
/// **Reverse validation** (Zhong et al., ECML 2010): the head labels the target text; a fresh
/// reverse head, always of the same family (the full head over the store's vectors), learns from
/// those labels alone and is scored on the labeled source data, which it never saw. Labels that
/// carry real sentiment carry it back. Because every candidate is scored through the same
/// reverse head, the scores of different methods can be compared; `DomainAdapter` uses them to
/// choose a method (`--method auto`) and never chooses one whose score is below source-only's.
///
/// The criterion is a proxy: it rewards target labels that agree with what the source data
/// teaches, so it can prefer a head that decides as the source-only head does (BENCHMARKS §5
/// reports how it ranks the methods against the test sets).
public enum AdaptationEstimate {
    /// One reverse-validation score.
    public struct Reverse: Sendable, Equatable, Codable {
        /// Macro-F1 of the reverse head on the labeled source data (0 when the head gave every
        /// target document the same label: nothing to learn from).
        public var macroF1: Double
        /// Accuracy of the reverse head on the labeled source data.
        public var accuracy: Double
        /// Share of the scored target documents the head gave each label (its label order).
        public var targetShares: [Double]
        /// Target documents the reverse head learned from.
        public var documents: Int
    }

    /// Most target documents a reverse head learns from (a seeded sample of the target text
    /// beyond that): enough to rank heads, and cheap next to the adaptation itself.
    public static let defaultDocuments = 10_000

    /// The target documents reverse validation uses: all of `target` up to `limit`, otherwise a
    /// sample of `limit` drawn with `seed` (kept in text order).
    public static func sample(_ target: [String], limit: Int = defaultDocuments, seed: UInt64) -> [String] {
        guard limit > 0, target.count > limit else { return target }
        var rng = SeededRandom(seed: seed ^ 0x5EB)
        var order = Array(0..<target.count)
        order.shuffle(using: &rng)
        return order.prefix(limit).sorted().map { target[$0] }
    }

    /// Reverse validation of `head` (see ``AdaptationEstimate``): `target` (use ``sample(_:limit:seed:)``)
    /// labeled by the head trains a head over `index` with `config`, scored on `source`.
    /// `source` must use the head's labels (it is relabeled to them).
    public static func reverseValidation(of head: ClassifierHead, target: [String], source: LabeledDataset,
                                         index: EmbeddingIndex, config: ClassifierConfig) throws -> Reverse {
        guard !target.isEmpty else { throw WordshiftError.emptyInput(path: "target text", message: "no target documents to label") }
        let L = head.labels.count
        let predicted = head.predict(target, threads: config.threads)
        var counts = [Int](repeating: 0, count: L)
        for p in predicted where p >= 0 && p < L { counts[p] += 1 }
        let shares = counts.map { Double($0) / Double(max(1, target.count)) }
        let scored = source.relabeled(to: head.labels)
        let known = scored.subset((0..<scored.count).filter { scored.labelIDs[$0] >= 0 })
        guard counts.filter({ $0 > 0 }).count >= 2, !known.texts.isEmpty else {
            return Reverse(macroF1: 0, accuracy: 0, targetShares: shares, documents: target.count)
        }
        let pseudo = LabeledDataset(labels: head.labels, texts: target, labelIDs: predicted, source: "reverse-validation labels")
        let reverse = try Classifier.train(index: index, train: pseudo, config: config).head
        let m = reverse.evaluate(known, threads: config.threads)
        return Reverse(macroF1: m.macroF1, accuracy: m.accuracy, targetShares: shares, documents: target.count)
    }

    /// A method and its reverse-validation score.
    public struct Scored: Sendable, Equatable, Codable {
        /// The method whose head was scored.
        public var method: AdaptationMethod
        /// Its score.
        public var reverse: Reverse
        /// A method and its score.
        public init(method: AdaptationMethod, reverse: Reverse) {
            self.method = method
            self.reverse = reverse
        }
    }

    /// Scores within this much macro-F1 of each other count as equal: the earlier method in
    /// the list wins (source-only first, then the candidates in the order given).
    public static let tieMargin = 0.002

    /// The choice of `--method auto`: the method with the highest reverse-validation macro-F1,
    /// never one scored below `.sourceOnly` when source-only is among `scores` (it then starts as
    /// the choice). Another method must beat the current choice by more than ``tieMargin``, so
    /// ties keep source-only, then the earlier method in the list.
    public static func choose(_ scores: [(AdaptationMethod, Reverse)]) -> AdaptationMethod {
        guard var best = scores.first(where: { $0.0 == .sourceOnly }) ?? scores.first else { return .sourceOnly }
        let floor = best.0 == .sourceOnly ? best.1.macroF1 : -Double.infinity
        for s in scores where s.1.macroF1 >= floor && s.1.macroF1 > best.1.macroF1 + tieMargin { best = s }
        return best.0
    }
}
