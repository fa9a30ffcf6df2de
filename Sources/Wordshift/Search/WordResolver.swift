/// Maps query words to rows: exact match first, then (optionally) case-insensitive, within
/// the first `restrict` rows. Unknown words become `WordshiftError.unknownWord`.
package struct WordResolver {
    package let index: EmbeddingIndex
    package let restrict: Int
    package let caseInsensitive: Bool
    private let upper: [String: Int]

    package init(index: EmbeddingIndex, restrict: Int? = nil, caseInsensitive: Bool = false) {
        self.index = index
        self.restrict = max(0, min(index.count, restrict ?? index.count))
        self.caseInsensitive = caseInsensitive
        var map: [String: Int] = [:]
        if caseInsensitive {
            map.reserveCapacity(self.restrict)
            for i in 0..<self.restrict { let u = index.words[i].uppercased(); if map[u] == nil { map[u] = i } }
        }
        upper = map
    }

    /// The row of `word`, or nil.
    package func row(_ word: String) -> Int? {
        if caseInsensitive { return upper[word.uppercased()] }
        if let id = index.id(of: word), id < restrict { return id }
        return nil
    }

    package func require(_ word: String) throws -> Int {
        guard let r = row(word) else { throw WordshiftError.unknownWord(word) }
        return r
    }
}
