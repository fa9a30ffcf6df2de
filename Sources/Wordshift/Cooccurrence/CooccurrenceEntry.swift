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
    static func sortAndCombine(_ entries: UnsafeMutablePointer<CooccurrenceEntry>, count: Int) -> Int {
        guard count > 1 else { return count }
        var all = UnsafeMutableBufferPointer(start: entries, count: count)
        all.sort { $0.key < $1.key }
        var out = 0
        for i in 1..<count {
            if entries[i].key == entries[out].key {
                entries[out].units += entries[i].units
            } else {
                out += 1
                entries[out] = entries[i]
            }
        }
        return out + 1
    }
}
