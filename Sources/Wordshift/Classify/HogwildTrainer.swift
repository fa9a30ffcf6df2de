/// Lock-free multi-threaded SGD (Hogwild) for `ClassifierModel`: softmax cross-entropy with a
/// learning rate decaying linearly to zero over all epochs, early stopping on a validation
/// set, and an optional domain classifier behind a gradient-reversal layer.
public struct HogwildTrainer {
    /// What a training run did.
    public struct Report: Codable, Sendable {
        /// Epochs run before stopping (early stopping may end before the configured count).
        public var epochsRun: Int
        /// The epoch whose parameters were kept (1-based; the last one without validation data).
        public var bestEpoch: Int
        /// Validation accuracy after each epoch run, in [0, 1] (empty without validation data).
        public var validAccuracy: [Double]
        /// Wall-clock time of the training, in seconds.
        public var seconds: Double
        /// Training examples per epoch.
        public var examples: Int
    }

    /// Weight of the reversed domain gradient (0 disables the domain classifier).
    public var adversarialWeight: Float = 0
    /// Receives a "training" stage counted in examples.
    public var progress: ProgressHandler?
    /// Parameters to pull toward and the pull's weight (L2 toward a warm start); never written.
    package var anchor: (model: ClassifierModel, weight: Float)?

    /// A trainer; `adversarialWeight` above 0 adds the domain classifier, `progress` receives a
    /// "training" stage.
    public init(adversarialWeight: Float = 0, progress: ProgressHandler? = nil) {
        self.adversarialWeight = adversarialWeight
        self.progress = progress
    }

    /// Trains `model` in place; with `valid`, the parameters of the best epoch are kept.
    package func train(_ model: ClassifierModel, on set: TrainingSet, valid: (EncodedDocs, [Int])?) -> Report {
        let start = System.now()
        let cfg = model.config
        let n = set.count
        let epochs = max(1, cfg.epochs)
        let threads = max(1, min(Parallel.clampThreads(cfg.threads), n / 64 + 1))
        var rng = SeededRandom(seed: cfg.seed ^ 0x5EED)
        var order = Array(0..<n)
        var best: ClassifierModel?
        var bestAccuracy = -1.0, bestEpoch = 0, sinceBest = 0
        var history: [Double] = []
        var epochsRun = 0
        let progress = ProgressReporter(progress)
        progress.begin("training", total: Double(epochs * n), unit: " examples")
        for epoch in 0..<epochs {
            order.shuffle(using: &rng)
            order.withUnsafeBufferPointer { ob in
                set.docs.rows.withUnsafeBufferPointer { rb in
                    let orderPtr = UncheckedBox(ob), rowsPtr = UncheckedBox(rb)
                    Parallel.run(threads: threads) { w in
                        let lo = n * w / threads, hi = n * (w + 1) / threads
                        var step = Worker(model: model, adversarialWeight: adversarialWeight, anchor: anchor)
                        defer { step.release() }
                        for k in lo..<hi {
                            let i = orderPtr.value[k]
                            let done = Double(epoch * n + (k - lo) * threads + w)
                            let lr = cfg.learningRate * Float(max(0, 1 - done / Double(epochs * n)))
                            let doc = UnsafeBufferPointer(rebasing: rowsPtr.value[set.docs.offsets[i]..<set.docs.offsets[i + 1]])
                            step.update(doc: doc, label: Int(set.labels[i]), weight: set.weights[i],
                                        domain: set.domains[i], lr: lr, progress: Float(done / Double(epochs * n)))
                        }
                    }
                }
            }
            epochsRun = epoch + 1
            progress.update(Double(epochsRun * n))
            guard let (vdocs, vlabels) = valid, !vlabels.isEmpty else { continue }
            let acc = Self.accuracy(model.predict(vdocs, threads: threads), labels: vlabels, classes: model.labelCount)
            history.append(acc)
            if acc > bestAccuracy {
                bestAccuracy = acc; bestEpoch = epochsRun; sinceBest = 0
                if epoch < epochs - 1 { if let b = best { b.copy(from: model) } else { best = model.clone() } } else { best = nil }
            } else {
                sinceBest += 1
                if sinceBest >= cfg.patience { break }
            }
        }
        if let best, bestEpoch != epochsRun { model.copy(from: best) }
        progress.end()
        return Report(epochsRun: epochsRun, bestEpoch: valid == nil ? epochsRun : bestEpoch,
                      validAccuracy: history, seconds: System.now() - start, examples: n)
    }

    static func accuracy(_ probs: [Float], labels: [Int], classes: Int) -> Double {
        guard !labels.isEmpty else { return 0 }
        var right = 0
        for (i, l) in labels.enumerated() where ArgMax.of(probs, row: i, width: classes) == l { right += 1 }
        return Double(right) / Double(labels.count)
    }
}

