/// The class prior of a target domain estimated from its unlabeled text by confusion-corrected
/// prediction shares (black-box shift estimation, Lipton, Wang & Smola, "Detecting and
/// correcting for label shift with black box predictors", ICML 2018), cross-fitted over folds
/// of the source data.
///
/// The source data is split into ``defaultFolds`` stratified folds. Each fold's head, trained on
/// the other folds, labels that fold, which gives its confusion rates C[i][j] = P(predicted i |
/// true j) (pooled over the folds), and labels the target text, which gives the shares q[i] of
/// each predicted class (averaged over the folds). If the target differs from the source in its
/// class prior π only, q = C·π, so π = C⁻¹·q. Unlike EM on posteriors
/// (``LabelPrior/estimate(probabilities:classes:trainingPrior:)``), it needs only the heads'
/// decisions, and it corrects for their error rates. A domain shift that changes the error rates
/// biases it (BENCHMARKS §5 measures how much on RT polarity and IMDB), and one head's shares on
/// a shifted target move by several points with the data it was trained on: averaging over the
/// folds damps that.
public struct TargetPrior: Sendable, Equatable, Codable {
    /// The estimated share of each class on the target text (label order of ``labels``), from
    /// the fold heads' mean shares.
    public var prior: [Double]
    /// The class labels.
    public var labels: [String]
    /// Share of the target documents the fold heads predicted as each class (q, their mean).
    public var predictedShares: [Double]
    /// `confusion[predicted][true]`: share of the source documents of class `true` that the head
    /// which did not see them predicted as `predicted` (each column sums to 1).
    public var confusion: [[Double]]
    /// Source documents the confusion rates come from (each labeled by the head of its fold).
    public var heldOut: Int
    /// Target documents labeled.
    public var targetDocuments: Int
    /// Folds (heads) the estimate averages.
    public var folds: Int
    /// Each fold head's target shares (spread of q across heads).
    public var foldShares: [[Double]]
    /// Target shares of the head trained on all the source data with the same settings (the
    /// source-only head), when computed, and the prior the pooled confusion rates give them.
    public var sourceHeadShares: [Double]?
    /// `confusionCorrected(sourceHeadShares, confusion)`, when computed.
    public var sourceHeadPrior: [Double]?

    /// Folds of the source data, one head each.
    public static let defaultFolds = 5

    /// An estimate from its parts.
    public init(prior: [Double], labels: [String], predictedShares: [Double], confusion: [[Double]], heldOut: Int,
                targetDocuments: Int, folds: Int = 1, foldShares: [[Double]] = [], sourceHeadShares: [Double]? = nil,
                sourceHeadPrior: [Double]? = nil) {
        self.prior = prior
        self.labels = labels
        self.predictedShares = predictedShares
        self.confusion = confusion
        self.heldOut = heldOut
        self.targetDocuments = targetDocuments
        self.folds = folds
        self.foldShares = foldShares
        self.sourceHeadShares = sourceHeadShares
        self.sourceHeadPrior = sourceHeadPrior
    }

