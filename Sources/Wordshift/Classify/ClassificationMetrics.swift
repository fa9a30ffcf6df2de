/// Accuracy, per-label precision/recall/F1, macro-F1 and the confusion matrix
/// (`confusion[gold][predicted]`, up to `maximumConfusionLabels` labels).
public struct ClassificationMetrics: Codable, Sendable, Equatable {
    /// Precision, recall and F1 of one label.
    public struct PerLabel: Codable, Sendable, Equatable {
        /// The label's name.
        public var label: String
        /// Share of the examples predicted as this label that have it, in [0, 1] (0 when none was predicted).
        public var precision: Double
        /// Share of the examples with this label that were predicted as it, in [0, 1] (0 when there are none).
        public var recall: Double
        /// Harmonic mean of precision and recall, in [0, 1].
        public var f1: Double
        /// Examples whose gold label is this one.
        public var support: Int
    }

    /// Label names; row and column `i` of ``confusion`` belong to `labels[i]`.
    public var labels: [String]
    /// Examples counted (the sum of the confusion matrix).
    public var count: Int
    /// Share of examples predicted correctly, in [0, 1].
    public var accuracy: Double
    /// Unweighted mean of the labels' F1, in [0, 1].
    public var macroF1: Double
    /// Per-label figures, in the order of ``labels``.
    public var perLabel: [PerLabel]
    /// `confusion[gold][predicted]`; empty when there are more than `maximumConfusionLabels`
    /// labels (10,000 labels would make a 10⁸-cell matrix).
    public var confusion: [[Int]]

    /// Most labels for which a confusion matrix is kept.
    public static let maximumConfusionLabels = 100

    /// Computes every figure from a confusion matrix (`confusion[gold][predicted]`, one row and
    /// column per label; missing cells count as 0); the matrix is kept up to `maximumConfusionLabels` labels.
    public init(labels: [String], confusion: [[Int]]) {
        let k = labels.count
        var tp = [Int](repeating: 0, count: k), gold = tp, predicted = tp
        for (g, row) in confusion.prefix(k).enumerated() {
            for (p, n) in row.prefix(k).enumerated() {
                gold[g] += n
                predicted[p] += n
                if g == p { tp[g] += n }
            }
        }
        self.init(labels: labels, truePositives: tp, gold: gold, predicted: predicted,
                  confusion: k <= Self.maximumConfusionLabels ? confusion : [])
    }

    /// From gold label ids (−1 ignored) and predicted ids, in time linear in examples and labels.
    public init(labels: [String], gold: [Int], predicted: [Int]) {
        let k = labels.count
        var tp = [Int](repeating: 0, count: k), goldCount = tp, predictedCount = tp
        let dense = k <= Self.maximumConfusionLabels
        var m = dense ? [[Int]](repeating: [Int](repeating: 0, count: k), count: k) : []
        for (g, p) in zip(gold, predicted) where g >= 0 && g < k && p >= 0 && p < k {
            goldCount[g] += 1
            predictedCount[p] += 1
            if g == p { tp[g] += 1 }
            if dense { m[g][p] += 1 }
        }
        self.init(labels: labels, truePositives: tp, gold: goldCount, predicted: predictedCount, confusion: m)
    }

    private init(labels: [String], truePositives tp: [Int], gold: [Int], predicted: [Int], confusion: [[Int]]) {
        self.labels = labels
        self.confusion = confusion
        var rows: [PerLabel] = []
        rows.reserveCapacity(labels.count)
        for (c, label) in labels.enumerated() {
            let p = predicted[c] > 0 ? Double(tp[c]) / Double(predicted[c]) : 0
            let r = gold[c] > 0 ? Double(tp[c]) / Double(gold[c]) : 0
            let f = p + r > 0 ? 2 * p * r / (p + r) : 0
            rows.append(PerLabel(label: label, precision: p, recall: r, f1: f, support: gold[c]))
        }
        let total = gold.reduce(0, +), right = tp.reduce(0, +)
        count = total
        accuracy = total > 0 ? Double(right) / Double(total) : 0
        perLabel = rows
        macroF1 = labels.isEmpty ? 0 : rows.map(\.f1).reduce(0, +) / Double(labels.count)
    }
}
