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
        public var methods: [AdaptationMethod] = AdaptationMethod.allCases.filter { $0 != .sourceOnly }
        /// Few-shot sizes K (labeled target examples; needs labeled target data).
        public var shots: [Int] = [0, 50, 200]
        /// The method of the few-shot rows (science: the adapted head warm-started from its weights).
        public var fewShotMethod: AdaptationMethod = .sourceOnly
        /// The chart's title (nil: made from the file names).
        public var title: String? = nil
        /// The defaults.
        public init() {}
    }

    /// The data of a comparison.
    public struct Data: Sendable {
        /// Labeled source data and the names of its files.
        public var source: LabeledDataset
        public var sourceNames: [String]
        /// Unlabeled target documents and the name of their file.
        public var target: [String]
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
        if adapted == nil, options.methods.contains(where: \.usesAdaptedVectors) {
            adapted = try adapter(.embeddingsSelfTrain).buildVectors(base: base, source: data.source, target: data.target)
        }
        try add("source-only", .baseline, method: .sourceOnly, labels: 0) {
            try adapter(.sourceOnly).adapt(base: base, source: data.source, target: data.target).head
        }
        for method in options.methods where method != .sourceOnly {
            try add(method.title, .method, method: method, labels: 0) {
                let r = try adapter(method).adapt(base: base, source: data.source, target: data.target, vectors: adapted)
                report.notes += r.notes.map { "\(method.title): " + $0 }
                return r.head
            }
        }
        if let labeled = data.targetLabeled {
            var rng = SeededRandom(seed: options.adapter.seed ^ 0xF5)
            var order = Array(0..<labeled.count)
            order.shuffle(using: &rng)
            for k in options.shots {
                let kk = min(max(0, k), labeled.count)
                if kk == 0, options.fewShotMethod == .sourceOnly, let s = report.rows.first {
                    report.rows.append(AdaptationRow(name: "few-shot K=0", kind: .fewShot, method: .sourceOnly, usesTargetLabels: 0,
                                                     seconds: s.seconds, scores: s.scores))
                    continue
                }
                try add("few-shot K=\(kk)", .fewShot, method: options.fewShotMethod, labels: kk) {
                    try adapter(options.fewShotMethod).adapt(base: base, source: data.source, target: data.target,
                                                             targetLabeled: kk > 0 ? labeled.subset(Array(order[..<kk])) : nil,
                                                             vectors: adapted).head
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
