/// The comparison behind `wordshift classify compare`: the source-only baseline, every
/// adaptation method, few-shot heads with K labeled target examples and the in-domain upper
/// bound, each scored on labeled target test sets. Every row is one ``DomainAdapter`` call (or,
/// for the bounds, one `Classifier.train`), so the table measures exactly what `classify adapt`
/// saves.
public struct AdaptationComparison: Sendable {
    /// What to compare.
    public struct Options: Sendable {
        /// Settings of every adapter call (the method is set per row).
        public var adapter = DomainAdapter.Options()
        /// Methods compared beside the source-only baseline.
        public var methods: [AdaptationMethod] = AdaptationMethod.concrete.filter { $0 != .sourceOnly }
        /// Add the row of `--method auto`: `DomainAdapter`'s rule over the compared methods that are
        /// auto candidates (the first in preference order not predicted to hurt by reverse
        /// validation, otherwise source-only; no target label read).
        public var auto = true
        /// Few-shot sizes K (labeled target examples; needs labeled target data).
        public var shots: [Int] = [0, 50, 200, 1000]
        /// The method whose head the few-shot rows fine-tune on K labels (``FewShot``, as
        /// `classify adapt --target-labeled` does); `.auto`: the automatically chosen one.
        public var fewShotMethod: AdaptationMethod = .auto
        /// The chart's title (nil: made from the file names).
        public var title: String? = nil
        /// The defaults.
        public init() {}
    }

    /// The data of a comparison.
    public struct Data: Sendable {
        /// Labeled source data (all source files together).
        public var source: LabeledDataset
        /// The names of the source files (the report's title and provenance).
        public var sourceNames: [String]
        /// Unlabeled target documents.
        public var target: [String]
        /// The name of the unlabeled target file.
        public var targetName: String
        /// Labeled target data for the few-shot rows and the in-domain bound (optional).
        public var targetLabeled: LabeledDataset?
        /// Labeled target test sets (their `source` names the columns).
        public var tests: [LabeledDataset]

        /// A comparison's inputs.
        public init(source: LabeledDataset, sourceNames: [String], target: [String], targetName: String,
                    targetLabeled: LabeledDataset? = nil, tests: [LabeledDataset]) {
            self.source = source
            self.sourceNames = sourceNames
            self.target = target
            self.targetName = targetName
            self.targetLabeled = targetLabeled
            self.tests = tests
        }
    }

    /// What to compare.
    public var options: Options
    /// Receives every adapter's progress and one `.log` line per finished row.
    public var progress: ProgressHandler?

    /// A comparison with `options`.
    public init(options: Options = Options(), progress: ProgressHandler? = nil) {
        self.options = options
        self.progress = progress
    }

