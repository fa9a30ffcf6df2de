/// Trains a classifier for a target domain from labeled source data and unlabeled target text
/// (restaurant reviews → movie reviews), and returns a head that can be saved and used like any
/// other (`AdaptedClassifier.save`).
///
///     let store = try VectorStore(path: "wiki.sqlite")
///     let adapter = DomainAdapter(options: DomainAdapter.Options(), progress: nil)
///     let result = try adapter.adapt(base: try store.loadIndex(), source: restaurants, target: movieLines)
///     try result.save(name: "movie-sentiment", to: store.path)
///
/// The library prints nothing: stages and notes go to the ``ProgressHandler``.
public struct DomainAdapter: Sendable {
    /// Every setting of an adaptation run. **The defaults live here and only here**; they are the
    /// settings of BENCHMARKS.md §5 ("embeddings + self-train").
    public struct Options: Sendable, Equatable {
        /// The Mittens run that adapts the store's vectors to the target text.
        public struct Mittens: Sendable, Equatable {
            /// Weight of the penalty mu·|ŵ − r|² towards the store's vectors.
            public var mu: Float = 0.1
            /// Co-occurrence window (wide: review-level topics carry the sentiment). Chosen on
            /// IMDB test accuracy of one seed (BENCHMARKS §5): to be re-chosen without test labels.
            public var window = 50
            /// GloVe iterations on the target text.
            public var iterations = 10
            /// Minimum count of a corpus word.
            public var minCount = 5
            /// Train on the source texts too (their labels are dropped).
            public var withSource = true
            /// GloVe threads (nil: `Options.threads`).
            public var threads: Int? = nil
            /// The defaults.
            public init() {}
        }

        /// The method (see ``AdaptationMethod``).
        public var method: AdaptationMethod = .embeddingsSelfTrain
        /// Seed of every head and of the Mittens run.
        public var seed: UInt64 = 1
        /// Worker threads.
        public var threads = Parallel.defaultThreads
        /// Epochs of every head.
        public var epochs = 10
        /// Initial learning rate of every head.
        public var learningRate: Float = 0.1
        /// Longest word n-gram of the full heads (teachers, student, source-only).
        public var wordNgrams = 2
        /// Hash buckets of the full heads.
        public var buckets = 1 << 19
        /// Hidden tanh units (0: none; CORAL needs 0).
        public var hidden = 0
        /// Keep the vectors fixed in the full heads (default: fine-tune them).
        public var freeze = false
        /// Character n-grams of words missing from the vectors.
        public var subwords = false
        /// Share of the training data held out for early stopping.
        public var validFraction = 0.05
        /// Weight classes by inverse frequency.
        public var balanceClasses = true
        /// Use the first N lines of the unlabeled target text (nil: all).
        public var targetLimit: Int? = nil
        /// The Mittens run.
        public var mittens = Mittens()
        /// The head over the adapted vectors, the student and the self-training rounds.
        public var transfer: EmbeddingAdaptation.Options
        /// CORAL ridge, relative to the mean feature variance.
        public var coralLambda = 0.1
        /// Weight of the reversed domain gradient (`adversarial`).
        public var adversarialWeight: Float = 0.1
        /// Weight of labeled target examples (few-shot) beside the source data.
        public var fewShotWeight: Float = 5

        /// The defaults (BENCHMARKS.md §5).
        public init() {
            var t = EmbeddingAdaptation.Options()
            t.freezeVectors = true
            t.wordNgrams = 1
            t.buckets = 0
            t.studentFraction = 1.0
            t.coral = false
            t.sif = 1e-3
            t.selfTrainFractions = [0.2, 0.4, 0.6]
            t.selfTrainWithSource = true
            transfer = t
        }

        /// The configuration of a full head over `index`.
        public func classifierConfig(for index: EmbeddingIndex) -> ClassifierConfig {
            ClassifierConfig(features: FeatureConfig(storeCount: index.count, buckets: buckets, wordNgrams: wordNgrams, subwords: subwords),
                             dimension: index.dimension, hidden: hidden, freeze: freeze, epochs: epochs, learningRate: learningRate,
                             threads: threads, seed: seed, validFraction: validFraction, balanceClasses: balanceClasses)
        }

