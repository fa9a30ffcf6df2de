/// The AdaGrad loop: every iteration walks the shuffled pairs once, split into one contiguous
/// range per thread; threads update the shared model without locks (Hogwild). With one thread
/// the result depends only on the seed.
enum GloVeTrainer {
    static func run(model: GloVeModel, pairs: [TrainingPair], config: GloVeConfig, startIteration: Int,
                    history: inout [TrainingSummary.Iteration], fingerprint: UInt64, progress: Bool) throws {
        guard startIteration < config.iterations else { return }
        let threads = max(1, min(config.threads, pairs.count))
        let costs = UnsafeMutablePointer<Double>.allocate(capacity: threads)
        defer { costs.deallocate() }
        let tty = progress && System.isTerminal(2)
        try pairs.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let shared = SharedPairs(base: base, count: buffer.count)
            let costsShared = SharedPointer(costs)
            for iteration in startIteration..<config.iterations {
                let started = System.now()
                let bar = ProgressBar("iter \(iteration + 1)/\(config.iterations)", total: Double(buffer.count), unit: " pairs", quiet: !progress)
                let barShared = UncheckedBox(bar)
                Parallel.run(threads: threads) { t in
                    costsShared[t] = epochRange(model: model, pairs: shared, thread: t, threads: threads,
                                                eta: Float(config.eta), clip: Float(config.gradientClip),
                                                progress: t == 0 ? barShared.value : nil)
                }
                var total = 0.0
                for t in 0..<threads { total += costs[t] }
                let cost = total / Double(buffer.count)
                let seconds = System.now() - started
                history.append(TrainingSummary.Iteration(iteration: iteration + 1, cost: cost, seconds: seconds))
                if progress {
                    if tty { System.writeStderr("\r\u{1B}[2K") }
                    System.writeStderr("iter \(pad(iteration + 1, config.iterations))/\(config.iterations)  cost \(Format.fixed(cost, 6))  "
                        + "\(Format.duration(seconds))  \(Format.quantity(Double(buffer.count) / max(seconds, 1e-9))) pairs/s\n")
                }
                if let dir = config.checkpointDirectory {
                    try Checkpoint(fingerprint: fingerprint, completedIterations: iteration + 1, history: history)
                        .write(model: model, directory: dir)
                }
            }
        }
    }

    private static func epochRange(model: GloVeModel, pairs: SharedPairs, thread: Int, threads: Int,
                                   eta: Float, clip: Float, progress: ProgressBar?) -> Double {
        let lo = pairs.count * thread / threads, hi = pairs.count * (thread + 1) / threads
        let storage = model.storage
        let rowFloats = model.rowFloats
        let contextBase = storage + model.vocabularySize * rowFloats
        let stride = model.stride
        var cost = 0.0
        var i = lo
        while i < hi {
            let blockEnd = min(hi, i + 65536)
            var blockCost: Float = 0
            while i < blockEnd {
                let p = pairs.base[i]
                blockCost += AdaGradKernel.step(storage + Int(p.word) * rowFloats, contextBase + Int(p.context) * rowFloats,
                                                stride: stride, pair: p, eta: eta, clip: clip)
                i += 1
            }
            cost += Double(blockCost)
            progress?.update(Double(i - lo) * Double(threads))
        }
        return cost
    }

    private static func pad(_ v: Int, _ total: Int) -> String {
        let s = String(v), width = String(total).count
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
}

struct SharedPairs: @unchecked Sendable {
    let base: UnsafePointer<TrainingPair>
    let count: Int
}
