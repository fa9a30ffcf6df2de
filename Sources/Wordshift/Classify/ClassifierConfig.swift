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
    /// Training threads (each trains its own copy of the head on a shard of the data; the
    /// copies are merged every 64 examples per thread); default all cores. The result
    /// depends on the seed and the thread count only.
    public var threads: Int
    /// Seed of the initialisation, the example order and the held-out split.
    public var seed: UInt64
    /// Held-out share of the training data for early stopping when no validation file is given.
    public var validFraction: Double
    /// Epochs without validation improvement before stopping.
    public var patience: Int
    /// Weight each class by N / (classes × count) (handles imbalance).
    public var balanceClasses: Bool
    /// Start from this head's parameters instead of fresh ones (few-shot fine-tuning of an
    /// adapted head). It must have the same labels, in the same order, and the same feature
    /// layout (store rows, buckets, n-grams, dimension, hidden units); `Classifier.train` refuses
    /// others. Not saved with the head.
    public var warmStart: ClassifierHead?
    /// Strength of the L2 pull toward the `warmStart` parameters: each update also moves every
    /// parameter it touches by lr · anchorWeight · (start − current). 0: plain fine-tuning.
    public var anchorWeight: Float

    /// A configuration with fastText-like defaults: 5 epochs, learning rate 0.1, no hidden layer,
    /// trainable vectors, 5% held out for early stopping with patience 2, balanced classes, seed 1.
    public init(features: FeatureConfig, dimension: Int, hidden: Int = 0, freeze: Bool = false, epochs: Int = 5,
                learningRate: Float = 0.1, threads: Int = Parallel.defaultThreads, seed: UInt64 = 1,
                validFraction: Double = 0.05, patience: Int = 2, balanceClasses: Bool = true,
                warmStart: ClassifierHead? = nil, anchorWeight: Float = 0) {
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
        self.warmStart = warmStart
        self.anchorWeight = anchorWeight
    }

    private enum CodingKeys: String, CodingKey {
        case features, dimension, hidden, freeze, epochs, learningRate, threads, seed, validFraction, patience, balanceClasses
        case anchorWeight
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        features = try c.decode(FeatureConfig.self, forKey: .features)
        dimension = try c.decode(Int.self, forKey: .dimension)
        hidden = try c.decode(Int.self, forKey: .hidden)
        freeze = try c.decode(Bool.self, forKey: .freeze)
        epochs = try c.decode(Int.self, forKey: .epochs)
        learningRate = try c.decode(Float.self, forKey: .learningRate)
        threads = try c.decode(Int.self, forKey: .threads)
        seed = try c.decode(UInt64.self, forKey: .seed)
        validFraction = try c.decode(Double.self, forKey: .validFraction)
        patience = try c.decode(Int.self, forKey: .patience)
        balanceClasses = try c.decode(Bool.self, forKey: .balanceClasses)
        // Heads saved before few-shot warm starts have no anchor weight.
        anchorWeight = try c.decodeIfPresent(Float.self, forKey: .anchorWeight) ?? 0
        warmStart = nil
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(features, forKey: .features)
        try c.encode(dimension, forKey: .dimension)
        try c.encode(hidden, forKey: .hidden)
        try c.encode(freeze, forKey: .freeze)
        try c.encode(epochs, forKey: .epochs)
        try c.encode(learningRate, forKey: .learningRate)
        try c.encode(threads, forKey: .threads)
        try c.encode(seed, forKey: .seed)
        try c.encode(validFraction, forKey: .validFraction)
        try c.encode(patience, forKey: .patience)
        try c.encode(balanceClasses, forKey: .balanceClasses)
        if anchorWeight != 0 { try c.encode(anchorWeight, forKey: .anchorWeight) }
    }

    /// Equal settings; warm starts compare by identity.
    public static func == (a: ClassifierConfig, b: ClassifierConfig) -> Bool {
        a.features == b.features && a.dimension == b.dimension && a.hidden == b.hidden && a.freeze == b.freeze
            && a.epochs == b.epochs && a.learningRate == b.learningRate && a.threads == b.threads && a.seed == b.seed
            && a.validFraction == b.validFraction && a.patience == b.patience && a.balanceClasses == b.balanceClasses
            && a.anchorWeight == b.anchorWeight && a.warmStart === b.warmStart
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
        guard anchorWeight.isFinite, anchorWeight >= 0 else { throw bad("the anchor weight must be a finite number of at least 0") }
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