    /// Runs every row over `base` (the store's vectors). `vectors`: adapted vectors to use
    /// (otherwise one Mittens run serves every method that needs them).
    public func run(base: EmbeddingIndex, data: Data, vectors: AdaptedVectors? = nil) throws -> AdaptationReport {
        guard !data.tests.isEmpty else { throw WordshiftError.invalidArgument("a comparison needs at least one labeled test set") }
        try LabeledDataReader.requireTwoClasses(data.source)
        let log = ProgressReporter(progress).log
        var report = AdaptationReport(title: "", sources: data.sourceNames, sourceExamples: data.source.count,
                                      targetUnlabeled: data.targetName, targetUnlabeledExamples: data.target.count,
                                      tests: data.tests.map(\.source), rows: [], notes: [])
        report.title = options.title ?? report.defaultTitle()
        func scores(_ head: ClassifierHead) -> [AdaptationRow.Score] {
            data.tests.map { t in
                let m = head.evaluate(t, threads: options.adapter.threads)
                return AdaptationRow.Score(test: t.source, accuracy: m.accuracy, macroF1: m.macroF1, gapClosed: nil)
            }
        }
        func add(_ name: String, _ kind: AdaptationRow.Kind, method: AdaptationMethod?, labels: Int,
                 _ body: () throws -> ClassifierHead) throws {
            let t0 = System.now()
            let head = try body()
            let row = AdaptationRow(name: name, kind: kind, method: method, usesTargetLabels: labels, seconds: System.now() - t0,
                                    scores: scores(head))
            log(name + ": " + row.scores.map { Format.percent($0.accuracy) }.joined(separator: " "))
            report.rows.append(row)
        }
        func adapter(_ method: AdaptationMethod) -> DomainAdapter {
            var o = options.adapter
            o.method = method
            return DomainAdapter(options: o, progress: progress)
        }
        var adapted = vectors
        if adapted == nil, options.methods.contains(where: \.usesAdaptedVectors)
            || (options.fewShotMethod.usesAdaptedVectors && data.targetLabeled != nil) {
            adapted = try adapter(.embeddingsSelfTrain).buildVectors(base: base, source: data.source, target: data.target)
        }
        var results: [AdaptationMethod: AdaptedClassifier] = [:]
        // One label-free prior estimate serves every row.
        let prior = try adapter(.sourceOnly).estimatePrior(base: base, source: data.source, target: data.target)
        report.notes.append(prior.summary)
        report.targetPrior = prior
        try add("source-only", .baseline, method: .sourceOnly, labels: 0) {
            let r = try adapter(.sourceOnly).adapt(base: base, source: data.source, target: data.target, prior: prior)
            results[.sourceOnly] = r
            report.notes += r.notes.map { "source-only: " + $0 }
            return r.head
        }
        let methods = options.methods.filter { $0 != .sourceOnly && $0 != .auto }
        for method in methods {
            try add(method.title, .method, method: method, labels: 0) {
                let r = try adapter(method).adapt(base: base, source: data.source, target: data.target, vectors: adapted, prior: prior)
                report.notes += r.notes.map { "\(method.title): " + $0 }
                results[method] = r
                return r.head
            }
        }
        // The automatic choice among the rows above, by the adapters' own reverse-validation scores and
        // the same source-only replicates and rule as `DomainAdapter` (no target label read).
        var choice = AdaptationMethod.sourceOnly
        if options.auto || options.fewShotMethod == .auto {
            let candidates = options.adapter.autoCandidates.filter { methods.contains($0) }
                .compactMap { m in results[m]?.estimates.first.map { (m, $0.reverse) } }
            let own = results[.sourceOnly]?.estimates.first.map { [$0.reverse] } ?? []
            let replicates = try adapter(.sourceOnly).sourceOnlyReplicates(base: base, source: data.source, target: data.target)
            let decision = AdaptationEstimate.decide(candidates: candidates, sourceOnly: own + replicates)
            choice = decision.choice
            if options.auto, let row = report.rows.first(where: { $0.method == choice }) {
                var r = row
                r.name = "auto"
                r.kind = .method
                r.method = .auto
                report.rows.append(r)
            }
            report.notes.append(decision.summary)
            report.autoDecision = decision
        }
        if let labeled = data.targetLabeled {
            var rng = SeededRandom(seed: options.adapter.seed ^ 0xF5)
            var order = Array(0..<labeled.count)
            order.shuffle(using: &rng)
            let startMethod = options.fewShotMethod == .auto ? choice : options.fewShotMethod
            if results[startMethod] == nil {
                results[startMethod] = try adapter(startMethod).adapt(base: base, source: data.source, target: data.target, vectors: adapted,
                                                                      prior: prior)
            }
            guard let start = results[startMethod] else { throw WordshiftError.invalidArgument("internal: no few-shot start head") }
            for k in options.shots {
                let kk = min(max(0, k), labeled.count)
                // The adapted head (K = 0), fine-tuned on the first K of a seeded order of the labels: what
                // `classify adapt --target-labeled` does after the same adaptation.
                try add("few-shot K=\(kk)", .fewShot, method: startMethod, labels: kk) {
                    guard kk > 0 else { return start.head }
                    let r = try FewShot.fineTune(start: start.head, index: start.vectors?.index ?? base,
                                                 labeled: labeled.subset(Array(order[..<kk])),
                                                 config: start.head.model.config, options: options.adapter.fewShot)
                    report.notes.append("few-shot K=\(kk) from \(startMethod.title): "
                        + (r.anchorWeight.map { "fine-tuned, anchor weight \($0)" } ?? "adapted head kept")
                        + "; cross-validated accuracy (kept head first) " + r.accuracies.map { Format.percent($0) }.joined(separator: " / "))
                    return r.head
                }
            }
            let config = options.adapter.classifierConfig(for: base)
            try add("in-domain (upper bound)", .upperBound, method: nil, labels: labeled.count) {
                try Classifier.train(index: base, train: labeled, config: config).head
            }
            if let adapted {
                // The same head family over the adapted vectors: the gap is measured to the better bound.
                try add("in-domain, adapted vectors", .upperBound, method: nil, labels: labeled.count) {
                    try Classifier.train(index: adapted.index, train: labeled,
                                         config: options.adapter.classifierConfig(for: adapted.index)).head
                }
            }
        }
        report.computeGaps()
        return report
    }
}
