/// The B × B strata of the training pairs for T threads, B = 4T (1 for one thread): stratum
/// (a, b) holds the pairs whose word id ≡ a and context id ≡ b (mod B). In memory the pairs are
/// partitioned in place (a counting sort by cycles, O(n), no second copy), so each stratum is
/// one contiguous block; out of core each stratum is a spill file (`StratumFiles`). Each stratum
/// is then put in training order (`PairOrder`). An iteration runs B phases; phase p holds the B
/// strata (a, (a + p) mod B), which share no word row and no context row, dealt to the threads
/// by word residue. Small phases (1/B of the pairs each) in a fresh order every iteration keep
/// the visiting order close to the plain shuffled one (with only T phases, half an iteration
/// saw each word with only half its contexts, which cost about a point of analogy accuracy).
struct PairStrata {
    let threads: Int
    let blocks: Int
    /// Start of stratum s = a·B + b; `offsets[B·B]` is the total.
    let offsets: [Int]

    /// B for T threads: 4T, or 1 for one thread (one stratum holding every pair).
    static func blocks(threads: Int) -> Int { threads > 1 ? 4 * threads : 1 }

    /// The stratum of a pair for B blocks per side.
    @inline(__always) static func stratum(_ p: TrainingPair, blocks b: Int) -> Int {
        Int(p.word) % b * b + Int(p.context) % b
    }

    var count: Int { blocks * blocks }

    /// Strata of the given sizes, stored one after another in stratum order.
    init(threads: Int, sizes: [Int]) {
        self.threads = threads
        blocks = PairStrata.blocks(threads: threads)
        precondition(sizes.count == blocks * blocks)
        var offsets = [Int](repeating: 0, count: sizes.count + 1)
        for s in 0..<sizes.count { offsets[s + 1] = offsets[s] + sizes[s] }
        self.offsets = offsets
    }

    init(partitioning pairs: inout [TrainingPair], threads: Int) {
        self.threads = threads
        let t = PairStrata.blocks(threads: threads), strata = t * t
        blocks = t
        func stratum(_ p: TrainingPair) -> Int { PairStrata.stratum(p, blocks: t) }
        var counts = [Int](repeating: 0, count: strata)
        if strata > 1 { for p in pairs { counts[stratum(p)] += 1 } } else { counts[0] = pairs.count }
        var offsets = [Int](repeating: 0, count: strata + 1)
        for s in 0..<strata { offsets[s + 1] = offsets[s] + counts[s] }
        var next = Array(offsets.prefix(strata))
        if strata > 1 {
            pairs.withUnsafeMutableBufferPointer { buf in
                for s in 0..<strata {
                    while next[s] < offsets[s + 1] {
                        var item = buf[next[s]]
                        var home = stratum(item)
                        // Follow the cycle until an item that belongs here comes back.
                        while home != s {
                            swap(&item, &buf[next[home]])
                            next[home] += 1
                            home = stratum(item)
                        }
                        buf[next[s]] = item
                        next[s] += 1
                    }
                }
            }
        }
        self.offsets = offsets
    }

    /// Sorts every stratum of `pairs` (laid out as `offsets` says) into training order, the
    /// strata shared out among `threads` workers.
    func sortStrata(_ pairs: UnsafeMutablePointer<TrainingPair>, order: PairOrder, threads workers: Int) {
        let shared = SharedPointer(pairs)
        Parallel.run(threads: max(1, min(workers, count))) { w in
            for s in Swift.stride(from: w, to: count, by: max(1, min(workers, count))) {
                order.sort(shared.base + offsets[s], count: offsets[s + 1] - offsets[s])
            }
        }
    }

    /// The strata of `phase` per thread: thread t trains the strata (a, (a + phase) mod B) with
    /// a ≡ t (mod T).
    func strata(phase: Int) -> [[Int]] {
        (0..<threads).map { t in
            Swift.stride(from: t, to: blocks, by: threads).map { a in a * blocks + (a + phase) % blocks }
        }
    }

    /// The blocks of `phase` per thread: thread t trains the strata (a, (a + phase) mod B) with
    /// a ≡ t (mod T), so a thread always updates the same word rows (they stay in its core's
    /// cache; sharing the strata out by size instead balanced the work better but ran 40%
    /// slower on the 1M-token head).
    func blocks(phase: Int) -> [[Range<Int>]] {
        strata(phase: phase).map { list in list.map { offsets[$0]..<offsets[$0 + 1] } }
    }
}