    /// Estimates the target prior with `folds` heads of `config` over `index` (stratified folds
    /// of `source`, seeded with `config.seed`), and, with `sourceHead` (a head trained on all of
    /// `source`), the prior its own shares give under the same confusion rates.
    public static func estimate(source: LabeledDataset, target: [String], index: EmbeddingIndex, config: ClassifierConfig,
                                folds: Int = defaultFolds, sourceHead: ClassifierHead? = nil) throws -> TargetPrior {
        try LabeledDataReader.requireTwoClasses(source)
        guard !target.isEmpty else { throw WordshiftError.emptyInput(path: "target text", message: "no target documents to label") }
        guard folds >= 2 else { throw WordshiftError.invalidArgument("the prior estimate needs at least 2 folds") }
        let labels = source.labels, L = labels.count
        // Stratified folds: each class's rows, shuffled, dealt round-robin.
        var rng = SeededRandom(seed: config.seed ^ 0xB85E)
        var fold = [Int](repeating: 0, count: source.count)
        for c in 0..<L {
            var rows = (0..<source.count).filter { source.labelIDs[$0] == c }
            rows.shuffle(using: &rng)
            for (k, r) in rows.enumerated() { fold[r] = k % folds }
        }
        var counts = [[Double]](repeating: [Double](repeating: 0, count: L), count: L)
        var foldShares: [[Double]] = []
        var heldOut = 0
        for f in 0..<folds {
            let train = (0..<source.count).filter { fold[$0] != f }
            let held = (0..<source.count).filter { fold[$0] == f && source.labelIDs[$0] >= 0 }
            let part = source.subset(train)
            guard part.labelCounts.filter({ $0 > 0 }).count >= 2, !held.isEmpty else { continue }
            let head = try Classifier.train(index: index, train: part, config: config).head
            let back = head.labels.map { labels.firstIndex(of: $0) ?? -1 }    // head label → source label
            for (p, r) in zip(head.predict(held.map { source.texts[$0] }, threads: config.threads), held) {
                let g = source.labelIDs[r]
                guard p >= 0, p < back.count, back[p] >= 0, g >= 0, g < L else { continue }
                counts[back[p]][g] += 1
            }
            heldOut += held.count
            foldShares.append(shares(head.predict(target, threads: config.threads), head: head.labels, into: labels))
        }
        guard !foldShares.isEmpty else { throw WordshiftError.invalidArgument("too few source documents per class for \(folds) folds") }
        var confusion = counts
        for g in 0..<L {
            let column = (0..<L).reduce(0.0) { $0 + counts[$1][g] }
            for p in 0..<L { confusion[p][g] = column > 0 ? counts[p][g] / column : (p == g ? 1 : 0) }
        }
        let q = (0..<L).map { c in foldShares.reduce(0) { $0 + $1[c] } / Double(foldShares.count) }
        var sourceShares: [Double]?
        if let sourceHead { sourceShares = shares(sourceHead.predict(target, threads: config.threads), head: sourceHead.labels, into: labels) }
        return TargetPrior(prior: LabelPrior.confusionCorrected(predictedShares: q, confusion: confusion), labels: labels,
                           predictedShares: q, confusion: confusion, heldOut: heldOut, targetDocuments: target.count,
                           folds: foldShares.count, foldShares: foldShares, sourceHeadShares: sourceShares,
                           sourceHeadPrior: sourceShares.map { LabelPrior.confusionCorrected(predictedShares: $0, confusion: confusion) })
    }

    /// Shares of `predicted` (indices into `head`) in the order of `labels`.
    private static func shares(_ predicted: [Int], head: [String], into labels: [String]) -> [Double] {
        let back = head.map { labels.firstIndex(of: $0) ?? -1 }
        var s = [Double](repeating: 0, count: labels.count)
        for p in predicted where p >= 0 && p < back.count && back[p] >= 0 { s[back[p]] += 1 }
        return s.map { $0 / Double(max(1, predicted.count)) }
    }

    /// One line for notes: the estimate, the heads' raw shares and their held-out error rates.
    public var summary: String {
        func show(_ v: [Double]) -> String { zip(labels, v).map { "\($0) \(Format.percent($1))" }.joined(separator: ", ") }
        let recall = labels.indices.map { c in c < confusion.count && c < confusion[c].count ? confusion[c][c] : 0 }
        let spread = labels.indices.last.map { c in
            let v = foldShares.compactMap { c < $0.count ? $0[c] : nil }
            return v.min().flatMap { lo in v.max().map { hi in "; \(labels[c]) \(Format.percent(lo))–\(Format.percent(hi)) across heads" } } ?? ""
        } ?? ""
        return "target prior estimated from confusion-corrected shares: \(show(prior)) (\(folds) source heads labeled \(targetDocuments) "
            + "target documents \(show(predictedShares)) on average\(spread); their recall per class on \(heldOut) source documents "
            + "they did not see " + recall.map { Format.percent($0) }.joined(separator: " / ") + ")"
            + (sourceHeadShares.flatMap { s in sourceHeadPrior.map { p in
                "; the source-only head labeled \(show(s)), which the same rates turn into \(show(p))" } } ?? "")
    }
}
