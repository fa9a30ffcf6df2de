/// Training entry point: labeled data in, a head (not yet saved) and its report out.
public enum Classifier {
    /// A trained head with what its training saw and reached.
    public struct Result: Sendable {
        /// The trained head; save it with ``HeadStore/save(_:name:metrics:to:vectorSet:newVectorSet:provenance:)``.
        public var head: ClassifierHead
        /// Epochs run, the best epoch and its validation accuracies.
        public var training: HogwildTrainer.Report
        /// Metrics on the validation data (the file, or the held-out split).
        public var validation: ClassificationMetrics?
        /// Training examples used (after holding out the validation share).
        public var trainCount: Int
        /// Validation examples (the file's, or the held-out share; 0 when there are none).
        public var validCount: Int
    }

    /// Extra examples for adaptation methods: unlabeled target text (for the domain
    /// classifier) and weighted labeled examples (pseudo-labels, few-shot target labels).
    public struct Extra: Sendable {
        /// Unlabeled texts (e.g. target-domain reviews): used only by the domain classifier, when ``adversarialWeight`` is above 0.
        public var unlabeled: [String] = []
        /// Labeled examples added to the training data (pseudo-labels or few-shot target labels).
        public var labeled: LabeledDataset?
        /// Loss weight of each example of ``labeled`` (1: as much as a training example).
        public var labeledWeight: Float = 1
        /// Weight of the reversed domain-classifier gradient (0: no domain classifier).
        public var adversarialWeight: Float = 0
        /// No extra examples.
        public init() {}
    }

    /// Trains a head over `index` (the store's vectors). Without `valid`, a seeded
    /// `config.validFraction` of `train` is held out for early stopping.
    public static func train(index: EmbeddingIndex, train: LabeledDataset, valid: LabeledDataset? = nil,
                             config: ClassifierConfig, extra: Extra = Extra(), progress: ProgressHandler? = nil) throws -> Result {
        try LabeledDataReader.requireTwoClasses(train)
        guard config.dimension == index.dimension, config.features.storeCount == index.count else {
            throw WordshiftError.invalidArgument("configuration has dimension \(config.dimension) over \(config.features.storeCount) words; the store has \(index.dimension) over \(index.count)")
        }
        try config.validate()
        var labels = train.labels
        if let l = extra.labeled { for name in l.labels where !labels.contains(name) { labels.append(name) } }
        var trainPart = train.relabeled(to: labels)
        var validPart = valid?.relabeled(to: labels)
        if validPart == nil && config.validFraction > 0 && train.count >= 20 {
            var rng = SeededRandom(seed: config.seed ^ 0xDA7A)
            var idx = Array(0..<train.count)
            idx.shuffle(using: &rng)
            let k = max(1, Int(Double(train.count) * config.validFraction))
            validPart = trainPart.subset(Array(idx[..<k]).sorted())
            trainPart = trainPart.subset(Array(idx[k...]).sorted())
        }
        let lookup: @Sendable (String) -> Int? = { index.id(of: $0) }
        let threads = Parallel.clampThreads(config.threads)
        var set = TrainingSet()
        set.append(EncodedDocs.encode(trainPart.texts, config: config.features, lookup: lookup, threads: threads),
                   labels: trainPart.labelIDs)
        if let l = extra.labeled {
            let part = l.relabeled(to: labels)
            set.append(EncodedDocs.encode(part.texts, config: config.features, lookup: lookup, threads: threads),
                       labels: part.labelIDs, weight: extra.labeledWeight, domain: 1)
        }
        if config.balanceClasses { set.balance(classes: labels.count) }
        if !extra.unlabeled.isEmpty {
            set.append(EncodedDocs.encode(extra.unlabeled, config: config.features, lookup: lookup, threads: threads),
                       labels: [Int](repeating: -1, count: extra.unlabeled.count), domain: 1)
        }
        let model = ClassifierModel(config: config, labelCount: labels.count, vectors: index)
        if let start = config.warmStart {
            // Few-shot fine-tuning: every parameter starts where the given head ended.
            guard start.labels == labels else {
                throw WordshiftError.invalidArgument("the warm-start head has labels \(start.labels.joined(separator: ", ")); "
                    + "the training data has \(labels.joined(separator: ", ")): they must be the same, in the same order")
            }
            guard model.sameLayout(as: start.model) else {
                throw WordshiftError.invalidArgument("the warm-start head has another feature layout (store rows, buckets, n-grams, "
                    + "dimension or hidden units) than this training; train with the head's own configuration")
            }
            let copied = start.model.touched
            model.copy(from: start.model)
            model.markTouched(set.docs)
            model.initialiseTrainable(seed: config.seed, except: copied)
        } else {
            model.markTouched(set.docs)
            model.initialiseTrainable(seed: config.seed)
        }
        let validDocs = validPart.map { EncodedDocs.encode($0.texts, config: config.features, lookup: lookup, threads: threads) }
        var trainer = HogwildTrainer(adversarialWeight: extra.adversarialWeight, progress: progress)
        if let start = config.warmStart, config.anchorWeight > 0 { trainer.anchor = (start.model, config.anchorWeight) }
        let report = trainer.train(model, on: set, valid: validDocs.flatMap { d in validPart.map { (d, $0.labelIDs) } })
        let head = ClassifierHead(labels: labels, model: model, vectors: index)
        guard head.parameters().allSatisfy({ $0.floats.allSatisfy(\.isFinite) }) else {
            throw WordshiftError.invalidArgument("training diverged (the head's weights are not finite); nothing was saved: "
                + "lower --lr (now \(config.learningRate))")
        }
        var metrics: ClassificationMetrics?
        if let validPart, let validDocs {
            let p = model.predict(validDocs, threads: threads)
            metrics = ClassificationMetrics(labels: labels, gold: validPart.labelIDs,
                                            predicted: (0..<validPart.count).map { ArgMax.of(p, row: $0, width: labels.count) })
        }
        return Result(head: head, training: report, validation: metrics, trainCount: trainPart.count, validCount: validPart?.count ?? 0)
    }
}
