import ArgumentParser
import Wordshift

/// The settings of `classify adapt` and `classify compare`. Every option is optional: left
/// out, the value of `DomainAdapter.Options()` applies (the defaults live there only).
struct AdapterOptions: ParsableArguments {
    static let d = DomainAdapter.Options()

    @Option(name: .long, help: "Use the first N lines of the unlabeled target text (default: all).", transform: Flags.integer(1...))
    var targetLimit: Int?
    @Option(name: .long, help: "Random seed of every head and of the Mittens run (default \(d.seed)).") var seed: UInt64?
    @Option(name: .long, help: "Worker threads (default: all cores).", transform: Flags.threads) var threads: Int?
    @Option(name: .long, help: "Epochs of every head (default \(d.epochs)).", transform: Flags.integer(1...)) var epochs: Int?
    @Option(name: .long, help: "Initial learning rate of every head (default \(d.learningRate)).", transform: Flags.real(above: Float(0)))
    var lr: Float?
    @Option(name: .long, help: "Longest word n-gram of the full heads (default \(d.wordNgrams)).",
            transform: Flags.integer(1...ClassifierConfig.maximumWordNgrams)) var wordNgrams: Int?
    @Option(name: .long, help: "Hash buckets of the full heads (default \(d.buckets)).",
            transform: Flags.integer(0...ClassifierConfig.maximumBuckets)) var buckets: Int?
    @Option(name: .long, help: "Hidden tanh units (default \(d.hidden); coral needs 0).",
            transform: Flags.integer(0...ClassifierConfig.maximumHidden)) var hidden: Int?
    @Flag(name: .long, help: "Keep the vectors fixed in the full heads (default: fine-tune them).") var freeze = false
    @Flag(name: .long, help: "Add character n-grams of words missing from the vectors.") var subwords = false
    @Option(name: .long, help: "Share held out for early stopping (default \(d.validFraction)).", transform: Flags.real(from: 0.0, below: 1.0))
    var validFraction: Double?
    @Flag(name: .long, help: "Do not weight classes by inverse frequency.") var noBalance = false

    @Option(name: .long, help: "Mittens penalty weight mu in mu·|w − w_store|² (default \(d.mittens.mu); 0: free GloVe from the store's vectors).",
            transform: Flags.real(from: Float(0))) var mu: Float?
    @Option(name: .customLong("adapt-iter"), help: "GloVe iterations on the target text (default \(d.mittens.iterations)).",
            transform: Flags.integer(1...)) var adaptIter: Int?
    @Option(name: .customLong("adapt-window"), help: "Co-occurrence window on the target text (default \(d.mittens.window)).",
            transform: Flags.integer(1...GloVeConfig.maximumWindow)) var adaptWindow: Int?
    @Option(name: .customLong("adapt-min-count"), help: "Minimum count of a target-text word (default \(d.mittens.minCount)).",
            transform: Flags.integer(1...)) var adaptMinCount: Int?
    @Option(name: .customLong("adapt-threads"), help: "Mittens threads (default: --threads).", transform: Flags.threads) var adaptThreads: Int?
    @Flag(name: .customLong("adapt-with-source"), inversion: .prefixedNo,
          help: "Train the adapted vectors on the source texts too, labels dropped (default: \(d.mittens.withSource ? "yes" : "no")).")
    var adaptWithSource: Bool?

    @Flag(name: .customLong("transfer-fine-tune"), help: "Fine-tune the adapted vectors in the embeddings head (default: frozen).")
    var transferFineTune = false
    @Option(name: .customLong("transfer-word-ngrams"), help: "Longest word n-gram of the embeddings head (default \(d.transfer.wordNgrams)).",
            transform: Flags.integer(1...ClassifierConfig.maximumWordNgrams)) var transferWordNgrams: Int?
    @Option(name: .customLong("transfer-buckets"), help: "Hash buckets of the embeddings head (default \(d.transfer.buckets): adapted vectors only).",
            transform: Flags.integer(0...ClassifierConfig.maximumBuckets)) var transferBuckets: Int?
    @Option(name: .customLong("transfer-sif"), help: "SIF weight a/(a+p(w)) on the embeddings head's vectors (default \(d.transfer.sif); 0: off).",
            transform: Flags.real(from: 0.0)) var transferSIF: Double?
    @Option(name: .customLong("transfer-heads"),
            help: "Average the output weights of N embeddings heads with different seeds (default \(d.transfer.heads); frozen vectors, no buckets, no hidden layer).",
            transform: Flags.integer(1...EmbeddingAdaptation.maximumHeads)) var transferHeads: Int?
    @Flag(name: .customLong("transfer-coral"), help: "CORAL-align the embeddings head's features and teach with that head.")
    var transferCoral = false
    @Option(name: .customLong("student-fraction"), help: "Share of the target text the embeddings+self-train student learns from (default \(d.transfer.studentFraction)).",
            transform: Flags.real(above: 0.0, through: 1.0)) var studentFraction: Double?
    @Option(name: .customLong("self-train-fractions"),
            help: "Comma-separated share of the target text pseudo-labeled per self-training round (default \(d.transfer.selfTrainFractions.map { "\($0)" }.joined(separator: ","))).")
    var selfTrainFractions: String?
    @Flag(name: .customLong("self-train-pseudo-only"), help: "Self-training rounds learn from the pseudo-labels alone (default: source data + pseudo-labels).")
    var selfTrainPseudoOnly = false
    @Option(name: .long, help: "Weight of the reversed domain gradient of the adversarial method (default \(d.adversarialWeight)).",
            transform: Flags.real(from: Float(0))) var adversarialWeight: Float?
    @Option(name: .long, help: "Class prior of the pseudo-labels (embeddings + self-train, self-train): balanced, em, mixture or confusion (default \(d.priorEstimate.rawValue); docs/adapt.md).")
    var prior: LabelPrior.Estimator?
    @Option(name: .long, help: "CORAL ridge relative to the mean feature variance (default \(d.coralLambda)).",
            transform: Flags.real(from: 0.0)) var coralLambda: Double?

