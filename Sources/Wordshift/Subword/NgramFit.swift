/// Learns character n-gram vectors for a store that has none (GloVe, word2vec): each known
/// word's unit vector should equal the mean of its n-gram rows, the composition fastText
/// uses for unseen words. Minimised by seeded SGD over the words (frequent words first in
/// the vocabulary are all used unless `maxWords` says otherwise).
public struct NgramFit: Sendable {
    /// How ``NgramFit/fit(index:options:progress:)`` learns the n-gram table.
    public struct Options: Codable, Sendable {
        /// Which n-grams, and how many hash buckets.
        public var ngrams = CharNgrams()
        /// Passes over the words.
        public var epochs = 20
        /// Initial SGD step size; it falls linearly towards 0 over the epochs.
        public var learningRate: Float = 1.0
        /// Fit on the first this-many words only (the most frequent, in trained stores); nil: all.
        public var maxWords: Int?
        /// Seed of the word order in every epoch.
        public var seed: UInt64 = 1
        /// L2 penalty per update: pulls n-grams that only one word uses towards zero, so the
        /// shared ones carry the meaning (what an unseen word can draw on).
        public var decay: Float = 0
        /// Words seen fewer times than this (where the store has counts) get proportionally
        /// smaller updates: their vectors are the least reliable targets.
        public var fullWeightCount = 1000
        /// The defaults: fastText's n-grams, 20 epochs, step 1.0, every word, seed 1, no decay.
        public init() {}
    }

    /// What a fit used and reached.
    public struct Summary: Codable, Sendable {
        /// Words fitted.
        public var words: Int
        /// Buckets that received a vector (rows of the table).
        public var buckets: Int
        /// Epochs run.
        public var epochs: Int
        /// Mean cosine between each word's vector and its n-gram composition, after fitting.
        public var meanCosine: Double
        /// Wall-clock time of the fit, in seconds.
        public var seconds: Double
    }

    /// Fits an n-gram table to the unit vectors of `index` (the first `maxWords` words) so that
    /// each word's vector is close to the mean of its n-gram rows.
    ///
    /// - Returns: The table (only buckets some word uses) and a summary with the mean cosine
    ///   between each word and its composition.
    public static func fit(index: EmbeddingIndex, options: Options, progress handler: ProgressHandler? = nil) -> (NgramTable, Summary) {
        let progress = ProgressReporter(handler)
        let started = System.now()
        let n = min(index.count, options.maxWords ?? index.count)
        let d = index.dimension
        // Bucket lists per word, and a compact row for every bucket in use.
        var rowOf: [Int: Int32] = [:]
        var usedBuckets: [Int] = []
        var wordRows: [[Int32]] = []
        wordRows.reserveCapacity(n)
        for i in 0..<n {
            var rows: [Int32] = []
            for b in options.ngrams.buckets(of: index.words[i]) {
                if let r = rowOf[b] { rows.append(r) } else {
                    let r = Int32(usedBuckets.count)
                    rowOf[b] = r
                    usedBuckets.append(b)
                    rows.append(r)
                }
            }
            wordRows.append(rows)
        }
        var table = [Float](repeating: 0, count: usedBuckets.count * d)
        var order = Array(0..<n)
        var rng = SeededRandom(seed: options.seed)
        var residual = [Float](repeating: 0, count: d)
        progress.begin("fitting n-grams", total: Double(options.epochs), unit: " epochs")
        for epoch in 0..<options.epochs {
            order.shuffle(using: &rng)
            let lr = options.learningRate * (1 - Float(epoch) / Float(max(1, options.epochs)))
            table.withUnsafeMutableBufferPointer { t in
                guard let tp = t.baseAddress else { return }
                for w in order {
                    let rows = wordRows[w]
                    if rows.isEmpty { continue }
                    let inv = 1 / Float(rows.count)
                    let target = index.unit(w)
                    for j in 0..<d { residual[j] = target[j] }
                    for r in rows { let p = tp + Int(r) * d; for j in 0..<d { residual[j] -= p[j] * inv } }
                    var step = lr
                    if options.fullWeightCount > 0, let c = index.counts[w] { step *= min(1, Float(c) / Float(options.fullWeightCount)) }
                    let keep = 1 - lr * options.decay
                    for r in rows { let p = tp + Int(r) * d; for j in 0..<d { p[j] = p[j] * keep + step * residual[j] } }
                }
            }
            progress.update(Double(epoch + 1))
        }
        progress.end()
        let result = NgramTable(ngrams: options.ngrams, dimension: d, source: "fit", buckets: usedBuckets, vectors: table)
        var cosineSum = 0.0
        var counted = 0
        for i in stride(from: 0, to: n, by: max(1, n / 2000)) {
            guard let v = result.vector(for: index.words[i]) else { continue }
            cosineSum += Double(VectorMath.cosine(v, index.unitVector(i)))
            counted += 1
        }
        let summary = Summary(words: n, buckets: usedBuckets.count, epochs: options.epochs,
                              meanCosine: counted > 0 ? cosineSum / Double(counted) : 0, seconds: System.now() - started)
        return (result, summary)
    }
}