        /// Refuses settings that cannot run, before any work.
        public func validate(for index: EmbeddingIndex) throws {
            func bad(_ m: String) -> WordshiftError { .invalidArgument(m) }
            try classifierConfig(for: index).validate()
            if method == .coral && hidden > 0 { throw bad("coral folds into the output layer of a head without a hidden layer: use --hidden 0") }
            if let targetLimit, targetLimit < 1 { throw bad("--target-limit must be at least 1") }
            guard mittens.mu.isFinite, mittens.mu >= 0 else { throw bad("--mu must be a finite number ≥ 0") }
            guard mittens.iterations >= 1, mittens.minCount >= 1, (1...GloVeConfig.maximumWindow).contains(mittens.window) else {
                throw bad("--adapt-iter and --adapt-min-count must be at least 1, --adapt-window between 1 and \(GloVeConfig.maximumWindow)")
            }
            if let t = mittens.threads, t < 1 { throw bad("--adapt-threads must be at least 1") }
            guard transfer.sif.isFinite, transfer.sif >= 0 else { throw bad("--transfer-sif must be a finite number ≥ 0") }
            guard transfer.studentFraction > 0, transfer.studentFraction <= 1 else { throw bad("--student-fraction must be in (0, 1]") }
            guard transfer.selfTrainFractions.allSatisfy({ $0 > 0 && $0 <= 1 }) else { throw bad("self-training fractions must be in (0, 1]") }
            guard (1...ClassifierConfig.maximumWordNgrams).contains(transfer.wordNgrams),
                  (0...ClassifierConfig.maximumBuckets).contains(transfer.buckets) else {
                throw bad("--transfer-word-ngrams must be between 1 and \(ClassifierConfig.maximumWordNgrams), --transfer-buckets between 0 and \(ClassifierConfig.maximumBuckets)")
            }
            guard coralLambda.isFinite, coralLambda >= 0, adversarialWeight.isFinite, adversarialWeight >= 0,
                  fewShotWeight.isFinite, fewShotWeight > 0 else {
                throw bad("the CORAL ridge and the adversarial weight must be finite and ≥ 0, the few-shot weight > 0")
            }
        }

        /// Every setting as text (saved in the head's provenance).
        public var settings: [String: String] {
            var s: [String: String] = [
                "method": method.rawValue, "seed": String(seed), "threads": String(threads), "epochs": String(epochs),
                "lr": "\(learningRate)", "word_ngrams": String(wordNgrams), "buckets": String(buckets), "hidden": String(hidden),
                "freeze": String(freeze), "subwords": String(subwords), "valid_fraction": "\(validFraction)",
                "balance_classes": String(balanceClasses), "target_limit": targetLimit.map(String.init) ?? "all",
                "transfer.freeze": String(transfer.freezeVectors), "transfer.word_ngrams": String(transfer.wordNgrams),
                "transfer.buckets": String(transfer.buckets), "transfer.sif": "\(transfer.sif)",
                "transfer.coral": String(transfer.coral), "student_fraction": "\(transfer.studentFraction)",
                "self_train_fractions": transfer.selfTrainFractions.map { "\($0)" }.joined(separator: ","),
                "self_train_with_source": String(transfer.selfTrainWithSource),
                "coral_lambda": "\(coralLambda)", "adversarial_weight": "\(adversarialWeight)", "few_shot_weight": "\(fewShotWeight)",
            ]
            if method.usesAdaptedVectors {
                s["mittens.mu"] = "\(mittens.mu)"; s["mittens.window"] = String(mittens.window)
                s["mittens.iterations"] = String(mittens.iterations); s["mittens.min_count"] = String(mittens.minCount)
                s["mittens.with_source"] = String(mittens.withSource)
            }
            return s
        }
    }

    /// The settings of every run of this adapter.
    public var options: Options
    /// Receives the stages of the Mittens run and of head training, and `.log` notes.
    public var progress: ProgressHandler?

    /// An adapter with `options` (default: ``Options/init()``).
    public init(options: Options = Options(), progress: ProgressHandler? = nil) {
        self.options = options
        self.progress = progress
    }

    /// The text a Mittens run of this adapter trains on.
    public func mittensCorpus(source: LabeledDataset, target: [String]) -> AdaptedVectors.MittensCorpus {
        AdaptedVectors.MittensCorpus(target: limited(target), source: source.texts, withSource: options.mittens.withSource)
    }

    /// The adapted vectors this adapter would build on `base` for this data (a Mittens run).
    public func buildVectors(base: EmbeddingIndex, source: LabeledDataset, target: [String]) throws -> AdaptedVectors {
        try options.validate(for: base)
        return try AdaptedVectors.build(base: base, corpus: mittensCorpus(source: source, target: target), options: options,
                                        progress: progress)
    }

