#if canImport(Glibc)
import Glibc
#endif

/// The target-adapted methods of `classify adapt`: a head over vectors adapted to the target
/// domain (Mittens, `GloVePipeline.adapt`), and iterated class-balanced self-training that
/// starts from any head.
public enum EmbeddingAdaptation {
    /// Settings of the `embeddings` head and of iterated self-training.
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
        /// Align the embeddings head's target features to the source statistics (CORAL) and use
        /// that as the teacher (off by default: 70% on IMDB as a head, and a worse teacher).
        public var coral = false
        /// Smooth inverse frequency weight a / (a + p(w)) on the embeddings head's vectors
        /// (p: the word's share of the adapted corpus); 0 disables it.
        public var sif = 1e-3
        /// Share of the unlabeled target text pseudo-labeled in each self-training round
        /// (the most confident, the same number per predicted class).
        public var selfTrainFractions: [Double] = [0.2, 0.4, 0.6]
        /// Keep the labeled source data in the self-training rounds (otherwise pseudo-labels only).
        public var selfTrainWithSource = true
        /// The defaults: a frozen, unigram-only head without buckets, SIF weight 10⁻³, no CORAL, and
        /// self-training rounds over 20%, 40% and 60% of the target text, with the source data kept.
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

    /// A copy of `index` with every row scaled by a / (a + p(w)), p(w) = count / total over the
    /// first `corpusRows` rows (the words counted in the adapted corpus; later rows, source
    /// words copied unchanged, keep weight 1). Averaging the scaled rows is the SIF-weighted
    /// mean (Arora et al. 2017): frequent, domain-marked words ("the", "movie") weigh less.
    public static func sifWeighted(_ index: EmbeddingIndex, a: Double, corpusRows: Int?) -> EmbeddingIndex {
        let n = min(index.count, corpusRows ?? index.count), d = index.dimension
        var total = 0.0
        for i in 0..<n { total += Double(index.counts[i] ?? 0) }
        var vectors = [Float](repeating: 0, count: index.count * d)
        for r in 0..<index.count {
            let p = r < n && total > 0 ? Double(index.counts[r] ?? 0) / total : 0
            let scale = index.norms[r] * Float(a / (a + p))
            let u = index.unit(r)
            for j in 0..<d { vectors[r * d + j] = u[j] * scale }
        }
        return EmbeddingIndex(words: index.words, counts: index.counts, dimension: d, vectors: vectors)
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
        return try ensembleLabels(scorers: heads.map { h in { h.probabilities($0, threads: threads) } }, labels: first.labels,
                                  target: target, fraction: fraction)
    }

    /// Class probabilities (rows of `labels.count`) for texts.
    public typealias Scorer = ([String]) -> [Float]

    /// A head whose target document features are re-coloured to the source statistics (CORAL,
    /// as the `coral` method does) before its output layer.
    public static func coralScorer(_ head: ClassifierHead, source: [String], target: [String], lambda: Double, threads: Int) -> Scorer {
        let m = head.model, d = m.dimension
        let fs = m.features(head.encode(source, threads: threads), threads: threads)
        let ft = m.features(head.encode(target, threads: threads), threads: threads)
        let (_, cs) = Coral.meanAndCovariance(fs, d), (_, ct) = Coral.meanAndCovariance(ft, d)
        let meanVariance = (0..<d).reduce(0.0) { $0 + cs[$1 * d + $1] + ct[$1 * d + $1] } / Double(2 * max(1, d))
        let coral = Coral(source: ft, target: fs, dimension: d, lambda: lambda * meanVariance)
        return { texts in
            let f = coral.apply(m.features(head.encode(texts, threads: threads), threads: threads))
            let n = d > 0 ? f.count / d : 0, L = m.labelCount
            var out = [Float](repeating: 0, count: n * L)
            let z = UnsafeMutablePointer<Float>.allocate(capacity: max(1, m.width))
            defer { z.deallocate() }
            f.withUnsafeBufferPointer { fb in
                out.withUnsafeMutableBufferPointer { ob in
                    guard let fp = fb.baseAddress, let op = ob.baseAddress else { return }
                    for i in 0..<n { m.probabilities(x: fp + i * d, z: z, out: op + i * L) }
                }
            }
            return out
        }
    }

    /// `ensembleLabels` over any probability sources with the given label names.
    public static func ensembleLabels(scorers: [Scorer], labels: [String], target: [String], fraction: Double) throws -> LabeledDataset {
        let L = labels.count, n = target.count
        guard L >= 2, n > 0, !scorers.isEmpty else { throw WordshiftError.emptyInput(path: "target", message: "no target text to pseudo-label") }
        var total = [Double](repeating: 0, count: n * L)
        for scorer in scorers {
            let p = scorer(target)
            guard p.count == n * L else { throw WordshiftError.invalidArgument("a teacher gave \(p.count) probabilities for \(n) × \(L)") }
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
        return LabeledDataset(labels: labels, texts: chosen.map { target[$0.0] }, labelIDs: chosen.map(\.1),
                              source: "ensemble pseudo-labels")
    }

    /// Iterated self-training: each round pseudo-labels the most confident share of `target`
    /// with the current head (class-balanced) and trains a new head with `config` over `index`
    /// on them (plus the source data with `withSource`). Returns the last head.
    public static func selfTrain(start: ClassifierHead, index: EmbeddingIndex, source: LabeledDataset, target: [String],
                                 config: ClassifierConfig, fractions: [Double], withSource: Bool,
                                 progress: ProgressHandler? = nil) throws -> ClassifierHead {
        let log = ProgressReporter(progress).log
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
