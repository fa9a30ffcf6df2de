/// Few-shot fine-tuning of an adapted head: K labeled target examples move the head only when
/// the examples themselves say it helps.
///
/// The start head (trained without target labels) is fine-tuned on the K examples with an L2
/// pull toward its own parameters (`ClassifierConfig.warmStart`, `anchorWeight`). Which pull
/// strength to use — or none of the fine-tuned heads at all — is chosen by cross-validation on
/// the K examples: the start head is scored on all of them (it never saw them), each candidate
/// weight on held-out folds of a fine-tuning on the rest. Only the K labels are looked at, so
/// with more labels the choice gets better, and a fine-tuned head replaces the start head only
/// when it scored better on held-out examples.
public enum FewShot {
    /// What cross-validation chooses among.
    public struct Options: Sendable, Equatable {
        /// Anchor weights tried, strongest first (ties go to the earlier one). 0 is plain
        /// fine-tuning from the start head. The grid went below 0.1 after cross-validation chose
        /// its weakest pull (0.1) at K = 1000 on every seed of BENCHMARKS §5.
        public var anchorWeights: [Float] = [10, 1, 0.1, 0.01, 0]
        /// Cross-validation folds (at most K).
        public var folds = 5
        /// Weights 10, 1, 0.1, 0.01 and 0; 5 folds.
        public init() {}
    }

    /// The head and how it was chosen.
    public struct Result: Sendable {
        /// The fine-tuned head, or the start head when it was kept.
        public var head: ClassifierHead
        /// The anchor weight used; nil when the start head was kept.
        public var anchorWeight: Float?
        /// Cross-validated accuracy on the K examples: the start head's first, then one per weight.
        public var accuracies: [Double]
    }

    /// `start` fine-tuned on `labeled` (or `start` itself, when cross-validation prefers it).
    /// `config` must be the start head's configuration over `index` (its vectors).
    public static func fineTune(start: ClassifierHead, index: EmbeddingIndex, labeled: LabeledDataset,
                                config: ClassifierConfig, options: Options = Options()) throws -> Result {
        let named = labeled.relabeled(to: start.labels)
        let data = named.subset((0..<named.count).filter { named.labelIDs[$0] >= 0 })
        let k = data.count
        guard k >= 2 else { return Result(head: start, anchorWeight: nil, accuracies: []) }
        var cfg = config
        cfg.warmStart = start
        cfg.validFraction = 0
        func accuracy(_ head: ClassifierHead, _ part: LabeledDataset) -> Double {
            let predicted = head.predict(part.texts, threads: cfg.threads)
            return Double(zip(predicted, part.labelIDs).filter { $0 == $1 }.count) / Double(max(1, part.count))
        }
        var accuracies = [accuracy(start, data)]
        let folds = max(2, min(options.folds, k))
        var order = Array(0..<k)
        var rng = SeededRandom(seed: config.seed ^ 0xF01D)
        order.shuffle(using: &rng)
        for weight in options.anchorWeights {
            cfg.anchorWeight = weight
            var right = 0.0
            for f in 0..<folds {
                let held = order.enumerated().filter { $0.offset % folds == f }.map(\.element).sorted()
                let rest = order.enumerated().filter { $0.offset % folds != f }.map(\.element).sorted()
                let train = data.subset(rest)
                // A fold whose training part lacks a class cannot train a head: it scores as the start head.
                guard Set(train.labelIDs).count >= 2 else { right += accuracy(start, data.subset(held)) * Double(held.count); continue }
                let head = try Classifier.train(index: index, train: train, config: cfg).head
                right += accuracy(head, data.subset(held)) * Double(held.count)
            }
            accuracies.append(right / Double(k))
        }
        var best = 0
        for i in 1..<accuracies.count where accuracies[i] > accuracies[best] { best = i }
        guard best > 0, Set(data.labelIDs).count >= 2 else { return Result(head: start, anchorWeight: nil, accuracies: accuracies) }
        cfg.anchorWeight = options.anchorWeights[best - 1]
        let head = try Classifier.train(index: index, train: data, config: cfg).head
        return Result(head: head, anchorWeight: cfg.anchorWeight, accuracies: accuracies)
    }
}