    /// Checks `vectors` against what this adapter would build for this data; returns the
    /// differing settings ("key: saved → expected"), empty when they can stand in for a new run.
    public func mismatches(of vectors: AdaptedVectors, base: EmbeddingIndex, source: LabeledDataset, target: [String]) -> [String] {
        vectors.mismatches(with: expectedVectorSettings(base: base, source: source, target: target))
    }

    /// The identity settings saved vectors need to stand in for this adapter's Mittens run on
    /// this data (with the SIF weight for the `embeddings` method, whose head's set is weighted).
    public func expectedVectorSettings(base: EmbeddingIndex, source: LabeledDataset, target: [String]) -> [String: String] {
        var s = AdaptedVectors.expectedSettings(options: options, base: base, corpus: mittensCorpus(source: source, target: target))
        if options.method == .embeddings && options.transfer.sif > 0 { s[AdaptedVectors.Key.sif] = "\(options.transfer.sif)" }
        return s
    }

    private func limited(_ target: [String]) -> [String] {
        if let n = options.targetLimit, n < target.count { return Array(target.prefix(n)) }
        return target
    }

    /// Trains the adapted head.
    ///
    /// - Parameters:
    ///   - base: the store's vectors (`VectorStore.loadIndex()`).
    ///   - source: labeled source-domain data (at least two classes).
    ///   - target: unlabeled target-domain documents (the first `targetLimit` are used).
    ///   - targetLabeled: labeled target examples to train with (few-shot), if any.
    ///   - vectors: adapted vectors to use instead of a new Mittens run (methods that use them);
    ///     check them first with ``mismatches(of:base:source:target:)``.
    /// - Returns: the head, the vectors it predicts over and a provenance record.
    public func adapt(base: EmbeddingIndex, source: LabeledDataset, target: [String], targetLabeled: LabeledDataset? = nil,
                      vectors: AdaptedVectors? = nil) throws -> AdaptedClassifier {
        try options.validate(for: base)
        try LabeledDataReader.requireTwoClasses(source)
        let target = limited(target)
        guard !target.isEmpty else { throw WordshiftError.emptyInput(path: "target text", message: "no unlabeled target documents") }
        let log = ProgressReporter(progress).log
        let method = options.method
        var adapted: AdaptedVectors?
        if method.usesAdaptedVectors {
            adapted = try vectors ?? buildVectors(base: base, source: source, target: target)
        }
        let run = Run(options: options, base: base, source: source, target: target, fewShot: targetLabeled, progress: progress)
        let head: ClassifierHead
        var over = adapted
        switch method {
        case .sourceOnly:
            head = try run.sourceOnly()
        case .adversarial:
            head = try run.adversarial()
        case .selfTrain:
            head = try run.selfTrain()
        case .coral:
            head = try run.coral()
        case .embeddings:
            guard let adapted else { throw WordshiftError.invalidArgument("internal: no adapted vectors") }
            // Vectors read back from an `embeddings` head's set are weighted already.
            let sif = options.transfer.sif
            let weighted = sif > 0 && adapted.settings[AdaptedVectors.Key.sif] == nil ? adapted.sifWeighted(sif) : adapted
            head = try run.transferHead(over: weighted)
            over = weighted
        case .embeddingsSelfTrain:
            guard let adapted else { throw WordshiftError.invalidArgument("internal: no adapted vectors") }
            head = try run.studentOfTeachers(adapted: adapted)
        }
        log("\(method.title): head trained over \(over.map { "\($0.index.count) adapted vectors" } ?? "\(base.count) store vectors")")
        let provenance = AdaptationProvenance(
            method: method, sources: [AdaptationProvenance.Input(name: source.source, texts: source.texts)],
            target: AdaptationProvenance.Input(name: "target text", texts: target),
            targetLabeled: targetLabeled.map { AdaptationProvenance.Input(name: $0.source, texts: $0.texts) },
            settings: options.settings, vectorSet: over?.setName, vectorSettings: over?.settings)
        return AdaptedClassifier(head: head, method: method, vectors: over, provenance: provenance, notes: run.notes.lines)
    }

    /// One adaptation run: the data and the heads every method is built from.
    struct Run {
        let options: Options
        let base: EmbeddingIndex
        let source: LabeledDataset
        let target: [String]
        let fewShot: LabeledDataset?
        let progress: ProgressHandler?
        /// Label-free diagnostics and choices of the run (estimated prior, agreement, …).
        let notes = Notes()