    /// `DomainAdapter.Options()` with the options given on the command line.
    func options(method: AdaptationMethod) throws -> DomainAdapter.Options {
        var o = DomainAdapter.Options()
        o.method = method
        if let targetLimit { o.targetLimit = targetLimit }
        if let seed { o.seed = seed }
        if let threads { o.threads = threads }
        if let epochs { o.epochs = epochs }
        if let lr { o.learningRate = lr }
        if let wordNgrams { o.wordNgrams = wordNgrams }
        if let buckets { o.buckets = buckets }
        if let hidden { o.hidden = hidden }
        if freeze { o.freeze = true }
        if subwords { o.subwords = true }
        if let validFraction { o.validFraction = validFraction }
        if noBalance { o.balanceClasses = false }
        if let mu { o.mittens.mu = mu }
        if let adaptIter { o.mittens.iterations = adaptIter }
        if let adaptWindow { o.mittens.window = adaptWindow }
        if let adaptMinCount { o.mittens.minCount = adaptMinCount }
        if let adaptThreads { o.mittens.threads = adaptThreads }
        if let adaptWithSource { o.mittens.withSource = adaptWithSource }
        if transferFineTune { o.transfer.freezeVectors = false }
        if let transferWordNgrams { o.transfer.wordNgrams = transferWordNgrams }
        if let transferBuckets { o.transfer.buckets = transferBuckets }
        if let transferSIF { o.transfer.sif = transferSIF }
        if let transferHeads { o.transfer.heads = transferHeads }
        if transferCoral { o.transfer.coral = true }
        if let studentFraction { o.transfer.studentFraction = studentFraction }
        if let selfTrainFractions {
            var f: [Double] = []
            for part in selfTrainFractions.split(separator: ",", omittingEmptySubsequences: false) {
                guard let v = Double(part.trimmingCharacters(in: .whitespaces)), v.isFinite, v > 0, v <= 1 else {
                    throw ValidationError("--self-train-fractions: \"\(part)\" is not a number in (0, 1]")
                }
                f.append(v)
            }
            o.transfer.selfTrainFractions = f
        }
        if selfTrainPseudoOnly { o.transfer.selfTrainWithSource = false }
        if let adversarialWeight { o.adversarialWeight = adversarialWeight }
        if let coralLambda { o.coralLambda = coralLambda }
        if let prior { o.priorEstimate = prior }
        return o
    }
}

extension AdaptationMethod: ExpressibleByArgument {}
extension LabelPrior.Estimator: ExpressibleByArgument {}

/// The inputs of `classify adapt` and `classify compare`, read once.
struct AdaptationInputs {
    var sourceFiles: [LabeledDataset]
    var source: LabeledDataset
    var target: [String]
    var targetLabeled: LabeledDataset?
    var tests: [LabeledDataset]

    /// Reads every input before any work. The labeled target files (few-shot and test) are
    /// renamed through `labelMap` and must share labels with the source data (a file with none of
    /// them is refused; unknown labels in some examples are a warning).
    init(source paths: [String], target: String, targetLabeled: String?, tests: [String],
         labelMap: [String: String] = [:], quiet: Bool = true) throws {
        guard let first = paths.first else { throw ValidationError("need at least one --source file") }
        sourceFiles = try paths.map { try LabeledDataReader.read($0) }
        var all = sourceFiles[0]
        for f in sourceFiles.dropFirst() { all.append(f) }
        all.source = first
        source = all
        self.target = try LabeledDataReader.readText(target)
        let labels = all.labels
        func checked(_ path: String) throws -> LabeledDataset {
            try LabelTables.scoring(LabeledDataReader.read(path), against: labels, whose: "the source data", map: labelMap, quiet: quiet)
        }
        self.targetLabeled = try targetLabeled.map(checked)
        self.tests = try tests.map(checked)
    }
}

/// Finds adapted vectors saved under `name` that stand in for the adapter's Mittens run on this
/// data: nil when there is no such set (or `rebuild` asks for a new one); an error naming the
/// differences, and what to do, when a set of that name was made otherwise.
func reusableVectors(named name: String, explicit: Bool, rebuild: Bool, store: VectorStore, adapter: DomainAdapter,
                     base: EmbeddingIndex, inputs: AdaptationInputs, quiet: Bool,
                     remedy: String = "Leave out --vectors (a set named after the settings is used), choose another --vectors name, "
                         + "or pass --rebuild-vectors to rebuild it (refused while a head uses it)") throws -> AdaptedVectors? {
    guard let info = try VectorSets.find(name, in: store) else {
        if explicit && !quiet { Console.error("vector set \(name) does not exist yet: Mittens builds it\n") }
        return nil
    }
    let expected = adapter.expectedVectorSettings(base: base, source: inputs.source, target: inputs.target)
    let saved = AdaptedVectors(index: base, corpusRows: 0, settings: info.settings)
    let differences = saved.mismatches(with: expected)
    if differences.isEmpty && !rebuild {
        if !quiet { Console.error("reusing vector set \(name) (same Mittens settings and corpus)\n") }
        return try AdaptedVectors.load(set: name, from: store, progress: ProgressRenderer.handler(quiet: quiet))
    }
    if rebuild { return nil }
    throw WordshiftError.invalidArgument("vector set \(name) in \(store.path) was made with other settings (saved → asked: "
        + differences.joined(separator: "; ") + "). " + remedy)
}
