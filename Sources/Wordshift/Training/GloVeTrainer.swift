/// The AdaGrad loop: every iteration walks the shuffled pairs (`ShuffledPairs`) once. The pairs
/// are split into strata (`PairStrata`; one stratum for one thread) and each iteration runs
/// phases in a seeded order; within a phase no two threads ever write the same word or context
/// row (no cache-line ping-pong on the frequent words' rows, which made plain Hogwild no faster
/// on 2 threads than on 1), so the result depends only on the seed and the thread count. Within
/// a stratum the pairs come in training order (`PairOrder`), from memory or streamed from the
/// stratum's spill file: the same pairs in the same order, so the same vectors. With `anchors`
/// (Mittens, in memory only), every update is followed by the penalty's proximal step on the two
/// rows it touched; without, the loop is the plain one. That step also reads the other half of
/// the word's output vector (its context row for a word row, and the reverse), which within a
/// phase may be another thread's row: with T > 1 it reads the copy taken when the phase began
/// (`MittensAnchors.snapshotPartners`), so Mittens, too, depends only on seed and thread count.
enum GloVeTrainer {
    /// Trains on `pairs` from iteration `startIteration`; in memory or streamed from the
    /// stratum spill files, the same schedule and the same arithmetic.
    static func run(model: GloVeModel, pairs: ShuffledPairs, config: GloVeConfig, startIteration: Int,
                    history: inout [TrainingSummary.Iteration], fingerprint: UInt64, progress: ProgressReporter,
                    anchors: MittensAnchors? = nil) throws {
        guard startIteration < config.iterations else { return }
        let strata = pairs.strata
        let threads = strata.threads
        let total = pairs.count
        let costs = UnsafeMutablePointer<Double>.allocate(capacity: threads)
        defer { costs.deallocate() }
        let failures = UnsafeMutablePointer<Error?>.allocate(capacity: threads)
        failures.initialize(repeating: nil, count: threads)
        defer { failures.deinitialize(count: threads); failures.deallocate() }
        var array: [TrainingPair] = []
        var files: StratumFiles?
        switch pairs.storage {
        case .memory(let a): array = a
        case .disk(let f): files = f
        }
        if anchors != nil && files != nil { throw WordshiftError.invalidArgument("internal: Mittens trains in memory only") }
        // Out of core: each thread streams its strata through its own 4 MB buffer.
        let readers = files == nil ? [] : (0..<threads).map { _ in PairChunkReader(chunkPairs: (4 << 20) / MemoryLayout<TrainingPair>.stride) }
        try array.withUnsafeBufferPointer { buffer in
            // An empty array may still have a base address: the storage decides.
            let memoryBase = files == nil ? buffer.baseAddress : nil
            let costsShared = SharedPointer(costs)
            let failed = SharedPointer(failures)
            let filesBox = UncheckedBox(files)
            for iteration in startIteration..<config.iterations {
                let started = System.now()
                progress.begin("iter \(pad(iteration + 1, config.iterations))/\(config.iterations)", total: Double(total), unit: " pairs")
                for t in 0..<threads { costs[t] = 0 }
                var phases = Array(0..<strata.blocks)
                var rng = SeededRandom(seed: config.seed &+ 0x9E37_79B9 &* UInt64(iteration + 1))
                phases.shuffle(using: &rng)
                var done = 0
                for phase in phases {
                    let lists = strata.strata(phase: phase)
                    let phaseStart = done
                    if threads > 1 { anchors?.snapshotPartners(of: model) }
                    Parallel.run(threads: threads) { t in
                        // Thread 0 reports progress, scaled as if every thread kept its pace.
                        let bar = t == 0 ? progress : nil
                        var local = 0
                        for s in lists[t] {
                            let lo = strata.offsets[s], n = strata.offsets[s + 1] - lo
                            if let base = memoryBase {
                                let shared = SharedPairs(base: base, count: total)
                                let report = ProgressReport(bar: bar, base: phaseStart + local * threads, scale: threads)
                                if let anchors {
                                    costsShared[t] += anchoredEpochRange(model: model, pairs: shared, anchors: anchors, range: (lo, lo + n),
                                                                         eta: Float(config.eta), clip: Float(config.gradientClip),
                                                                         biasRate: Float(config.biasRate), progress: report)
                                } else {
                                    costsShared[t] += epochRange(model: model, pairs: shared, range: (lo, lo + n),
                                                                 eta: Float(config.eta), clip: Float(config.gradientClip),
                                                                 biasRate: Float(config.biasRate), progress: report)
                                }
                            } else if let files = filesBox.value {
                                var offset = 0
                                do {
                                    try files.stream(stratum: s, reader: readers[t]) { chunk, count in
                                        let report = ProgressReport(bar: bar, base: phaseStart + (local + offset) * threads, scale: threads)
                                        costsShared[t] += epochRange(model: model, pairs: SharedPairs(base: chunk, count: count),
                                                                     range: (0, count), eta: Float(config.eta),
                                                                     clip: Float(config.gradientClip),
                                                                     biasRate: Float(config.biasRate), progress: report)
                                        offset += count
                                    }
                                } catch {
                                    failed[t] = error
                                    return
                                }
                            }
                            local += n
                        }
                    }
                    for t in 0..<threads { if let e = failures[t] { throw e } }
                    done += lists.reduce(0) { $0 + $1.reduce(0) { $0 + strata.offsets[$1 + 1] - strata.offsets[$1] } }
                }
                var sum = 0.0
                for t in 0..<threads { sum += costs[t] }
                let cost = sum / Double(total)
                guard cost.isFinite else {
                    throw WordshiftError.invalidArgument("training diverged in iteration \(iteration + 1) (cost \(cost)); "
                        + "nothing was saved: lower --eta (now \(config.eta)) or --x-max")
                }
                let seconds = System.now() - started
                history.append(TrainingSummary.Iteration(iteration: iteration + 1, cost: cost, seconds: seconds))
                progress.end("cost \(Format.fixed(cost, 6))  \(Format.duration(seconds))  "
                    + "\(Format.quantity(Double(total) / max(seconds, 1e-9))) pairs/s")
                if let dir = config.checkpointDirectory {
                    try Checkpoint(fingerprint: fingerprint, completedIterations: iteration + 1, history: history)
                        .write(model: model, directory: dir)
                }
            }
        }
    }

