import ArgumentParser
import Wordshift

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate", abstract: "Standard intrinsic evaluations (computed as gensim computes them).",
        subcommands: [EvaluateAnalogies.self, EvaluateSimilarity.self, EvaluateMisspellings.self, EvaluateRecall.self])
}

struct EvaluateAnalogies: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "analogies", abstract: "Analogy accuracy on a questions-words file, per section.")

    @Argument(help: "Store.") var store: String
    @Argument(help: "Questions file (`: section` lines, then `a b c d`).") var file: String
    @Option(name: .long, help: "Use only the N most frequent words (gensim's default 300000).", transform: Flags.integer(1...))
    var restrictVocab = 300_000
    @Option(name: .long, help: "3cosadd or 3cosmul.") var method: AnalogyMethod = .add
    @OptionGroup var subwords: SubwordOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let vectors = try loadWordVectors(store, quiet: output.quiet, subwords: subwords)
        let r = try AnalogyEvaluation.run(index: vectors.index, file: file, restrictVocab: restrictVocab, method: method,
                                          subwords: vectors.subwords,
                                          progress: ProgressRenderer.handler(quiet: output.quiet))
        if output.json { try JSONOutput.print(r); return }
        print("section".padding(32) + "correct/attempted  accuracy")
        for s in r.sections {
            print(s.name.padding(32) + "\(s.correct)/\(s.attempted)".padding(19) + Format.percent(s.accuracy))
        }
        print("semantic".padding(32) + "\(r.semantic.correct)/\(r.semantic.attempted)".padding(19) + Format.percent(r.semantic.accuracy))
        print("syntactic".padding(32) + "\(r.syntactic.correct)/\(r.syntactic.attempted)".padding(19) + Format.percent(r.syntactic.accuracy))
        print("total".padding(32) + "\(r.total.correct)/\(r.total.attempted)".padding(19) + Format.percent(r.total.accuracy)
              + "  (coverage \(Format.percent(r.total.coverage)) of \(r.total.total)"
              + (r.total.coverageWithSubwords.map { "; with subwords \(Format.percent($0))" } ?? "") + ")")
    }
}

struct EvaluateSimilarity: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "similarity", abstract: "Spearman and Pearson correlation on word-similarity sets.")

    @Argument(help: "Store.") var store: String
    @Argument(help: "Similarity files (TSV, space-separated, SimVerb).") var files: [String]
    @Option(name: .long, help: "Use only the N most frequent words.", transform: Flags.integer(1...)) var restrictVocab = 300_000
    @OptionGroup var subwords: SubwordOptions
    @OptionGroup var output: OutputOptions

    struct Result: Codable { var results: [SimilarityEvaluation] }

    func run() throws {
        let vectors = try loadWordVectors(store, quiet: output.quiet, subwords: subwords)
        let results = try files.map {
            try SimilarityEvaluation.run(index: vectors.index, file: $0, restrictVocab: restrictVocab, subwords: vectors.subwords)
        }
        for r in results where r.invalidLines > 0 {
            let listed = r.firstInvalidLines.map(String.init).joined(separator: ", ")
            warn("\(r.file): skipped \(r.invalidLines) line\(r.invalidLines == 1 ? "" : "s") without two words and a finite score "
                 + "(line\(r.invalidLines == 1 ? "" : "s") \(listed)\(r.invalidLines > r.firstInvalidLines.count ? ", …" : ""))",
                 quiet: output.quiet)
        }
        if output.json { try JSONOutput.print(Result(results: results)); return }
        print("file".padding(34) + "spearman  pearson   used/pairs   all pairs: spearman  coverage (subwords)  skipped lines")
        for r in results {
            let name = r.file.split(separator: "/").last.map(String.init) ?? r.file
            print(name.padding(34) + Format.fixed(r.spearman, 4).padding(10) + Format.fixed(r.pearson, 4).padding(10)
                  + "\(r.used)/\(r.pairs)".padding(24) + Format.fixed(r.spearmanAllPairs, 4).padding(10)
                  + (Format.percent(r.coverageWithSubwords) + (vectors.subwords == nil ? " (no subwords)" : "")).padding(21)
                  + "\(r.invalidLines)")
        }
    }
}

