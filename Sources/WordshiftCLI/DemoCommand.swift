import ArgumentParser
import Foundation
import Wordshift

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Train a small GloVe model on the default corpus and query it (the README's quick start).",
        discussion: """
            The default corpus is enwiki-2015-head.txt (1.0M tokens of English Wikipedia) from the
            public data set listed in corpora/manifest.tsv, looked up in $WORDSHIFT_DATA, corpora/data
            (filled by tools/fetch-data.sh) and ../shared/data. Trains 50-dimensional vectors, fits
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
    @Flag(name: .shortAndLong, help: "No progress bars.") var quiet = false

    static let defaultCorpus = "corpus/enwiki-2015-head.txt"

    static func locateDefaultCorpus() -> String? {
        var roots: [String] = []
        if let env = ProcessInfo.processInfo.environment["WORDSHIFT_DATA"] { roots.append(env) }
        roots += ["corpora/data", "../shared/data"]
        return roots.map { $0 + "/" + defaultCorpus }.first { FileManager.default.fileExists(atPath: $0) }
    }

    func run() throws {
        // A second demo queries the store the first one trained instead of replacing it.
        if System.fileExists(out) && !force {
            let store = try VectorStore(path: out)
            print("Using the vectors trained earlier in \(out) (pass --force to train them again).")
            let index = try store.loadIndex()
            let table = try NgramTable.load(from: store)
            try query(WordVectors(index: index, subwords: table), out: out)
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
        print("Training \(dim)-d GloVe vectors on \(path) (\(iter) iterations, window \(window), \(config.threads) threads)…")
        let summary = try GloVePipeline.train(corpus: [path], out: out, config: config, progress: ProgressRenderer.handler(quiet: quiet))
        print("  \(summary.tokens) tokens, \(summary.vocabularySize) words, \(summary.pairs) co-occurrence pairs, "
              + "\(Format.fixed(summary.totalSeconds, 1)) s → \(out)")

        let store = try VectorStore(path: out)
        let index = try store.loadIndex()
        let fit = NgramFit.Options()
        let (table, fitted) = NgramFit.fit(index: index, options: fit)
        try StoreUpdate.run(out) { try table.write(to: $0) }
        print("  fitted \(fitted.buckets) character n-gram vectors for unseen words (\(Format.fixed(fitted.seconds, 1)) s)\n")

        try query(WordVectors(index: index, subwords: table), out: out)
    }

    /// Neighbours of the query words, a misspelling and an analogy.
    private func query(_ vectors: WordVectors, out: String) throws {
        let index = vectors.index
        for word in query + ["philosphy"] {
            guard let q = try? vectors.lookup(word) else { print("\(word): not in the vocabulary"); continue }
            let found = index.nearest(to: q.unit, k: 6, excluding: q.row.map { [$0] } ?? [])
            let label = q.source == .subwords ? "\(word) (unseen; from its n-grams)" : word
            print("\(label): " + found.map { "\($0.word) \(Format.fixed(Double($0.score), 2))" }.joined(separator: ", "))
        }
        if let a = index.id(of: "he"), let b = index.id(of: "his"), let c = index.id(of: "she") {
            let answers = index.analogy(a: a, b: b, c: c, k: 3)
            print("\nhe : his :: she : " + answers.map(\.word).joined(separator: ", "))
        }
        print("\nTry: .build/release/wordshift nearest \(out) science -k 10")
    }
}
