/// The corpus count of each row of an ``EmbeddingIndex`` (nil where the store has none), in
/// 4 bytes a row instead of the 16 of an `[Int?]`: `counts[i]` is the count of `words[i]`.
///
/// A collection of `Int?` indexed by row, so `counts[i]`, `for c in counts` and `Array(counts)`
/// read as they would over an array.
public struct WordCounts: RandomAccessCollection, Sendable, Equatable {
    /// Count + 1 per row; 0 for none; `UInt32.max` for a count kept in `large` instead.
    private var stored: [UInt32]
    /// Counts too large (or negative) for `stored`, by row.
    private var large: [Int: Int]

    /// The counts of rows `0..<counts.count`.
    public init(_ counts: [Int?]) {
        stored = [UInt32](repeating: 0, count: counts.count)
        large = [:]
        for (row, count) in counts.enumerated() { set(row, count) }
    }

    /// `count` rows without counts, to be filled by `set(_:_:)`.
    init(rows count: Int) {
        stored = [UInt32](repeating: 0, count: count)
        large = [:]
    }

    /// Sets the count of `row` (which must exist).
    mutating func set(_ row: Int, _ count: Int?) {
        guard let count else { stored[row] = 0; large[row] = nil; return }
        if count >= 0, count < Int(UInt32.max - 1) {
            stored[row] = UInt32(count + 1)
            large[row] = nil
        } else {
            stored[row] = UInt32.max
            large[row] = count
        }
    }

    /// Appends a row with `count`.
    mutating func append(_ count: Int?) {
        stored.append(0)
        set(stored.count - 1, count)
    }

    /// Makes room for `count` rows.
    mutating func reserveCapacity(_ count: Int) { stored.reserveCapacity(count) }

    /// The first row, 0.
    public var startIndex: Int { 0 }
    /// One past the last row.
    public var endIndex: Int { stored.count }

    /// The count of `row`, or nil when the store has none for it.
    public subscript(row: Int) -> Int? {
        let v = stored[row]
        if v == 0 { return nil }
        if v == UInt32.max { return large[row] }
        return Int(v) - 1
    }

    /// Bytes the counts hold (not counting the rare large ones).
    var byteCount: Int { stored.count * MemoryLayout<UInt32>.stride }
}
