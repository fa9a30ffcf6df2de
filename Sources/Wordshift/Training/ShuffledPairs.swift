/// The training pairs, grouped into the thread schedule's strata (`PairStrata`) and each
/// stratum in training order (`PairOrder`): in memory (one array, strata one after another),
/// or out of core (`StratumFiles`, one spill file per stratum, streamed each iteration). Both
/// hold the same pairs in the same order, so training gives the same vectors either way.
final class ShuffledPairs {
    enum Storage {
        case memory([TrainingPair])
        case disk(StratumFiles)
    }

    let strata: PairStrata
    private(set) var storage: Storage

    init(strata: PairStrata, storage: Storage) {
        self.strata = strata
        self.storage = storage
    }

    /// Pairs kept in memory, grouped and ordered for `threads` threads (the Mittens path,
    /// which needs them in memory for its anchor counts). `pairs` is emptied.
    static func inMemory(_ pairs: inout [TrainingPair], threads: Int, seed: UInt64) -> ShuffledPairs {
        var all: [TrainingPair] = []
        swap(&all, &pairs)
        let strata = PairStrata(partitioning: &all, threads: max(1, threads))
        all.withUnsafeMutableBufferPointer { buf in
            guard let base = buf.baseAddress else { return }
            strata.sortStrata(base, order: PairOrder(seed: seed), threads: max(1, threads))
        }
        return ShuffledPairs(strata: strata, storage: .memory(all))
    }

    /// The pairs when they are in memory (empty out of core).
    var memoryPairs: [TrainingPair] {
        if case .memory(let a) = storage { return a } else { return [] }
    }

    var count: Int { strata.offsets.last ?? 0 }
    var isOutOfCore: Bool { if case .disk = storage { return true } else { return false } }

    /// Deletes the spill files (also done when this is freed).
    func release() {
        if case .disk(let files) = storage { files.removeAll() }
        storage = .memory([])
    }
}

/// Collects pairs (in any order) into `ShuffledPairs` within a memory budget: in memory while
/// they fit `memoryBytes`, then in stratum spill files in `temporaryDirectory`.
final class ShuffledPairsBuilder {
    let threads: Int
    let seed: UInt64
    let order: PairOrder
    private let blocks: Int
    private let sortBytes: Int
    private let spillBufferBytes: Int
    private let temporaryDirectory: String
    private var collector: PairCollector? = PairCollector()
    private var files: StratumFiles?
    private(set) var count = 0
    private var spillAfter = 0

    /// Most bytes of pairs kept in memory; beyond, they spill (may be lowered while collecting).
    var memoryBytes: Int {
        didSet { spillAfter = max(0, memoryBytes) / MemoryLayout<TrainingPair>.stride }
    }

    /// `memoryBytes`: most bytes of pairs kept in memory before spilling; `sortBytes`: the
    /// sort buffers out of core; `spillBufferBytes`: the append buffers of the spill files.
    init(threads: Int, seed: UInt64, memoryBytes: Int, sortBytes: Int, spillBufferBytes: Int, temporaryDirectory: String) {
        self.threads = max(1, threads)
        self.seed = seed
        order = PairOrder(seed: seed)
        blocks = PairStrata.blocks(threads: self.threads)
        self.memoryBytes = memoryBytes
        self.sortBytes = max(1 << 20, sortBytes)
        self.spillBufferBytes = max(1 << 16, spillBufferBytes)
        self.temporaryDirectory = temporaryDirectory
        spillAfter = max(0, memoryBytes) / MemoryLayout<TrainingPair>.stride
    }

    var isSpilling: Bool { files != nil }

    @inline(__always)
    func append(_ p: TrainingPair) throws {
        count += 1
        if let collector {
            try collector.append(p)
            if collector.count > spillAfter { try spill() }
        } else if let files {
            try files.append(p, stratum: PairStrata.stratum(p, blocks: blocks))
        }
    }

    /// Moves the pairs collected so far into stratum files; later pairs go there directly.
    private func spill() throws {
        guard let collector else { return }
        let f = try StratumFiles(directory: temporaryDirectory, strata: blocks * blocks, bufferBytes: spillBufferBytes)
        self.collector = nil
        files = f
        let b = blocks
        try collector.drain { p in try f.append(p, stratum: PairStrata.stratum(p, blocks: b)) }
    }

    /// Groups and orders the pairs. Out of core, sorting uses at most `memoryBytes` of buffers.
    func finish(progress: (Int) -> Void = { _ in }) throws -> ShuffledPairs {
        if let collector {
            var pairs = collector.finish()
            self.collector = nil
            let n = pairs.count
            let shuffled = ShuffledPairs.inMemory(&pairs, threads: threads, seed: seed)
            progress(n)
            return shuffled
        }
        guard let files else { throw WordshiftError.invalidArgument("internal: pairs finished twice") }
        self.files = nil
        do {
            try files.sort(order: order, sortBytes: sortBytes, workers: threads, done: progress)
        } catch {
            files.removeAll()
            throw error
        }
        return ShuffledPairs(strata: PairStrata(threads: threads, sizes: files.sizes), storage: .disk(files))
    }

    /// Deletes any spill files (also done when the builder is freed).
    func abandon() {
        files?.removeAll()
        files = nil
        collector = nil
    }
}
