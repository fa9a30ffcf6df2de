import ArgumentParser
import Wordshift

/// Options of the counting stages (tokenizer, vocabulary, window, memory).
struct CountingOptions: ParsableArguments {
    @Option(name: .long, help: "Context words on each side.", transform: Flags.integer(1...GloVeConfig.maximumWindow)) var window = 15
    @Option(name: .customLong("min-count"), help: "Drop words seen fewer times.", transform: Flags.integer(1...)) var minCount = 5
    @Option(name: .customLong("max-vocab"), help: "Keep at most this many words (most frequent).", transform: Flags.integer(1...)) var maxVocab: Int?
    @Option(name: .long, help: "Memory budget for counting, shuffling and training (the model comes on top), e.g. 4G, 256M; pairs beyond it are spilled to --temp-dir.",
            transform: Flags.memory)
    var memory = "4G"
    @Option(name: .customLong("temp-dir"), help: "Directory for spill files (default $TMPDIR or /tmp).") var tempDir: String?
    @Flag(name: .long, inversion: .prefixedNo, help: "Count pairs on both sides (default), or left context only.") var symmetric = true
    @Flag(name: .customLong("left-only"), help: "Count left context only (same as --no-symmetric).") var leftOnly = false
    @Flag(name: .customLong("no-distance-weighting"), help: "Weight every pair 1 instead of 1/distance.") var noDistanceWeighting = false
    @Option(name: .long, help: "unicode (NFKC + case folding, default) or whitespace (exactly like the reference tools).")
    var tokenizer = "unicode"
    @Flag(name: .customLong("keep-case"), help: "Unicode tokenizer: do not fold case.") var keepCase = false

    func config() throws -> GloVeConfig {
        var c = GloVeConfig()
        guard let kind = TokenizerKind(rawValue: tokenizer) else {
            throw ValidationError("--tokenizer must be unicode or whitespace")
        }
        c.tokenizer = TokenizerOptions(kind: kind, keepCase: keepCase)
        c.minCount = minCount
        c.maxVocab = maxVocab
        c.cooccurrence.window = window
        c.cooccurrence.symmetric = symmetric && !leftOnly
        c.cooccurrence.distanceWeighting = !noDistanceWeighting
        c.cooccurrence.memoryBytes = try CooccurrenceOptions.parseMemory(memory)
        if let tempDir { c.cooccurrence.temporaryDirectory = tempDir }
        return c
    }
}

/// Options of the training stage.
struct GloVeOptions: ParsableArguments {
    @Option(name: .long, help: "Vector dimension.", transform: Flags.integer(1...100_000)) var dim = 100
    @Option(name: .long, help: "Training iterations.", transform: Flags.integer(1...)) var iter = 15
    @Option(name: .customLong("x-max"), help: "Weighting cutoff x_max.", transform: Flags.real(above: 0.0)) var xMax = 10.0
    @Option(name: .long, help: "Weighting exponent.", transform: Flags.real(from: 0.0)) var alpha = 0.75
    @Option(name: .long, help: "AdaGrad learning rate.", transform: Flags.real(above: 0.0)) var eta = 0.05
    @Option(name: .customLong("bias-rate"), help: "Scale of the bias steps: 1 as the reference's current release, or the --eta value for its older rule.",
            transform: Flags.real(above: 0.0))
    var biasRate = 1.0
    @Option(name: .long, help: "Worker threads (default: all cores).", transform: Flags.threads) var threads: Int?
    @Option(name: .long, help: "Random seed (initialisation and shuffle).") var seed: UInt64 = 1
    @Option(name: .customLong("checkpoint-dir"), help: "Write a checkpoint here after every iteration.") var checkpointDir: String?
    @Flag(name: .long, help: "Continue from the checkpoint in --checkpoint-dir.") var resume = false
    @Flag(name: .customLong("word-vectors-only"), help: "Store word vectors only, not word + context.") var wordVectorsOnly = false

    /// Without --resume, an earlier run's checkpoint in --checkpoint-dir would be replaced
    /// after the first iteration: that takes --force.
    func checkCheckpoint(force: Bool) throws {
        guard let checkpointDir, !resume, !force, System.fileExists(GloVeConfig.checkpointPath(in: checkpointDir)) else { return }
        throw WordshiftError.invalidArgument("\(GloVeConfig.checkpointPath(in: checkpointDir)) holds an earlier run's checkpoint; "
            + "pass --resume to continue it, or --force to start afresh and replace it")
    }

    func apply(to base: GloVeConfig) throws -> GloVeConfig {
        var c = base
        c.dimension = dim
        c.iterations = iter
        c.xMax = xMax
        c.alpha = alpha
        c.eta = eta
        c.biasRate = biasRate
        if let threads { c.threads = threads }
        c.seed = seed
        c.checkpointDirectory = checkpointDir
        c.resume = resume
        c.output = wordVectorsOnly ? .wordOnly : .wordPlusContext
        return c
    }
}

enum TrainReport {
    /// The run's result on standard output: JSON, or one line of text.
    static func finish(_ summary: TrainingSummary, json: Bool) throws {
        if json { try JSONOutput.print(summary); return }
        var line = "done in \(Format.duration(summary.totalSeconds)): \(summary.vocabularySize) words, \(summary.pairs) pairs"
        line += ", peak RSS \(Format.quantity(Double(summary.peakRSSBytes)))B"
        if let out = summary.out { line += " → \(out)" }
        print(line)
    }
}