    private static func epochRange(model: GloVeModel, pairs: SharedPairs, range: (lo: Int, hi: Int),
                                   eta: Float, clip: Float, biasRate: Float, progress: ProgressReport) -> Double {
        let (lo, hi) = range
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
                                                stride: stride, pair: p, eta: eta, clip: clip, biasRate: biasRate)
                i += 1
            }
            cost += Double(blockCost)
            progress.update(done: i - lo)
        }
        return cost
    }

    /// `epochRange` plus the Mittens proximal steps (kept separate so the plain loop is unchanged).
    private static func anchoredEpochRange(model: GloVeModel, pairs: SharedPairs, anchors: MittensAnchors, range: (lo: Int, hi: Int),
                                           eta: Float, clip: Float, biasRate: Float, progress: ProgressReport) -> Double {
        let (lo, hi) = range
        let storage = model.storage
        let rowFloats = model.rowFloats
        let contextBase = storage + model.vocabularySize * rowFloats
        let stride = model.stride
        let targets = anchors.targets, wordCoef = anchors.wordCoefficients, contextCoef = anchors.contextCoefficients
        let wordOnly = anchors.wordOnly
        // Partner rows: the phase's snapshot with several threads, the live rows with one.
        let partners = anchors.partners, v = model.vocabularySize
        @inline(__always) func contextPartner(_ w: Int) -> UnsafePointer<Float> {
            if let partners { return UnsafePointer(partners + (v + w) * stride) }
            return UnsafePointer(contextBase + w * rowFloats)
        }
        @inline(__always) func wordPartner(_ c: Int) -> UnsafePointer<Float> {
            if let partners { return UnsafePointer(partners + c * stride) }
            return UnsafePointer(storage + c * rowFloats)
        }
        var cost = 0.0
        var i = lo
        while i < hi {
            let blockEnd = min(hi, i + 65536)
            var blockCost: Float = 0
            while i < blockEnd {
                let p = pairs.base[i]
                let w = Int(p.word), c = Int(p.context)
                let wr = storage + w * rowFloats, cr = contextBase + c * rowFloats
                blockCost += AdaGradKernel.step(wr, cr, stride: stride, pair: p, eta: eta, clip: clip, biasRate: biasRate)
                let kw = wordCoef[w]
                if kw > 0 {
                    AdaGradKernel.anchor(wr, partner: wordOnly ? nil : contextPartner(w),
                                         target: targets + w * stride, stride: stride, coef: kw, eta: eta)
                }
                let kc = contextCoef[c]
                if kc > 0 {
                    AdaGradKernel.anchor(cr, partner: wordPartner(c),
                                         target: targets + c * stride, stride: stride, coef: kc, eta: eta)
                }
                i += 1
            }
            cost += Double(blockCost)
            progress.update(done: i - lo)
        }
        return cost
    }

    private static func pad(_ v: Int, _ total: Int) -> String {
        let s = String(v), width = String(total).count
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
}

/// Where one thread's progress lands on the iteration's bar.
struct ProgressReport {
    let bar: ProgressReporter?
    let base: Int
    let scale: Int
    @inline(__always) func update(done: Int) { bar?.update(Double(base + done * scale)) }
}

struct SharedPairs: @unchecked Sendable {
    let base: UnsafePointer<TrainingPair>
    let count: Int
}