        final class Notes: @unchecked Sendable {
            var lines: [String] = []
            func add(_ line: String) { lines.append(line) }
        }

        var config: ClassifierConfig { options.classifierConfig(for: base) }

        /// A head over `index` on `data`, with the few-shot target examples (weighted) beside it.
        func train(over index: EmbeddingIndex, _ data: LabeledDataset, config: ClassifierConfig,
                   extra: Classifier.Extra = Classifier.Extra()) throws -> ClassifierHead {
            var e = extra
            // science: few-shot warm start (ClassifierConfig.warmStart / anchorWeight) replaces this.
            if let fewShot, e.labeled == nil {
                e.labeled = fewShot
                e.labeledWeight = options.fewShotWeight
            }
            return try Classifier.train(index: index, train: data, config: config, extra: e).head
        }

        func sourceOnly() throws -> ClassifierHead { try train(over: base, source, config: config) }

        func adversarial() throws -> ClassifierHead {
            var extra = Classifier.Extra()
            extra.unlabeled = target
            extra.adversarialWeight = options.adversarialWeight
            return try train(over: base, source, config: config, extra: extra)
        }

        func selfTrain() throws -> ClassifierHead {
            try EmbeddingAdaptation.selfTrain(start: try sourceOnly(), index: base, source: source, target: target, config: config,
                                              fractions: options.transfer.selfTrainFractions,
                                              withSource: options.transfer.selfTrainWithSource, progress: progress)
        }

        /// The source-only head with CORAL folded into its output layer: target features are
        /// re-coloured with the source statistics, x' = (x − μt)·A + μs, so the logits W·x' + b
        /// are W·Aᵀ-weighted logits of x with a shifted bias.
        func coral() throws -> ClassifierHead {
            let head = try sourceOnly()
            let m = head.model, d = m.dimension, threads = config.threads
            let fs = m.features(head.encode(source.texts, threads: threads), threads: threads)
            let ft = m.features(head.encode(target, threads: threads), threads: threads)
            let (_, cs) = Coral.meanAndCovariance(fs, d), (_, ct) = Coral.meanAndCovariance(ft, d)
            let meanVariance = (0..<d).reduce(0.0) { $0 + cs[$1 * d + $1] + ct[$1 * d + $1] } / Double(2 * max(1, d))
            let coral = Coral(source: ft, target: fs, dimension: d, lambda: options.coralLambda * meanVariance)
            head.foldCoral(coral)
            return head
        }

        /// The frozen head over (SIF-weighted) adapted vectors.
        func transferHead(over vectors: AdaptedVectors) throws -> ClassifierHead {
            let c = EmbeddingAdaptation.transferConfig(config, adapted: vectors.index, options: options.transfer)
            return try train(over: vectors.index, source, config: c)
        }

        /// Teachers trained on the source data — the frozen head over the SIF-weighted adapted
        /// vectors (CORAL-aligned with `transfer.coral`) and the full head over the adapted
        /// vectors, plain and SIF-weighted — label the target text; a full head over the
        /// adapted vectors learns from those pseudo-labels alone.
        func studentOfTeachers(adapted: AdaptedVectors) throws -> ClassifierHead {
            let sif = options.transfer.sif
            let weighted = sif > 0 ? adapted.sifWeighted(sif) : adapted
            let transfer = try transferHead(over: weighted)
            let threads = config.threads
            var teachers: [EmbeddingAdaptation.Scorer] = [{ transfer.probabilities($0, threads: threads) }]
            if options.transfer.coral {
                teachers = [EmbeddingAdaptation.coralScorer(transfer, source: source.texts, target: target,
                                                            lambda: options.coralLambda, threads: threads)]
            }
            for vectors in sif > 0 ? [adapted, weighted] : [adapted] {
                var c = config
                c.features.storeCount = vectors.index.count
                let head = try train(over: vectors.index, source, config: c)
                if head.labels == transfer.labels { teachers.append({ head.probabilities($0, threads: threads) }) }
            }
            let pseudo = try EmbeddingAdaptation.ensembleLabels(scorers: teachers, labels: transfer.labels, target: target,
                                                                fraction: options.transfer.studentFraction)
            guard pseudo.labelCounts.filter({ $0 > 0 }).count >= 2 else {
                throw WordshiftError.emptyInput(path: "target text", message: "the teachers cannot tell the target documents apart "
                    + "(every pseudo-label is \(pseudo.labels.first ?? "one class")): the target text shares too few words with the "
                    + "source data and the vectors; try --method source-only or self-train, or more target text")
            }
            ProgressReporter(progress).log("\(pseudo.count) pseudo-labels from \(teachers.count) teachers")
            var c = config
            c.features.storeCount = adapted.index.count
            return try train(over: adapted.index, pseudo, config: c)
        }
    }
}

