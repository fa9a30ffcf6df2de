/// The row of each word of an ``EmbeddingIndex``: an open-addressing hash table of row numbers
/// (4 bytes a slot, at most two thirds of the slots used) over the index's own `words`, which it
/// does not copy. A `[String: Int32]` keeps a second copy of every word and a power of two of
/// slots at most 3/4 full, about 20 bytes a slot: for 400,000 words, 21 MB against this
/// table's 2.4 MB.
///
/// Words match as `String`'s `==` says (canonically equivalent strings are equal, as in a
/// `Dictionary`, and `hashValue` agrees with `==`); of two equal words the first row wins.
struct WordRows: Sendable {
    /// Row numbers, or -1 for an empty slot.
    private let slots: [Int32]

    /// The table of `words` (row `i` is `words[i]`).
    init(words: [String]) {
        var slots = [Int32](repeating: -1, count: Self.capacity(for: words.count))
        for (row, word) in words.enumerated() {
            var slot = Self.home(of: word, slots: slots.count)
            while true {
                let held = slots[slot]
                if held < 0 { slots[slot] = Int32(row); break }
                if words[Int(held)] == word { break }  // a repeated word keeps its first row
                slot = slot + 1 == slots.count ? 0 : slot + 1
            }
        }
        self.slots = slots
    }

    /// Slots for `count` words: half as many again, so that at most two thirds are used.
    static func capacity(for count: Int) -> Int { 8 + count + count / 2 }

    /// The first slot tried for `word`: its hash scaled to the table (the high half of the
    /// product, so every bit of the hash counts, with no power-of-two size needed).
    @inline(__always)
    private static func home(of word: String, slots: Int) -> Int {
        Int(UInt64(bitPattern: Int64(word.hashValue)).multipliedFullWidth(by: UInt64(slots)).high)
    }

    /// The row of `word` in `words` (the array the table was built over), or nil.
    func row(of word: String, in words: [String]) -> Int? {
        var slot = Self.home(of: word, slots: slots.count)
        while true {
            let held = slots[slot]
            if held < 0 { return nil }
            let row = Int(held)
            if row < words.count, words[row] == word { return row }
            slot = slot + 1 == slots.count ? 0 : slot + 1
        }
    }

    /// Bytes the table holds.
    var byteCount: Int { slots.count * MemoryLayout<Int32>.stride }
}