enum ArgMax {
    static func of(_ v: [Float], row: Int, width: Int) -> Int {
        var best = 0
        for c in 1..<max(1, width) where v[row * width + c] > v[row * width + best] { best = c }
        return best
    }
}

/// One thread's scratch buffers and the per-example update.
struct Worker {
    let model: ClassifierModel
    let adversarialWeight: Float
    let anchor: ClassifierModel?
    let anchorWeight: Float
    let x, gx, z, gz, p: UnsafeMutablePointer<Float>

    init(model: ClassifierModel, adversarialWeight: Float, anchor: (model: ClassifierModel, weight: Float)? = nil) {
        self.model = model
        self.adversarialWeight = adversarialWeight
        // Only an anchor of the same shapes can be pulled toward (Classifier.train checks it).
        self.anchor = anchor.flatMap { $0.model.sameLayout(as: model) ? $0.model : nil }
        self.anchorWeight = anchor?.weight ?? 0
        let d = model.dimension, h = max(1, model.config.hidden)
        x = .allocate(capacity: d); gx = .allocate(capacity: d)
        z = .allocate(capacity: h); gz = .allocate(capacity: h)
        p = .allocate(capacity: max(1, model.labelCount))
    }

    func release() { for b in [x, gx, z, gz, p] { b.deallocate() } }

    @inline(__always)
    mutating func update(doc: UnsafeBufferPointer<Int32>, label: Int, weight: Float, domain: UInt8, lr: Float, progress: Float) {
        let m = model, d = m.dimension, h = m.config.hidden, L = m.labelCount
        let count = m.average(doc, into: x)
        guard count > 0 else { return }
        gx.initialize(repeating: 0, count: d)
        var any = false
        if label >= 0 && label < L {
            any = true
            m.probabilities(x: x, z: z, out: p)
            let w = m.width
            let top: UnsafePointer<Float> = h > 0 ? UnsafePointer(z) : UnsafePointer(x)
            let gtop = h > 0 ? gz : gx
            if h > 0 { gz.initialize(repeating: 0, count: h) }
            for c in 0..<L {
                let g = lr * weight * ((c == label ? 1 : 0) - p[c])
                let row = m.w2.baseAddress! + c * w
                DenseKernels.axpy(g, row, gtop, w)
                DenseKernels.axpy(g, top, row, w)
                m.b2[c] += g
            }
            if h > 0 {
                for k in 0..<h {
                    let ga = gz[k] * (1 - z[k] * z[k])
                    let row = m.w1.baseAddress! + k * d
                    DenseKernels.axpy(ga, row, gx, d)
                    DenseKernels.axpy(ga, x, row, d)
                    m.b1[k] += ga
                }
            }
        }
        if adversarialWeight > 0 {
            any = true
            // Domain classifier on x; its gradient reaches the input reversed (DANN), with the
            // usual ramp 2 / (1 + exp(-10 p)) - 1.
            let u = m.domain.baseAddress!
            let s = DenseKernels.dot(u, x, d) + u[d]
            let q = 1 / (1 + expf(-s))
            let g = lr * (Float(domain) - q)
            let lambda = adversarialWeight * (2 / (1 + expf(-10 * progress)) - 1)
            DenseKernels.axpy(-lambda * g, u, gx, d)
            DenseKernels.axpy(g, x, u, d)
            u[d] += g
        }
        guard any else { return }
        let inv = 1 / Float(count)
        for j in 0..<d { gx[j] *= inv }
        let first = m.firstTrainableRow
        let base = m.input.baseAddress!
        for r in doc where Int(r) >= first && Int(r) < m.rows {
            DenseKernels.add(gx, base + Int(r) * d, d)
        }
        if let a = anchor, label >= 0 && label < L {
            // L2 pull toward the warm start on every parameter this example touched:
            // θ += lr · weight · (θ₀ − θ); the step is capped at the full distance.
            let k = min(1, lr * anchorWeight * weight)
            @inline(__always) func pull(_ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>, _ n: Int) {
                for j in 0..<n { dst[j] += k * (src[j] - dst[j]) }
            }
            pull(m.w2.baseAddress!, a.w2.baseAddress!, L * m.width)
            pull(m.b2.baseAddress!, a.b2.baseAddress!, L)
            if h > 0 {
                pull(m.w1.baseAddress!, a.w1.baseAddress!, h * d)
                pull(m.b1.baseAddress!, a.b1.baseAddress!, h)
            }
            let anchorBase = a.input.baseAddress!
            for r in doc where Int(r) >= first && Int(r) < m.rows {
                pull(base + Int(r) * d, anchorBase + Int(r) * d, d)
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
