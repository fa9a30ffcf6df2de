/// Every parameter of a GloVe training run (the defaults are the reference demo's).
public struct GloVeConfig: Codable, Sendable, Equatable {
    /// Which vectors the store receives.
    public enum OutputVectors: String, Codable, Sendable {
        /// Word + context vector (the reference tools' `-model 2`, their default).
        case wordPlusContext = "word+context"
        /// Word vectors only.
        case wordOnly = "word"
    }

    /// Vector length (`--dim`).
    public var dimension = 100
    /// Passes over the shuffled co-occurrences (`--iter`).
    public var iterations = 15
    /// Weighting cutoff x_max: pairs seen this often or more get full weight (`--x-max`).
    public var xMax = 10.0
    /// Weighting exponent: f(x) = (x / x_max)^alpha below the cutoff (`--alpha`).
    public var alpha = 0.75
    /// AdaGrad initial learning rate (`--eta`).
    public var eta = 0.05
    /// Bound on each gradient component before the AdaGrad step.
    public var gradientClip = 100.0
    /// Scale of the biases' AdaGrad steps. 1, as in the reference tools' current release, whose
    /// learning rate scales only the vector components; `eta` gives their earlier releases' rule.
    public var biasRate = 1.0
    /// Drop words seen fewer times (`--min-count`).
    public var minCount = 5
    /// Keep at most this many words, the most frequent (`--max-vocab`; nil: all).
    public var maxVocab: Int? = nil
    /// Worker threads (default: all cores).
    public var threads = Parallel.defaultThreads
    /// Seed of the initial vectors and the shuffle: the same seed and thread count give the same vectors.
    public var seed: UInt64 = 1
    /// How the corpus is split into words.
    public var tokenizer = TokenizerOptions()
    /// Window, weighting and memory budget of co-occurrence counting.
    public var cooccurrence = CooccurrenceOptions()
    /// Word + context vectors (default) or word vectors only.
    public var output = OutputVectors.wordPlusContext
    /// Where a checkpoint is written after every iteration (nil: no checkpoints).
    public var checkpointDirectory: String? = nil
    /// Continue from the checkpoint in `checkpointDirectory` if there is one.
    public var resume = false

    /// The defaults.
    public init() {}

    /// Refuses values that cannot train (checked before any work starts).
    func validate() throws {
        func bad(_ m: String) -> WordshiftError { WordshiftError.invalidArgument(m) }
        func positive(_ v: Double) -> Bool { v.isFinite && v > 0 }
        if dimension < 1 || dimension > 100_000 { throw bad("--dim must be between 1 and 100000") }
        if iterations < 1 { throw bad("--iter must be at least 1") }
        if !positive(xMax) { throw bad("--x-max must be a finite number greater than 0") }
        if !(alpha.isFinite && alpha >= 0) { throw bad("--alpha must be a finite number at least 0") }
        if !positive(eta) { throw bad("--eta must be a finite number greater than 0") }
        if !positive(gradientClip) { throw bad("the gradient clip must be a finite number greater than 0") }
        if !positive(biasRate) { throw bad("--bias-rate must be a finite number greater than 0") }
        if minCount < 1 { throw bad("--min-count must be at least 1") }
        if let m = maxVocab, m < 1 { throw bad("--max-vocab must be at least 1") }
        if threads < 1 { throw bad("--threads must be at least 1") }
        if cooccurrence.window < 1 || cooccurrence.window > GloVeConfig.maximumWindow {
            throw bad("--window must be between 1 and \(GloVeConfig.maximumWindow)")
        }
        if cooccurrence.memoryBytes < 1 { throw bad("--memory must be positive") }
        if resume && checkpointDirectory == nil { throw bad("--resume needs --checkpoint-dir") }
        if let dir = checkpointDirectory {
            guard System.isDirectory(dir) else { throw WordshiftError.io(path: dir, message: "checkpoint directory does not exist") }
            if resume, let done = try Checkpoint.completedIterations(in: dir), done > iterations {
                throw bad("\(Checkpoint.path(in: dir)): the checkpoint has completed \(done) iterations, more than --iter \(iterations); "
                    + "pass --iter \(done) or more to continue it, or drop --resume to start afresh")
            }
        }
    }

    /// Where a run with `checkpointDirectory` keeps its checkpoint.
    package static func checkpointPath(in directory: String) -> String { Checkpoint.path(in: directory) }

    /// Widest co-occurrence window accepted.
    public static let maximumWindow = 100_000

    /// The parameters as store meta entries (`training.*`).
    var metaEntries: [(String, String)] {
        [
            ("training.method", "glove"),
            ("training.dim", String(dimension)), ("training.window", String(cooccurrence.window)),
            ("training.symmetric", String(cooccurrence.symmetric)),
            ("training.distance_weighting", String(cooccurrence.distanceWeighting)),
            ("training.min_count", String(minCount)), ("training.max_vocab", maxVocab.map(String.init) ?? "none"),
            ("training.iter", String(iterations)), ("training.x_max", "\(xMax)"), ("training.alpha", "\(alpha)"),
            ("training.eta", "\(eta)"), ("training.grad_clip", "\(gradientClip)"),
            ("training.bias_rate", "\(biasRate)"),
            ("training.threads", String(threads)), ("training.seed", String(seed)),
            ("training.tokenizer", tokenizer.kind.rawValue), ("training.keep_case", String(tokenizer.keepCase)),
            ("training.memory", String(cooccurrence.memoryBytes)), ("training.vectors", output.rawValue),
        ]
    }
}
