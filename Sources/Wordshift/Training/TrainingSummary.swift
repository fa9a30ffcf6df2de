/// What a training run did, for `--json` and for callers of the library.
public struct TrainingSummary: Codable, Sendable {
    /// One training iteration.
    public struct Iteration: Codable, Sendable {
        /// 1-based iteration number.
        public var iteration: Int
        /// Mean weighted squared error over the pairs in this iteration.
        public var cost: Double
        /// Wall seconds.
        public var seconds: Double
    }

    /// The store written, if any.
    public var out: String?
    /// Words kept.
    public var vocabularySize = 0
    /// Tokens read from the corpus.
    public var tokens = 0
    /// Bytes read from the corpus.
    public var corpusBytes = 0
    /// Invalid UTF-8 sequences replaced while reading.
    public var invalidUTF8 = 0
    /// SHA-256 of the corpus bytes.
    public var corpusSHA256: String?
    /// Distinct co-occurring word pairs.
    public var pairs = 0
    /// Every iteration run, in order (with a resumed run, from the checkpoint's history on).
    public var iterations: [Iteration] = []
    /// Iterations completed by the checkpoint the run resumed from.
    public var resumedFromIteration: Int?
    /// Wall seconds per stage: vocab, cooccur, shuffle, glove, write.
    public var stageSeconds: [String: Double] = [:]
    /// Wall seconds of the whole run.
    public var totalSeconds = 0.0
    /// Peak resident memory of the process.
    public var peakRSSBytes = 0
    /// Worker threads used for training.
    public var threads = 1
    /// Where the training pairs lived: "memory", or "disk" (stratum spill files, out of core).
    public var pairStorage: String?

    /// An empty summary.
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