struct EvaluateMisspellings: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "misspellings",
        abstract: "How often a one-edit misspelling of a frequent word finds that word among its nearest neighbours (needs subwords).")

    @Argument(help: "Store with subwords (fastText import or `subword fit`).") var store: String
    @Option(name: .long, help: "Misspell the N most frequent words.", transform: Flags.integer(1...)) var words = 10_000
    @Option(name: .short, help: "A hit is the intended word among the top k.", transform: Flags.integer(1...)) var k = 5
    @Option(name: .long, help: "Search only the N most frequent words.", transform: Flags.integer(1...)) var restrictVocab: Int?
    @Option(name: .long, help: "Seed of the edits.") var seed: UInt64 = 1
    @OptionGroup var output: OutputOptions

    func run() throws {
        let s = try VectorStore(path: store)
        let vectors = try WordVectors.load(store: s, progress: ProgressRenderer.handler(quiet: output.quiet))
        guard vectors.subwords != nil else {
            throw WordshiftError.invalidArgument("\(store) has no subwords; run `wordshift subword fit \(store)` first")
        }
        let r = MisspellingEvaluation.run(vectors: vectors, count: words, k: k, seed: seed, restrict: restrictVocab,
                                          progress: ProgressRenderer.handler(quiet: output.quiet))
        if output.json { try JSONOutput.print(r); return }
        print("\(r.hits)/\(r.words) misspellings found their word in the top \(r.k) (\(Format.percent(r.hitRate))); \(r.withVector) had a subword vector")
        for e in r.examples.prefix(8) { print("  \(e.misspelling) → \(e.top.joined(separator: ", "))  [\(e.word)]") }
    }
}

struct EvaluateRecall: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recall",
        abstract: "Recall@k of a store's nearest neighbours against exact search on a reference store of the same words (e.g. a quantized copy against its float32 original).",
        discussion: "Each sampled word of the reference is queried one at a time on both stores (its own word left out); recall is the share of the reference's exact top k found. Times are mean wall seconds per query.")

    @Argument(help: "Store to evaluate (e.g. `quantize --to pq` output).") var store: String
    @Option(name: .long, help: "Reference store searched exactly (e.g. the float32 original).") var reference: String
    @Option(name: .long, help: "Words to sample from the reference.", transform: Flags.integer(1...)) var sample = 1000
    @Option(name: .long, help: "Query words, one per line (instead of a sample).") var queries: String?
    @Option(name: .long, help: "Seed of the sample.") var seed: UInt64 = 1
    @Option(name: .short, help: "Neighbours per query.", transform: Flags.integer(1...)) var k = 10
    @Option(name: .long, help: "Threads each query runs on.", transform: Flags.integer(1...)) var threads = 1
    @OptionGroup var output: OutputOptions

    func run() throws {
        let progress = ProgressRenderer.handler(quiet: output.quiet)
        let evaluated = try VectorStore(path: store).loadIndex(progress: progress)
        let exact = try VectorStore(path: reference).loadIndex(progress: progress)
        let rows: [Int]
        if let queries {
            rows = try queryRows(queries, in: exact)
        } else {
            rows = IndexCheck.sample(rows: exact.count, count: sample, seed: seed)
        }
        let r = try NeighborRecall.run(index: evaluated, reference: exact, rows: rows, k: k, threads: threads)
        if output.json { try JSONOutput.print(r); return }
        print("\(r.queries) queries, k \(r.k), \(r.threads) thread(s): recall@\(r.k) \(Format.fixed(r.recall, 4))"
            + (r.productQuantized ? " (product-quantized: approximate)" : "") + "; mean cosine to the reference \(Format.fixed(r.meanCosine, 4))")
        print("  \(Format.fixed(r.secondsPerQuery * 1000, 3)) ms/query, reference exact \(Format.fixed(r.referenceSecondsPerQuery * 1000, 3)) ms/query")
    }
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self + " " : self + String(repeating: " ", count: width - count) }
}
