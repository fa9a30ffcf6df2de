/// What a training run did, for `--json` and for callers of the library.
public struct TrainingSummary: Codable, Sendable {
    public struct Iteration: Codable, Sendable {
        public var iteration: Int
        public var cost: Double
        public var seconds: Double
    }

    public var out: String?
    public var vocabularySize = 0
    public var tokens = 0
    public var corpusBytes = 0
    public var invalidUTF8 = 0
    public var corpusSHA256: String?
    public var pairs = 0
    public var iterations: [Iteration] = []
    public var resumedFromIteration: Int?
    /// Wall seconds per stage: vocab, cooccur, shuffle, glove, write.
    public var stageSeconds: [String: Double] = [:]
    public var totalSeconds = 0.0
    public var peakRSSBytes = 0
    public var threads = 1

    public init() {}
}

extension TrainingSummary {
    /// Records what the vocabulary stage counted (started at `started`).
    mutating func recordVocabulary(_ counted: CountedCorpus, words: Int, started: Double) {
        tokens = counted.tokens
        corpusBytes = counted.bytes
        invalidUTF8 = counted.invalidUTF8
        corpusSHA256 = counted.sha256
        vocabularySize = words
        stageSeconds["vocab"] = System.now() - started
    }
}
