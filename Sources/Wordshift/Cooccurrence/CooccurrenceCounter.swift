/// Counts weighted co-occurrences of word ids within a memory budget. Frequent pairs go into a
/// dense table; the rest are appended to a buffer that, when full, is sorted and summed into an
/// in-memory run. When the in-memory runs outgrow their share of the budget they are merged
/// into a spill file. `finish` merges everything (in passes of at most `maximumOpenRuns` files)
/// into one sorted stream. Spill files are removed on success, on failure and on interrupt.
final class CooccurrenceCounter {
    let options: CooccurrenceOptions
    let scale: WeightScale
    let dense: DenseCooccurrenceTable
    private let buffer: UnsafeMutablePointer<CooccurrenceEntry>
    private let scratch: UnsafeMutablePointer<CooccurrenceEntry>
    /// The buffers are freed by `finish` (they are not needed while merging).
    private var buffersReleased = false
    private let idBits: Int
    private let bufferCapacity: Int
    private var bufferCount = 0
    private var memoryRuns: [MemoryRun] = []
    private var memoryRunBytes = 0
    private let memoryRunBudget: Int
    private(set) var spillRuns: [SpillRun] = []
    private var runIndex = 0
    private let readBufferEntries: Int

    // Window state.
    private var history: [Int32]
    private var historyCount = 0
    private var historyPosition = 0

    init(vocabularySize: Int, options: CooccurrenceOptions) {
        self.options = options
        scale = WeightScale(window: options.window, distanceWeighting: options.distanceWeighting)
        let budget = max(options.memoryBytes, 1 << 12)
        dense = DenseCooccurrenceTable(vocabularySize: vocabularySize, bytes: min(budget / 4, 96 << 20))
        bufferCapacity = max(64, min(budget / 16, 32 << 20) / 16)
        buffer = .allocate(capacity: bufferCapacity)
        scratch = .allocate(capacity: bufferCapacity)
        idBits = max(1, Int.bitWidth - max(0, vocabularySize - 1).leadingZeroBitCount)
        // Runs beyond this go to disk (and the page cache), not to the resident set.
        memoryRunBudget = max(min(budget / 2, 256 << 20), 1024)
        readBufferEntries = max(64, min(1 << 16, budget / 8 / max(1, options.maximumOpenRuns) / 16))
        history = [Int32](repeating: 0, count: max(1, options.window))
    }

    deinit {
        releaseBuffers()
        removeSpills()
    }

    private func releaseBuffers() {
        guard !buffersReleased else { return }
        buffersReleased = true
        buffer.deallocate()
        scratch.deallocate()
    }

    func removeSpills() {
        for r in spillRuns { r.remove() }
        spillRuns.removeAll()
    }

    /// Ends the current document: windows do not cross it.
    @inline(__always) func endDocument() { historyCount = 0; historyPosition = 0 }

    /// Adds the next in-vocabulary word of the current document.
    @inline(__always)
    func addWord(_ w2: Int32) throws {
        let window = options.window
        var k = 1
        var p = historyPosition
        while k <= historyCount {
            p = p == 0 ? window - 1 : p - 1
            let w1 = history[p]
            let u = scale.units[k]
            try add(w1, w2, u)
            if options.symmetric { try add(w2, w1, u) }
            k += 1
        }
        if window > 0 {
            history[historyPosition] = w2
            historyPosition = historyPosition + 1 == window ? 0 : historyPosition + 1
            if historyCount < window { historyCount += 1 }
        }
    }

    @inline(__always)
    func add(_ w1: Int32, _ w2: Int32, _ units: Int64) throws {
        if dense.holds(w1, w2) {
            dense.add(w1, w2, units)
            return
        }
        buffer[bufferCount] = CooccurrenceEntry(w1, w2, units: units)
        bufferCount += 1
        if bufferCount == bufferCapacity { try compactBuffer() }
    }

    private func compactBuffer() throws {
        let n = EntrySorting.sortAndCombine(buffer, count: bufferCount, idBits: idBits, scratch: scratch)
        bufferCount = 0
        guard n > 0 else { return }
        let run = MemoryRun(copying: buffer, count: n)
        memoryRuns.append(run)
        memoryRunBytes += run.bytes
        if memoryRunBytes > memoryRunBudget {
            try spillMemoryRuns()
        } else if memoryRuns.count >= 8 {
            try mergeMemoryRuns()
        }
    }

