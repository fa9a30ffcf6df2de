/// One search result.
public struct Neighbor: Codable, Equatable, Sendable {
    /// The neighbouring word.
    public var word: String
    /// Cosine similarity to the query, in [-1, 1] (for `3cosmul` analogies, that method's score).
    public var score: Float
    /// A result with `word` and its `score`.
    public init(word: String, score: Float) {
        self.word = word
        self.score = score
    }
}
