/// Accuracy, per-label precision/recall/F1, macro-F1 and the confusion matrix
/// (`confusion[gold][predicted]`).
public struct ClassificationMetrics: Codable, Sendable, Equatable {
    public struct PerLabel: Codable, Sendable, Equatable {
        public var label: String
        public var precision: Double
        public var recall: Double
        public var f1: Double
        public var support: Int
    }

    public var labels: [String]
    public var count: Int
    public var accuracy: Double
    public var macroF1: Double
    public var perLabel: [PerLabel]
    public var confusion: [[Int]]

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
