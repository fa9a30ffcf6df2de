/// Encoded examples for SGD. `labels[i] == -1` marks an unlabeled (target-domain) document,
/// used only by the domain classifier. `domains[i]` is 0 for source, 1 for target.
public struct TrainingSet: Sendable {
    public var docs = EncodedDocs()
    public var labels: [Int32] = []
    public var weights: [Float] = []
    public var domains: [UInt8] = []

    public init() {}

    public var count: Int { docs.count }

    public mutating func append(_ d: EncodedDocs, labels l: [Int], weight: Float = 1, domain: UInt8 = 0) {
        docs.append(d)
        labels += l.map { Int32($0) }
        weights += [Float](repeating: weight, count: l.count)
        domains += [UInt8](repeating: domain, count: l.count)
    }

    /// Multiplies each labeled example's weight by N / (classes × count of its class).
    public mutating func balance(classes: Int) {
        var counts = [Int](repeating: 0, count: classes)
        for l in labels where l >= 0 && Int(l) < classes { counts[Int(l)] += 1 }
        let present = counts.filter { $0 > 0 }.count
        let total = counts.reduce(0, +)
        guard present > 0 else { return }
        for i in labels.indices where labels[i] >= 0 && Int(labels[i]) < classes {
            weights[i] *= Float(total) / Float(present * counts[Int(labels[i])])
        }
    }
}
