/// One co-occurrence total while counting: `key` packs (word1 << 32 | word2) with 0-based ids,
/// so sorting by key sorts by word1 then word2; `units` is the weight in `WeightScale` units.
struct CooccurrenceEntry: Equatable, Sendable {
    var key: UInt64
    var units: Int64

    @inline(__always) init(key: UInt64, units: Int64) { self.key = key; self.units = units }
    @inline(__always) init(_ w1: Int32, _ w2: Int32, units: Int64) {
        key = UInt64(UInt32(bitPattern: w1)) << 32 | UInt64(UInt32(bitPattern: w2))
        self.units = units
    }
    @inline(__always) var word1: Int32 { Int32(truncatingIfNeeded: key >> 32) }
    @inline(__always) var word2: Int32 { Int32(truncatingIfNeeded: key & 0xFFFF_FFFF) }
}

enum EntrySorting {
    /// Sorts `entries[0..<count]` by key and sums entries with equal keys; returns the new count.
    /// `idBits` is the number of bits a word id needs; `scratch` must hold `count` entries.
    static func sortAndCombine(_ entries: UnsafeMutablePointer<CooccurrenceEntry>, count: Int, idBits: Int,
                               scratch: UnsafeMutablePointer<CooccurrenceEntry>) -> Int {
        guard count > 1 else { return count }
        radixSort(entries, count: count, idBits: idBits, scratch: scratch)
        var out = 0
        for i in 1..<count {
            if entries[i].key == entries[out].key {
                entries[out].units &+= entries[i].units
            } else {
                out += 1
                entries[out] = entries[i]
            }
        }
        return out + 1
    }

    /// LSD radix sort on the bits of the key that can be set: the low `idBits` of each half.
    static func radixSort(_ entries: UnsafeMutablePointer<CooccurrenceEntry>, count: Int, idBits: Int,
                          scratch: UnsafeMutablePointer<CooccurrenceEntry>) {
        let bits = max(1, min(32, idBits))
        var digits: [(shift: UInt64, width: Int)] = []
        for base in [0, 32] {
            var b = 0
            while b < bits {
                let w = min(12, bits - b)
                digits.append((UInt64(base + b), w))
                b += w
            }
        }
        var src = entries, dst = scratch
        var counts = [Int](repeating: 0, count: 1 << 12)
        counts.withUnsafeMutableBufferPointer { counts in
            for (shift, width) in digits {
                let mask = UInt64((1 << width) - 1)
                for d in 0..<(1 << width) { counts[d] = 0 }
                for i in 0..<count { counts[Int((src[i].key >> shift) & mask)] += 1 }
                var sum = 0
                for d in 0..<(1 << width) { let c = counts[d]; counts[d] = sum; sum += c }
                for i in 0..<count {
                    let e = src[i]
                    let d = Int((e.key >> shift) & mask)
                    dst[counts[d]] = e
                    counts[d] += 1
                }
                swap(&src, &dst)
            }
        }
        if src != entries { entries.update(from: src, count: count) }
    }
}
