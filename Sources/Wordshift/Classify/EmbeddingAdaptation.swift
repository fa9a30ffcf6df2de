#if canImport(Glibc)
import Glibc
#endif

/// The target-adapted methods of `classify adapt`: a head over vectors adapted to the target
/// domain (Mittens, `GloVePipeline.adapt`), and iterated class-balanced self-training that
/// starts from any head.
public enum EmbeddingAdaptation {
    public struct Options: Sendable, Equatable {
        /// Head over the adapted vectors: keep them fixed, so that target words the source data
        /// never shows still sit where the unlabeled target text put them next to source words.
        public var freezeVectors = true
        /// Longest word n-gram of that head (1: none, so no source-specific n-gram features).
        public var wordNgrams = 1
        /// Hash buckets of that head (0: the adapted vectors alone; unknown words are dropped).
        public var buckets = 0
        /// Share of the target text the `embeddings + self-train` student learns from: the
        /// documents with the largest combined teacher margin, the same number per class.
        public var studentFraction = 1.0
        /// Share of the unlabeled target text pseudo-labeled in each self-training round
        /// (the most confident, the same number per predicted class).
        public var selfTrainFractions: [Double] = [0.2, 0.4, 0.6]
        /// Keep the labeled source data in the self-training rounds (otherwise pseudo-labels only).
        public var selfTrainWithSource = false
        public init() {}
    }

    /// The head of the `embeddings` method: `config` over `adapted`, with the transfer settings.
    public static func transferConfig(_ config: ClassifierConfig, adapted: EmbeddingIndex, options: Options) -> ClassifierConfig {
        var c = config
        c.features.storeCount = adapted.count
        c.dimension = adapted.dimension
        c.freeze = options.freezeVectors
        c.features.wordNgrams = options.wordNgrams
        c.features.buckets = options.buckets
        return c
    }

    /// Pseudo-labels from several heads (same labels): each head's log-probabilities on `target`
    /// are standardised per class over the target text and summed; every class column is then
    /// centred on its median over the target text, so that no head's source-domain prior decides
    /// (for two classes: the threshold is the median margin, i.e. a balanced target is assumed);
    /// the `fraction` of documents with the largest margin (best minus second-best class),
    /// the same number per class, get the best class.
    public static func ensembleLabels(_ heads: [ClassifierHead], target: [String], fraction: Double, threads: Int) throws -> LabeledDataset {
        guard let first = heads.first, heads.allSatisfy({ $0.labels == first.labels }) else {
            throw WordshiftError.invalidArgument("ensemble pseudo-labels need heads with the same labels")
        }
        let L = first.labels.count, n = target.count
        guard L >= 2, n > 0 else { throw WordshiftError.emptyInput(path: "target", message: "no target text to pseudo-label") }
        var total = [Double](repeating: 0, count: n * L)
        for h in heads {
            let p = h.probabilities(target, threads: threads)
            for c in 0..<L {
                var col = (0..<n).map { Double(logf(max(p[$0 * L + c], 1e-12))) }
                let mean = col.reduce(0, +) / Double(n)
                let sd = (col.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n)).squareRoot()
                for i in 0..<n { col[i] = (col[i] - mean) / max(sd, 1e-12); total[i * L + c] += col[i] }
            }
        }
        if L == 2 {
            // Two classes: one margin, thresholded at its median.
            var margin = (0..<n).map { total[$0 * 2 + 1] - total[$0 * 2] }
            let median = margin.sorted()[n / 2]
            for i in 0..<n { margin[i] -= median; total[i * 2] = -margin[i] / 2; total[i * 2 + 1] = margin[i] / 2 }
        } else {
            for c in 0..<L {
                let median = (0..<n).map { total[$0 * L + c] }.sorted()[n / 2]
                for i in 0..<n { total[i * L + c] -= median }
            }
        }
        var byClass = [[(Double, Int)]](repeating: [], count: L)
        for i in 0..<n {
            var best = 0, second = -1
            for c in 1..<L where total[i * L + c] > total[i * L + best] { best = c }
            for c in 0..<L where c != best && (second < 0 || total[i * L + c] > total[i * L + second]) { second = c }
            byClass[best].append((total[i * L + best] - total[i * L + max(0, second)], i))
        }
        let per = max(1, Int(Double(n) * min(1, max(0, fraction))) / L)
        var chosen: [(Int, Int)] = []
        for c in 0..<L {
            chosen += byClass[c].sorted { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 < $1.1 }.prefix(per).map { ($0.1, c) }
        }
        chosen.sort { $0.0 < $1.0 }
        return LabeledDataset(labels: first.labels, texts: chosen.map { target[$0.0] }, labelIDs: chosen.map(\.1),
                              source: "ensemble pseudo-labels")
    }

    /// Iterated self-training: each round pseudo-labels the most confident share of `target`
    /// with the current head (class-balanced) and trains a new head with `config` over `index`
    /// on them (plus the source data with `withSource`). Returns the last head.
    public static func selfTrain(start: ClassifierHead, index: EmbeddingIndex, source: LabeledDataset, target: [String],
                                 config: ClassifierConfig, fractions: [Double], withSource: Bool,
                                 log: (String) -> Void = { _ in }) throws -> ClassifierHead {
        var head = start
        for (round, fraction) in fractions.enumerated() {
            let pseudo = DomainAdaptation.confident(head, texts: target, fraction: fraction, threads: config.threads)
            if withSource {
                var extra = Classifier.Extra()
                extra.labeled = pseudo
                head = try Classifier.train(index: index, train: source, config: config, extra: extra).head
            } else {
                let labeled = LabeledDataset(labels: pseudo.labels, texts: pseudo.texts, labelIDs: pseudo.labelIDs,
                                             source: "pseudo-labels round \(round + 1)")
                head = try Classifier.train(index: index, train: labeled, config: config).head
            }
            log("  self-train round \(round + 1): \(pseudo.count) pseudo-labels (\(Int(fraction * 100))% of the target text)")
        }
        return head
    }
}