    /// Merges the in-memory runs into one, which drops keys repeated across runs.
    private func mergeMemoryRuns() throws {
        let merged = try EntryMerge(memoryRuns)
        let total = memoryRuns.reduce(0) { $0 + $1.count }
        // The merged run adopts this buffer (no second copy while the old runs are still alive).
        let scratch = UnsafeMutablePointer<CooccurrenceEntry>.allocate(capacity: max(1, total))
        var n = 0
        do {
            while let e = try merged.next() { scratch[n] = e; n += 1 }
        } catch {
            scratch.deallocate()
            throw error
        }
        memoryRuns = [MemoryRun(adopting: scratch, count: n)]
        memoryRunBytes = n * 16
    }

    private func spillMemoryRuns() throws {
        guard !memoryRuns.isEmpty else { return }
        let merged = try EntryMerge(memoryRuns)
        spillRuns.append(try SpillRun(directory: options.temporaryDirectory, index: runIndex, source: merged))
        runIndex += 1
        memoryRuns.removeAll()
        memoryRunBytes = 0
        if spillRuns.count >= options.maximumOpenRuns * 2 { try mergeSpillPass() }
    }

    /// Merges groups of spill files until at most `maximumOpenRuns - 1` remain.
    private func mergeSpillPass() throws {
        let limit = max(2, options.maximumOpenRuns)
        while spillRuns.count > limit - 1 {
            let group = Array(spillRuns.prefix(limit))
            let readers = try group.map { try $0.reader(bufferEntries: readBufferEntries) }
            let merged = try SpillRun(directory: options.temporaryDirectory, index: runIndex, source: try EntryMerge(readers))
            runIndex += 1
            for r in group { r.remove() }
            spillRuns.removeFirst(group.count)
            spillRuns.append(merged)
        }
    }

    /// Bytes the counter holds while its totals are merged (after `finish`): the dense table
    /// (as allocated; untouched pages cost less), the in-memory runs and the spill read buffers.
    var mergeResidentBytes: Int {
        dense.cellCount * 8 + memoryRunBytes + spillRuns.count * readBufferEntries * 16
    }

    /// All totals as one sorted stream (entries with unique keys). Call once, after the last word.
    func finish() throws -> EntrySource {
        try compactBuffer()
        releaseBuffers()
        if !spillRuns.isEmpty {
            try spillMemoryRuns()
            try mergeSpillPass()
        }
        var sources: [EntrySource] = [dense.entries()]
        sources += memoryRuns as [EntrySource]
        for r in spillRuns { sources.append(try r.reader(bufferEntries: readBufferEntries)) }
        return try EntryMerge(sources)
    }
}

/// Runs the co-occurrence pass over a token id stream.
enum CooccurrencePass {
    /// `rank` maps provisional ids to vocabulary ids (or -1). `body` gets each total once, sorted.
    static func count(stream: TokenIdStream, rank: [Int32], vocabularySize: Int, options: CooccurrenceOptions,
                      progress: ProgressReporter, merging: (Int) -> Void = { _ in },
                      _ body: (Int32, Int32, Double) throws -> Void) throws -> Int {
        guard options.window >= 1 else { throw WordshiftError.invalidArgument("--window must be at least 1") }
        let counter = CooccurrenceCounter(vocabularySize: vocabularySize, options: options)
        defer { counter.removeSpills() }
        progress.begin("co-occurrence", total: Double(stream.count), unit: " tok")
        var done = 0
        try rank.withUnsafeBufferPointer { rank in
            try stream.forEachBlock { block in
                for id in block {
                    if id == TokenIdStream.documentEnd { counter.endDocument(); continue }
                    let w = Int(id) < rank.count ? rank[Int(id)] : -1
                    if w >= 0 { try counter.addWord(w) }
                }
                done += block.count
                progress.update(Double(done))
            }
        }
        progress.end()
        let merged = try counter.finish()
        merging(counter.mergeResidentBytes)
        var pairs = 0
        let scale = counter.scale
        while let e = try merged.next() {
            try body(e.word1, e.word2, scale.value(e.units))
            pairs += 1
        }
        return pairs
    }
}
