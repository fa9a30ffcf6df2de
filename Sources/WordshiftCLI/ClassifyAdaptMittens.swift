import ArgumentParser
import Foundation
import Wordshift

/// `classify adapt` options of the embeddings method: the Mittens run that adapts the store's
/// vectors to the target text, the head over them, and the iterated self-training.
struct MittensAdaptOptions: ParsableArguments {
    @Option(name: .long, help: "Mittens penalty weight mu in mu·|w − w_source|² (0: free GloVe from the source vectors).", transform: Flags.real(from: Float(0)))
    var mu: Float = 0.1
    @Option(name: .customLong("adapt-iter"), help: "GloVe iterations on the target text.", transform: Flags.integer(1...)) var adaptIter = 10
    @Option(name: .customLong("adapt-window"), help: "Co-occurrence window on the target text (wide: review-level topics carry the sentiment).",
            transform: Flags.integer(1...GloVeConfig.maximumWindow)) var adaptWindow = 50
    @Option(name: .customLong("adapt-min-count"), help: "Minimum count of a target-text word.", transform: Flags.integer(1...)) var adaptMinCount = 5
    @Option(name: .customLong("adapt-threads"), help: "GloVe threads (default: all cores).", transform: Flags.threads) var adaptThreads: Int?
    @Flag(name: .customLong("adapt-with-source"), help: "Train the vectors on the source texts too (their labels are dropped).") var adaptWithSource = false
    @Flag(name: .customLong("transfer-fine-tune"), help: "Fine-tune the adapted vectors in the embeddings head (default: frozen).") var transferFineTune = false
    @Option(name: .customLong("transfer-word-ngrams"), help: "Longest word n-gram of the embeddings head.",
            transform: Flags.integer(1...HeadOptions.maximumWordNgrams)) var transferWordNgrams = 1
    @Option(name: .customLong("transfer-buckets"), help: "Hash buckets of the embeddings head (0: adapted vectors only).",
            transform: Flags.integer(0...HeadOptions.maximumBuckets)) var transferBuckets = 0
    @Option(name: .customLong("student-fraction"), help: "Share of the target text the embeddings + self-train student learns from.",
            transform: Flags.real(above: 0.0, through: 1.0)) var studentFraction = 1.0
    @Option(name: .customLong("transfer-sif"), help: "SIF weight a/(a+p(w)) on the embeddings head's vectors (0: off).",
            transform: Flags.real(from: 0.0)) var transferSIF = 1e-3
    @Flag(name: .customLong("transfer-coral"), help: "Also CORAL-align the embeddings head's features, and teach with that head.") var transferCoral = false
    @Option(name: .customLong("self-train-fractions"), help: "Comma-separated share of the target text pseudo-labeled per self-training round (default 0.2,0.4,0.6,… for --self-train-rounds).")
    var selfTrainFractions: String?
    @Flag(name: .customLong("self-train-pseudo-only"), help: "Self-training rounds learn from the pseudo-labels alone (default: source data + pseudo-labels).") var selfTrainPseudoOnly = false

    func transferOptions(rounds: Int) throws -> EmbeddingAdaptation.Options {
        var o = EmbeddingAdaptation.Options()
        o.freezeVectors = !transferFineTune
        guard transferWordNgrams >= 1 else { throw ValidationError("--transfer-word-ngrams must be at least 1") }
        o.wordNgrams = transferWordNgrams
        guard transferBuckets >= 0, studentFraction > 0, studentFraction <= 1 else {
            throw ValidationError("need --transfer-buckets ≥ 0 and 0 < --student-fraction ≤ 1")
        }
        o.buckets = transferBuckets
        o.studentFraction = studentFraction
        o.coral = transferCoral
        guard transferSIF >= 0 else { throw ValidationError("--transfer-sif must not be negative") }
        o.sif = transferSIF
        o.selfTrainWithSource = !selfTrainPseudoOnly
        if let selfTrainFractions {
            var f: [Double] = []
            for part in selfTrainFractions.split(separator: ",") {
                guard let v = Double(part.trimmingCharacters(in: .whitespaces)), v > 0, v <= 1 else {
                    throw ValidationError("--self-train-fractions: \"\(part)\" is not a number in (0, 1]")
                }
                f.append(v)
            }
            o.selfTrainFractions = f
        } else {
            guard rounds >= 0 else { throw ValidationError("--self-train-rounds must not be negative") }
            o.selfTrainFractions = (0..<rounds).map { min(0.8, 0.2 * Double($0 + 1)) }
        }
        return o
    }

    /// The adapted store: `existing` if that file exists; otherwise Mittens on the target text
    /// (and, with --adapt-with-source, the source texts) from `source`, written to `existing` or a temporary path.
    func adaptedStore(existing: String?, source: VectorStore, sources: [String], target: String, quiet: Bool) throws -> String {
        if let existing, System.fileExists(existing) { return existing }
        guard adaptIter >= 1, adaptWindow >= 1, adaptMinCount >= 1 else {
            throw ValidationError("--adapt-iter, --adapt-window and --adapt-min-count must be at least 1")
        }
        let out = existing ?? System.temporarySibling(of: NSTemporaryDirectory() + "/wordshift-adapted.sqlite")
        var config = GloVeConfig()
        config.dimension = source.dimension
        config.iterations = adaptIter
        config.cooccurrence.window = adaptWindow
        config.minCount = adaptMinCount
        // The eta-scaled bias rule: the adaptation figures (BENCHMARKS §5) were measured with it.
        config.biasRate = config.eta
        if let adaptThreads { config.threads = adaptThreads }
        var corpus = [target]
        var sourceText: String?
        defer { if let sourceText { TemporaryFiles.remove(sourceText) } }
        if adaptWithSource {
            // Text only: the label column must not become a word of the corpus.
            let path = System.temporarySibling(of: NSTemporaryDirectory() + "/wordshift-source-text.txt")
            _ = TemporaryFiles.register(path)
            sourceText = path
            var text = ""
            for f in sources { for line in try LabeledDataReader.readText(f) { text += line + "\n" } }
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            corpus.append(path)
        }
        if existing == nil { _ = TemporaryFiles.register(out) }
        if !quiet { Console.error("embeddings: Mittens (mu \(mu)) from \(source.path) on \(corpus.count == 1 ? target : target + " + source text")\n") }
        let summary = try GloVePipeline.adapt(source: source, corpus: corpus, out: out, options: MittensOptions(mu: mu),
                                              config: config, progress: ProgressRenderer.handler(quiet: quiet))
        if !quiet {
            Console.error("embeddings: \(summary.training.vocabularySize) target words (\(summary.anchoredWords) anchored), "
                + "\(summary.copiedSourceWords) source words copied, \(Format.duration(summary.training.totalSeconds)) → \(out)\n")
        }
        return out
    }
}
