/// The B × B strata of the training pairs for T threads, B = T · `blocksPerThread`: stratum
/// (a, b) holds the pairs whose word id ≡ a and context id ≡ b (mod B). The pairs are
/// partitioned in place (a counting sort by cycles, O(n), no second copy), so each stratum is
/// one contiguous block; the order inside a block stays a deterministic scramble of the
/// shuffled order. An iteration runs B phases; phase p holds the B strata (a, (a + p) mod B),
/// which share no word row and no context row, dealt to the threads by word residue. Small phases
/// (1/B of the pairs each) in a fresh order every iteration keep the visiting order close to
/// the plain shuffled one (with only T phases, half an iteration saw each word with only half
/// its contexts, which cost about a point of analogy accuracy).
struct PairStrata {
    let threads: Int
    let blocks: Int
    /// Start of stratum s = a·B + b; `offsets[B·B]` is the total.
    let offsets: [Int]

    init(partitioning pairs: inout [TrainingPair], threads: Int, blocksPerThread: Int = 4) {
        self.threads = threads
        let t = threads * max(1, blocksPerThread), strata = t * t
        blocks = t
        func stratum(_ p: TrainingPair) -> Int { Int(p.word) % t * t + Int(p.context) % t }
        var counts = [Int](repeating: 0, count: strata)
        for p in pairs { counts[stratum(p)] += 1 }
        var offsets = [Int](repeating: 0, count: strata + 1)
        for s in 0..<strata { offsets[s + 1] = offsets[s] + counts[s] }
        var next = Array(offsets.prefix(strata))
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
        self.offsets = offsets
    }

    /// The blocks of `phase` per thread: thread t trains the strata (a, (a + phase) mod B) with
    /// a ≡ t (mod T), so a thread always updates the same word rows (they stay in its core's
    /// cache; sharing the strata out by size instead balanced the work better but ran 40%
    /// slower on the 1M-token head).
    func blocks(phase: Int) -> [[Range<Int>]] {
        (0..<threads).map { t in
            Swift.stride(from: t, to: blocks, by: threads).map { a in
                let s = a * blocks + (a + phase) % blocks
                return offsets[s]..<offsets[s + 1]
            }
        }
    }
}
