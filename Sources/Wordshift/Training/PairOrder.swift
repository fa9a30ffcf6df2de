/// The order in which training visits the pairs of a stratum: ascending `key`, a seeded
/// bijective hash of (word, context). Sorting by a random key is a uniformly random shuffle,
/// and because the key depends only on the seed and the pair, the order does not depend on the
/// order the pairs arrived in (counter, one file, a merge of shards) nor on where they are
/// sorted: in memory, or out of core, where a stratum too large for the budget is first split
/// by the key's top bits (an MSD pass that keeps the order). So a run with any `--memory` gives
/// the same vectors for the same seed.
struct PairOrder: Sendable {
    let salt: UInt64

    init(seed: UInt64) { salt = PairOrder.mix(seed ^ 0x5348_5546_464C_4532) }

    /// Distinct (word, context) pairs get distinct keys: `mix` is a bijection, and so is adding the salt.
    @inline(__always) func key(_ p: TrainingPair) -> UInt64 {
        PairOrder.mix(salt &+ (UInt64(UInt32(bitPattern: p.word)) << 24 | UInt64(UInt32(bitPattern: p.context))))
    }

    /// The SplitMix64 finaliser (invertible).
    @inline(__always) static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Records with equal keys (the same pair twice, possible only in a hand-made file) are
    /// ordered by their remaining bits, so the order is total.
    @inline(__always) func precedes(_ a: TrainingPair, _ b: TrainingPair) -> Bool {
        let ka = key(a), kb = key(b)
        return ka != kb ? ka < kb : a.payloadBits < b.payloadBits
    }

    /// Sorts `count` pairs in place by key: an in-place MSD radix sort on the key's bytes
    /// (counting, then cycle-following swaps, as `PairStrata` partitions), insertion sort for
    /// small buckets. No second copy; keys are recomputed rather than stored.
    func sort(_ base: UnsafeMutablePointer<TrainingPair>, count: Int) {
        // Per level: 256 counters, 257 bucket starts, 256 fill positions; 8 levels at most.
        let scratch = UnsafeMutablePointer<Int>.allocate(capacity: PairOrder.levelInts * 8)
        defer { scratch.deallocate() }
        sort(base, count: count, shift: 56, scratch: scratch)
    }

    private static let levelInts = 256 + 257 + 256

    private func sort(_ base: UnsafeMutablePointer<TrainingPair>, count n: Int, shift: UInt64,
                      scratch: UnsafeMutablePointer<Int>) {
        if n <= 48 {
            insertionSort(base, count: n)
            return
        }
        let counts = scratch, starts = scratch + 256, next = scratch + 513
        for d in 0..<256 { counts[d] = 0 }
        for i in 0..<n { counts[Int((key(base[i]) >> shift) & 0xFF)] += 1 }
        starts[0] = 0
        for d in 0..<256 { starts[d + 1] = starts[d] + counts[d]; next[d] = starts[d] }
        for d in 0..<256 {
            while next[d] < starts[d + 1] {
                var item = base[next[d]]
                var home = Int((key(item) >> shift) & 0xFF)
                while home != d {
                    swap(&item, &base[next[home]])
                    next[home] += 1
                    home = Int((key(item) >> shift) & 0xFF)
                }
                base[next[d]] = item
                next[d] += 1
            }
        }
        for d in 0..<256 {
            let lo = starts[d], size = starts[d + 1] - lo
            guard size > 1 else { continue }
            if shift >= 8 {
                sort(base + lo, count: size, shift: shift - 8, scratch: scratch + PairOrder.levelInts)
            } else {
                // All 64 key bits used: only equal keys are left; order them by the other bits.
                insertionSort(base + lo, count: size)
            }
        }
    }

    private func insertionSort(_ base: UnsafeMutablePointer<TrainingPair>, count n: Int) {
        guard n > 1 else { return }
        for i in 1..<n {
            let item = base[i]
            var j = i
            while j > 0 && precedes(item, base[j - 1]) {
                base[j] = base[j - 1]
                j -= 1
            }
            base[j] = item
        }
    }

    /// The top `bits` bits of a pair's key (the sub-bucket of an out-of-core split).
    @inline(__always) func bucket(_ p: TrainingPair, bits: Int) -> Int {
        bits == 0 ? 0 : Int(key(p) >> UInt64(64 - bits))
    }
}
