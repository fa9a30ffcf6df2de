/// One search result.
public struct Neighbor: Codable, Equatable, Sendable {
    public var word: String
    public var score: Float
    public init(word: String, score: Float) {
        self.word = word
        self.score = score
    }
}
