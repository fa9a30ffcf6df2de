/// Accuracy, per-label precision/recall/F1, macro-F1 and the confusion matrix
/// (`confusion[gold][predicted]`).
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
    /// `confusion[gold][predicted]`: how many examples of each gold label got each prediction.
    public var confusion: [[Int]]

    /// Computes every figure from a confusion matrix (`confusion[gold][predicted]`, one row and
    /// column per label; missing cells count as 0).
    public init(labels: [String], confusion: [[Int]]) {
        self.labels = labels
        self.confusion = confusion
        let k = labels.count
        var total = 0, right = 0
        var rows: [PerLabel] = []
        for c in 0..<k {
            let tp = c < confusion.count && c < confusion[c].count ? confusion[c][c] : 0
            let gold = c < confusion.count ? confusion[c].reduce(0, +) : 0
            let predicted = confusion.reduce(0) { $0 + (c < $1.count ? $1[c] : 0) }
            total += gold
            right += tp
            let p = predicted > 0 ? Double(tp) / Double(predicted) : 0
            let r = gold > 0 ? Double(tp) / Double(gold) : 0
            let f = p + r > 0 ? 2 * p * r / (p + r) : 0
            rows.append(PerLabel(label: labels[c], precision: p, recall: r, f1: f, support: gold))
        }
        count = total
        accuracy = total > 0 ? Double(right) / Double(total) : 0
        perLabel = rows
        macroF1 = k > 0 ? rows.map(\.f1).reduce(0, +) / Double(k) : 0
    }

    /// From gold label ids (−1 ignored) and predicted ids.
    public init(labels: [String], gold: [Int], predicted: [Int]) {
        var m = [[Int]](repeating: [Int](repeating: 0, count: labels.count), count: labels.count)
        for (g, p) in zip(gold, predicted) where g >= 0 && g < labels.count && p >= 0 && p < labels.count { m[g][p] += 1 }
        self.init(labels: labels, confusion: m)
    }
}
