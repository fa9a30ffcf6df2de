/// Encoded examples for SGD. `labels[i] == -1` marks an unlabeled (target-domain) document,
/// used only by the domain classifier. `domains[i]` is 0 for source, 1 for target.
package struct TrainingSet: Sendable {
    package var docs = EncodedDocs()
    package var labels: [Int32] = []
    package var weights: [Float] = []
    package var domains: [UInt8] = []

    package init() {}

    package var count: Int { docs.count }

    package mutating func append(_ d: EncodedDocs, labels l: [Int], weight: Float = 1, domain: UInt8 = 0) {
        docs.append(d)
        labels += l.map { Int32($0) }
        weights += [Float](repeating: weight, count: l.count)
        domains += [UInt8](repeating: domain, count: l.count)
    }

    /// Multiplies each labeled example's weight by N / (classes × count of its class).
    package mutating func balance(classes: Int) {
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
