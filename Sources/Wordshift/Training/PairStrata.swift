/// The T × T strata of the training pairs for T threads: stratum (a, b) holds the pairs whose
/// word id ≡ a and context id ≡ b (mod T). The pairs are partitioned in place (a counting
/// sort by cycles, O(n), no second copy), so each stratum is one contiguous block; the order
/// inside a block stays a deterministic scramble of the shuffled order.
struct PairStrata {
    let threads: Int
    /// Start of stratum s = a·T + b; `offsets[T·T]` is the total.
    let offsets: [Int]

    init(partitioning pairs: inout [TrainingPair], threads: Int) {
        self.threads = threads
        let t = threads, strata = t * t
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

    /// The block thread `thread` trains in `phase`: stratum (thread, (thread + phase) mod T).
    func block(thread: Int, phase: Int) -> Range<Int> {
        let s = thread * threads + (thread + phase) % threads
        return offsets[s]..<offsets[s + 1]
    }
}
