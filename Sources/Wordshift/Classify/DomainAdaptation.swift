/// Helpers shared by the adaptation methods (``DomainAdapter``, ``EmbeddingAdaptation``).
public enum DomainAdaptation {
    /// The `fraction` most confident predictions on `texts`: the same number per predicted class,
    /// or with `prior` (the head's label order) numbers that follow it.
    static func confident(_ head: ClassifierHead, texts: [String], fraction: Double, threads: Int,
                          prior: [Double]? = nil) -> LabeledDataset {
        let L = head.labels.count
        let p = head.probabilities(texts, threads: threads)
        var byClass = [[(Float, Int)]](repeating: [], count: L)
        for i in 0..<texts.count {
            let c = ArgMax.of(p, row: i, width: L)
            byClass[c].append((p[i * L + c], i))
        }
        let total = Int(Double(texts.count) * fraction)
        let quota = prior.flatMap { $0.count == L ? LabelPrior.quotas($0, total: total).map { max(1, $0) } : nil }
            ?? [Int](repeating: max(1, total / max(1, L)), count: L)
        var chosen: [(Int, Int)] = []
        for c in 0..<L {
            let top = byClass[c].sorted { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 < $1.1 }.prefix(quota[c])
            chosen += top.map { ($0.1, c) }
        }
        chosen.sort { $0.0 < $1.0 }
        return LabeledDataset(labels: head.labels, texts: chosen.map { texts[$0.0] }, labelIDs: chosen.map(\.1), source: "pseudo-labels")
    }
}
