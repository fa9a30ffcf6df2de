/// Everything that shapes a classification head and its training. Saved with the head.
public struct ClassifierConfig: Codable, Sendable, Equatable {
    /// How text becomes input rows: store words, hash buckets, word and character n-grams.
    public var features: FeatureConfig
    /// Length of the input vectors: the store's dimension.
    public var dimension: Int
    /// Units of the optional tanh hidden layer (0: the averaged input feeds the softmax).
    public var hidden: Int
    /// Keep the store's vectors fixed (hashed rows are always trained).
    public var freeze: Bool
    /// Most passes over the training data (early stopping may end sooner).
    public var epochs: Int
    /// Initial SGD step size; it decays linearly to 0 over the epochs.
    public var learningRate: Float
    /// Training threads (Hogwild SGD); default all cores.
    public var threads: Int
    /// Seed of the initialisation, the example order and the held-out split.
    public var seed: UInt64
    /// Held-out share of the training data for early stopping when no validation file is given.
    public var validFraction: Double
    /// Epochs without validation improvement before stopping.
    public var patience: Int
    /// Weight each class by N / (classes × count) (handles imbalance).
    public var balanceClasses: Bool

    /// A configuration with fastText-like defaults: 5 epochs, learning rate 0.1, no hidden layer,
    /// trainable vectors, 5% held out for early stopping with patience 2, balanced classes, seed 1.
    public init(features: FeatureConfig, dimension: Int, hidden: Int = 0, freeze: Bool = false, epochs: Int = 5,
                learningRate: Float = 0.1, threads: Int = Parallel.defaultThreads, seed: UInt64 = 1,
                validFraction: Double = 0.05, patience: Int = 2, balanceClasses: Bool = true) {
        self.features = features
        self.dimension = dimension
        self.hidden = hidden
        self.freeze = freeze
        self.epochs = epochs
        self.learningRate = learningRate
        self.threads = threads
        self.seed = seed
        self.validFraction = validFraction
        self.patience = patience
        self.balanceClasses = balanceClasses
    }

    /// Longest word n-gram accepted.
    public static let maximumWordNgrams = 10
    /// Most hidden units accepted.
    public static let maximumHidden = 10_000
    /// Most hash buckets accepted.
    public static let maximumBuckets = 50_000_000

    /// Refuses values that cannot train, and heads whose matrices would not fit in this
    /// machine's memory (checked before any work starts).
    public func validate() throws {
        func bad(_ m: String) -> WordshiftError { WordshiftError.invalidArgument(m) }
        guard dimension > 0, features.storeCount >= 0 else { throw bad("the store has no vectors") }
        guard (1...Self.maximumWordNgrams).contains(features.wordNgrams) else {
            throw bad("--word-ngrams must be between 1 and \(Self.maximumWordNgrams)")
        }
        guard (0...Self.maximumHidden).contains(hidden) else { throw bad("--hidden must be between 0 and \(Self.maximumHidden)") }
        guard (0...Self.maximumBuckets).contains(features.buckets) else {
            throw bad("--buckets must be between 0 and \(Self.maximumBuckets)")
        }
        guard epochs >= 1 else { throw bad("--epochs must be at least 1") }
        guard learningRate.isFinite, learningRate > 0 else { throw bad("--lr must be a finite number greater than 0") }
        guard threads >= 1 else { throw bad("--threads must be at least 1") }
        guard validFraction.isFinite, validFraction >= 0, validFraction < 1 else {
            throw bad("--valid-fraction must be at least 0 and less than 1")
        }
        // The input matrix (store rows + buckets) and its fine-tuning copy, in float32.
        let rows = features.storeCount + features.buckets
        let bytes = Double(rows) * Double(dimension) * 4 * 2
        let available = Double(System.physicalMemoryBytes)
        if available > 0 && bytes > available {
            throw bad("a head with \(features.buckets) buckets over \(features.storeCount) words of dimension \(dimension) "
                + "needs about \(Format.quantity(bytes))B, more than this machine's \(Format.quantity(available))B; use fewer --buckets")
        }
    }
}

