import ArgumentParser
import Foundation
import Wordshift

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Train a small GloVe model on the default corpus and query it (the README's quick start).",
        discussion: """
            The default corpus is enwiki-2015-head.txt (1.0M tokens of English Wikipedia) from the \
            public data set listed in corpora/manifest.tsv, looked up in $WORDSHIFT_DATA, corpora/data \
            (filled by tools/fetch-data.sh) and ../shared/data. Trains 50-dimensional vectors, fits \
            character n-grams for unseen words, and prints neighbours, an analogy and a misspelling.
            """)

    @Option(name: .long, help: "Corpus to train on (default: the embedded default corpus).") var corpus: String?
    @Option(name: .long, help: "Store to write.") var out = "vectors/demo.sqlite"
    @Option(name: .long, help: "Vector dimension.", transform: Flags.integer(1...100_000)) var dim = 50
    @Option(name: .long, help: "Training iterations.", transform: Flags.integer(1...)) var iter = 10
    @Option(name: .long, help: "Context window.", transform: Flags.integer(1...GloVeConfig.maximumWindow)) var window = 10
    @Option(name: .long, help: "Threads (default: all cores).", transform: Flags.threads) var threads: Int?
    @Option(name: .long, parsing: .upToNextOption, help: "Words to query.")
    var query = ["king", "music", "war", "science", "water", "january"]
    @Flag(name: .long, help: "Train again even if --out exists (it is replaced).") var force = false
    @OptionGroup var output: OutputOptions

    static let defaultCorpus = "corpus/enwiki-2015-head.txt"

    static func locateDefaultCorpus() -> String? {
        var roots: [String] = []
        if let env = ProcessInfo.processInfo.environment["WORDSHIFT_DATA"] { roots.append(env) }
        roots += ["corpora/data", "../shared/data"]
        return roots.map { $0 + "/" + defaultCorpus }.first { FileManager.default.fileExists(atPath: $0) }
    }

    func run() throws {
        let text = !output.json
        // A second demo queries the store the first one trained instead of replacing it.
        if System.fileExists(out) && !force {
            let store = try VectorStore(path: out)
            if text { print("Using the vectors trained earlier in \(out) (pass --force to train them again).") }
            let index = try store.loadIndex()
            let table = try NgramTable.load(from: store)
            try query(WordVectors(index: index, subwords: table), result: Result(store: out, reused: true))
            return
        }
        guard let path = corpus ?? Self.locateDefaultCorpus() else {
            throw WordshiftError.io(path: Self.defaultCorpus,
                message: "the default corpus was not found in $WORDSHIFT_DATA, corpora/data or ../shared/data; run `bash tools/fetch-data.sh` or pass --corpus FILE")
        }
        let dir = (out as NSString).deletingLastPathComponent
        if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        try OutputPath.check(out, force: force, inputs: [path])
        var config = GloVeConfig()
        config.dimension = dim
        config.iterations = iter
        config.cooccurrence.window = window
        config.threads = threads ?? Parallel.defaultThreads
        if text { print("Training \(dim)-d GloVe vectors on \(path) (\(iter) iterations, window \(window), \(config.threads) threads)…") }
        let summary = try GloVePipeline.train(corpus: [path], out: out, config: config, progress: ProgressRenderer.handler(quiet: output.quiet))
        if text {
            print("  \(summary.tokens) tokens, \(summary.vocabularySize) words, \(summary.pairs) co-occurrence pairs, "
                  + "\(Format.fixed(summary.totalSeconds, 1)) s → \(out)")
        }

        let index = try VectorStore(path: out).loadIndex()
        let (table, fitted) = NgramFit.fit(index: index, options: NgramFit.Options())
        try table.save(toStore: out)
        if text { print("  fitted \(fitted.buckets) character n-gram vectors for unseen words (\(Format.fixed(fitted.seconds, 1)) s)\n") }

        try query(WordVectors(index: index, subwords: table),
                  result: Result(store: out, reused: false, training: summary, ngramVectors: fitted.buckets))
    }

    /// Neighbours of the query words, a misspelling and an analogy.
    private func query(_ vectors: WordVectors, result: Result) throws {
        var result = result
        let text = !output.json
        for word in query + ["philosphy"] {
            guard let source = vectors.source(of: word) else {
                if text { print("\(word): not in the vocabulary") }
                continue
            }
            let found = try vectors.nearest(to: word, k: 6)
            result.queries.append(Query(word: word, source: source, neighbors: found))
            let label = source == .subwords ? "\(word) (unseen; from its n-grams)" : word
            if text { print("\(label): " + found.map { "\($0.word) \(Format.fixed(Double($0.score), 2))" }.joined(separator: ", ")) }
        }
        if ["he", "his", "she"].allSatisfy(vectors.contains) {
            result.analogy = try vectors.analogy(a: "he", b: "his", c: "she", k: 3)
            if text { print("\nhe : his :: she : " + result.analogy.map(\.word).joined(separator: ", ")) }
        }
        if output.json { try JSONOutput.print(result); return }
        print("\nTry: .build/release/wordshift nearest \(result.store) science -k 10")
    }

    struct Query: Codable { var word: String; var source: WordVectors.Source; var neighbors: [Neighbor] }
    struct Result: Codable {
        var store: String
        /// True when an earlier demo's store was queried instead of training again.
        var reused: Bool
        var training: TrainingSummary?
        var ngramVectors: Int?
        var queries: [Query] = []
        /// he : his :: she : ?
        var analogy: [Neighbor] = []
    }
}