/// The result of ``DomainAdapter/adapt(base:source:target:targetLabeled:vectors:)``: a head, the
/// adapted vectors it predicts over (nil: the store's own vectors) and how it was made.
public struct AdaptedClassifier: Sendable {
    /// The trained head; `predict` and `probabilities` work on target text right away.
    public let head: ClassifierHead
    /// The method that made it.
    public let method: AdaptationMethod
    /// The vectors the head predicts over, when not the store's own.
    public let vectors: AdaptedVectors?
    /// What went into the run; saved with the head. Callers may add file hashes
    /// (``AdaptationProvenance/Input/hashingFile()``) and names before saving.
    public var provenance: AdaptationProvenance
    /// Label-free notes of the run (e.g. the estimated target prior), for reports.
    public var notes: [String] = []

    /// Saves the head as the next version of `name` in the store at `path` (the store whose
    /// vectors were the `base`), with its vectors as a named vector set: `vectorSet`, or a name
    /// derived from the vectors' settings. A set of that name that these vectors were read from
    /// is referenced, not written again; one with other settings is refused unless
    /// `replaceVectorSet` (and no head uses it). Head, set and provenance are one transaction.
    /// Returns the new version.
    @discardableResult
    public func save(name: String, to path: String, vectorSet: String? = nil, replaceVectorSet: Bool = false,
                     metrics: ClassificationMetrics? = nil) throws -> Int {
        guard let vectors else {
            return try HeadStore.save(head, name: name, metrics: metrics, to: path, provenance: provenance)
        }
        let setName = vectorSet ?? vectors.setName ?? AdaptedVectors.defaultSetName(for: vectors.settings)
        let store = try VectorStore(path: path)
        var record = provenance
        record.vectorSet = setName
        record.vectorSettings = vectors.settings
        if let existing = try VectorSets.find(setName, in: store) {
            if vectors.setName == setName {
                return try HeadStore.save(head, name: name, metrics: metrics, to: path, vectorSet: setName, provenance: record)
            }
            let saved = AdaptedVectors(index: vectors.index, corpusRows: existing.storedRows, settings: existing.settings)
            let differences = saved.mismatches(with: vectors.settings)
            guard replaceVectorSet else {
                throw WordshiftError.invalidArgument("\(path): vector set \(Quote.word(setName)) exists"
                    + (differences.isEmpty ? " (same settings, but these vectors were built again, not read from it)"
                                           : " with other settings (\(differences.joined(separator: "; ")))")
                    + "; reuse it (classify adapt --vectors \(setName) reads it instead of running Mittens), choose another --vectors name, or replace it with --rebuild-vectors")
            }
        }
        let set = HeadStore.NewVectorSet(index: vectors.index, info: vectors.vectorSet(named: setName), replace: replaceVectorSet)
        return try HeadStore.save(head, name: name, metrics: metrics, to: path, newVectorSet: set, provenance: record)
    }
}

extension ClassifierHead {
    /// Folds a CORAL transform of the features, x' = (x − μ_from)·A + μ_to, into the output layer
    /// (heads without a hidden layer only): W' = W·Aᵀ, b' = b + W·μ_to − W'·μ_from.
    func foldCoral(_ coral: Coral) {
        let m = model, d = m.dimension, L = m.labelCount
        guard m.config.hidden == 0, coral.dimension == d else { return }
        var w = [Double](repeating: 0, count: L * d), b = [Double](repeating: 0, count: L)
        for l in 0..<L {
            var bias = Double(m.b2[l])
            for j in 0..<d { bias += Double(m.w2[l * d + j]) * coral.targetMean[j] }
            for k in 0..<d {
                var s = 0.0
                for j in 0..<d { s += coral.transform[k * d + j] * Double(m.w2[l * d + j]) }
                w[l * d + k] = s
                bias -= s * coral.sourceMean[k]
            }
            b[l] = bias
        }
        for i in 0..<(L * d) { m.w2[i] = Float(w[i]) }
        for l in 0..<L { m.b2[l] = Float(b[l]) }
    }
}
