/// The class prior of a target domain estimated from its unlabeled text by confusion-corrected
/// prediction shares (black-box shift estimation, Lipton, Wang & Smola, "Detecting and
/// correcting for label shift with black box predictors", ICML 2018).
///
/// A head trained on part of the source data labels the rest of it, which gives its confusion
/// rates C[i][j] = P(predicted i | true j); it then labels the target text, which gives the
/// shares q[i] of each predicted class. If the target differs from the source in its class
/// prior π only, q = C·π, so π = C⁻¹·q. Unlike EM on posteriors (``LabelPrior/estimate(probabilities:classes:trainingPrior:)``),
/// it needs only the head's decisions, not calibrated probabilities, and it corrects for the
/// head's own error rates. A domain shift that changes the error rates biases it too, but less
/// than it biases posteriors (BENCHMARKS §5).
public struct TargetPrior: Sendable, Equatable, Codable {
    /// The estimated share of each class on the target text (label order of ``labels``).
    public var prior: [Double]
    /// The class labels.
    public var labels: [String]
    /// Share of the target documents the head predicted as each class (q).
    public var predictedShares: [Double]
    /// `confusion[predicted][true]`: share of the held-out source documents of class `true` the
    /// head predicted as `predicted` (each column sums to 1).
    public var confusion: [[Double]]
    /// Held-out source documents the confusion rates come from.
    public var heldOut: Int
    /// Target documents labeled.
    public var targetDocuments: Int

    /// Share of the source data held out for the confusion rates.
    public static let heldOutFraction = 0.2

    /// An estimate from its parts.
    public init(prior: [Double], labels: [String], predictedShares: [Double], confusion: [[Double]], heldOut: Int,
                targetDocuments: Int) {
        self.prior = prior
        self.labels = labels
        self.predictedShares = predictedShares
        self.confusion = confusion
        self.heldOut = heldOut
        self.targetDocuments = targetDocuments
    }

    /// Estimates the target prior: a head with `config` over `index` learns from a stratified
    /// (seeded with `config.seed`) share 1 − ``heldOutFraction`` of `source`, its confusion rates
    /// come from the rest, and its predicted shares from `target`.
    public static func estimate(source: LabeledDataset, target: [String], index: EmbeddingIndex,
                                config: ClassifierConfig) throws -> TargetPrior {
        try LabeledDataReader.requireTwoClasses(source)
        guard !target.isEmpty else { throw WordshiftError.emptyInput(path: "target text", message: "no target documents to label") }
        let L = source.labels.count
        var rng = SeededRandom(seed: config.seed ^ 0xB85E)
        var train: [Int] = [], held: [Int] = []
        for c in 0..<L {
            var rows = (0..<source.count).filter { source.labelIDs[$0] == c }
            rows.shuffle(using: &rng)
            guard !rows.isEmpty else { continue }
            // At least one held-out and one training document of every class that has two.
            let k = rows.count < 2 ? 0 : min(rows.count - 1, max(1, Int((Double(rows.count) * heldOutFraction).rounded())))
            held += rows.prefix(k)
            train += rows.dropFirst(k)
        }
        let head = try Classifier.train(index: index, train: source.subset(train.sorted()), config: config).head
        let labels = head.labels
        let heldOut = source.subset(held.sorted()).relabeled(to: labels)
        var counts = [[Double]](repeating: [Double](repeating: 0, count: labels.count), count: labels.count)
        for (p, g) in zip(head.predict(heldOut.texts, threads: config.threads), heldOut.labelIDs)
        where p >= 0 && p < labels.count && g >= 0 && g < labels.count {
            counts[p][g] += 1
        }
        var confusion = counts
        for g in 0..<labels.count {
            let column = (0..<labels.count).reduce(0.0) { $0 + counts[$1][g] }
            for p in 0..<labels.count { confusion[p][g] = column > 0 ? counts[p][g] / column : (p == g ? 1 : 0) }
        }
        var shares = [Double](repeating: 0, count: labels.count)
        for p in head.predict(target, threads: config.threads) where p >= 0 && p < labels.count { shares[p] += 1 }
        shares = shares.map { $0 / Double(target.count) }
        return TargetPrior(prior: LabelPrior.confusionCorrected(predictedShares: shares, confusion: confusion), labels: labels,
                           predictedShares: shares, confusion: confusion, heldOut: heldOut.count, targetDocuments: target.count)
    }

    /// One line for notes: the estimate, the head's raw shares and its held-out error rates.
    public var summary: String {
        func show(_ v: [Double]) -> String { zip(labels, v).map { "\($0) \(Format.percent($1))" }.joined(separator: ", ") }
        let recall = labels.indices.map { c in c < confusion.count && c < confusion[c].count ? confusion[c][c] : 0 }
        return "target prior estimated from confusion-corrected shares: \(show(prior)) (a source head labeled \(targetDocuments) "
            + "target documents \(show(predictedShares)); its recall per class on \(heldOut) held-out source documents "
            + recall.map { Format.percent($0) }.joined(separator: " / ") + ")"
    }
}
