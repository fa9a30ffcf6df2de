import Testing
@testable import Wordshift

/// The compact word → row table behind `EmbeddingIndex.id(of:)`.
@Suite struct WordRowsTests {
    @Test func findsEveryWordAndNothingElse() {
        let words = (0..<5_000).map { "w\($0)" }
        let table = WordRows(words: words)
        for (i, w) in words.enumerated() { #expect(table.row(of: w, in: words) == i) }
        for absent in ["", "w5000", "w-1", "W1", "w1 "] { #expect(table.row(of: absent, in: words) == nil) }
        // At most two thirds full: 5,000 words in 7,508 slots of 4 bytes.
        #expect(table.byteCount == 7_508 * 4)
    }

    @Test func emptyTableFindsNothing() {
        let table = WordRows(words: [])
        #expect(table.row(of: "a", in: []) == nil)
        #expect(table.row(of: "", in: []) == nil)
    }

    @Test func nonASCIIAndLongWords() {
        let long = String(repeating: "long", count: 40)
        let words = ["café", "naïve", "日本語", "😀", "Ελλάδα", long, "κ", ""]
        let table = WordRows(words: words)
        for (i, w) in words.enumerated() { #expect(table.row(of: w, in: words) == i) }
        #expect(table.row(of: "cafe", in: words) == nil)
        #expect(table.row(of: long + "s", in: words) == nil)
    }

    @Test func repeatedWordsKeepTheirFirstRowAsADictionaryDid() {
        // "é" precomposed and decomposed are equal Strings (canonical equivalence), as Dictionary keys are.
        let words = ["a", "b", "a", "\u{E9}", "e\u{301}", "b", "c"]
        let table = WordRows(words: words)
        var dictionary: [String: Int] = [:]
        for (i, w) in words.enumerated() where dictionary[w] == nil { dictionary[w] = i }
        for w in words + ["e\u{301}", "\u{E9}", "d"] { #expect(table.row(of: w, in: words) == dictionary[w]) }
        #expect(table.row(of: "e\u{301}", in: words) == 3)
    }

    @Test func indexLookupsAndTheIdsMapAgree() {
        let words = ["king", "queen", "king", "Straße", "strasse", "ß"]
        let index = EmbeddingIndex(words: words, dimension: 2, vectors: (0..<12).map { Float($0 % 5) + 1 })
        #expect(index.id(of: "king") == 0 && index.id(of: "queen") == 1 && index.id(of: "Straße") == 3)
        #expect(index.id(of: "strasse") == 4 && index.id(of: "ß") == 5 && index.id(of: "STRASSE") == nil)
        #expect(index.ids == ["king": 0, "queen": 1, "Straße": 3, "strasse": 4, "ß": 5])
        for (w, id) in index.ids { #expect(index.id(of: w) == Int(id)) }
    }
}

/// The compact per-row counts of an `EmbeddingIndex`.
@Suite struct WordCountsTests {
    @Test func readsBackEveryCountIncludingNoneZeroHugeAndNegative() {
        let values: [Int?] = [nil, 0, 1, 41, Int(UInt32.max) - 3, Int(UInt32.max) - 2, Int(UInt32.max) - 1, Int(UInt32.max),
                              1 << 40, Int.max, -1, Int.min, nil]
        let counts = WordCounts(values)
        #expect(counts.count == values.count)
        #expect(Array(counts) == values)
        for (row, v) in values.enumerated() { #expect(counts[row] == v) }
        #expect(counts == WordCounts(values))
        #expect(counts != WordCounts(values.reversed()))
        #expect(counts.byteCount == values.count * 4)
    }

    @Test func appendAndSetKeepOneRepresentation() {
        var built = WordCounts(rows: 0)
        for v in [3, nil, 1 << 33] as [Int?] { built.append(v) }
        #expect(built == WordCounts([3, nil, 1 << 33]))
        built.set(2, 7)
        built.set(0, nil)
        #expect(built == WordCounts([nil, nil, 7]))
    }

    @Test func anIndexKeepsItsCountsOrNoneWhenTheyDoNotMatchItsWords() {
        let v: [Float] = [1, 0, 0, 1, 1, 1]
        let index = EmbeddingIndex(words: ["a", "b", "c"], counts: [5, nil, 1 << 35], dimension: 2, vectors: v)
        #expect(Array(index.counts) == [5, nil, 1 << 35])
        #expect(index.counts[2] == 1 << 35)
        let unmatched = EmbeddingIndex(words: ["a", "b", "c"], counts: [5], dimension: 2, vectors: v)
        #expect(Array(unmatched.counts) == [nil, nil, nil])
    }
}
