/// Vectors for query words: the vocabulary first, then (if the store has them and they are
/// enabled) the word's subwords, so that names, typos and inflections still get a vector.
public struct WordVectors: Sendable {
    public enum Source: String, Codable, Sendable { case vocabulary, subwords }

    public let index: EmbeddingIndex
    public let subwords: NgramTable?

    public init(index: EmbeddingIndex, subwords: NgramTable?) {
        self.index = index
        self.subwords = subwords
    }

    /// Opens a store's matrix and, unless disabled, its n-gram table.
    public static func load(store: VectorStore, useSubwords: Bool = true, progress: ProgressBar? = nil) throws -> WordVectors {
        let index = try store.loadIndex(progress: progress)
        return WordVectors(index: index, subwords: useSubwords ? try NgramTable.load(from: store) : nil)
    }

    /// The unit-length query vector of `word`, its row if it is in the vocabulary, and where it came from.
    public func lookup(_ word: String) throws -> (unit: [Float], row: Int?, source: Source) {
        if let id = index.id(of: word) { return (index.unitVector(id), id, .vocabulary) }
        if let v = subwords?.vector(for: word) {
            let n = VectorMath.norm(v)
            if n > 0 { return (v.map { $0 / n }, nil, .subwords) }
        }
        throw WordshiftError.unknownWord(word)
    }
}
