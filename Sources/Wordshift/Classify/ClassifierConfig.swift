/// Everything that shapes a classification head and its training. Saved with the head.
public struct ClassifierConfig: Codable, Sendable, Equatable {
    public var features: FeatureConfig
    public var dimension: Int
    /// Units of the optional tanh hidden layer (0: the averaged input feeds the softmax).
    public var hidden: Int
    /// Keep the store's vectors fixed (hashed rows are always trained).
    public var freeze: Bool
    public var epochs: Int
    public var learningRate: Float
    public var threads: Int
    public var seed: UInt64
    /// Held-out share of the training data for early stopping when no validation file is given.
    public var validFraction: Double
    /// Epochs without validation improvement before stopping.
    public var patience: Int
    /// Weight each class by N / (classes × count) (handles imbalance).
    public var balanceClasses: Bool

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
}
