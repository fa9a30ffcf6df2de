import ArgumentParser
import Wordshift

/// Opens a store and reads its matrix for search.
func loadIndex(_ path: String, quiet: Bool) throws -> EmbeddingIndex {
    let store = try VectorStore(path: path)
    return try store.loadIndex(progress: ProgressRenderer.handler(quiet: quiet))
}

/// `--no-subwords`, shared by the query commands.
struct SubwordOptions: ParsableArguments {
    @Flag(name: .long, help: "Do not build vectors for unseen words from the store's subwords.")
    var noSubwords = false
}

/// Opens a store for word queries (matrix plus, unless disabled, its n-gram table and, unless
/// `exact`, its approximate-search index; a stale index is reported on standard error).
func loadWordVectors(_ path: String, quiet: Bool, subwords: SubwordOptions, exact: Bool = false) throws -> WordVectors {
    let store = try VectorStore(path: path)
    let vectors = try WordVectors.load(store: store, useSubwords: !subwords.noSubwords, useApproximateIndex: !exact,
                                       progress: ProgressRenderer.handler(quiet: quiet))
    if exact, store.encoding == .pq, !quiet {
        Console.error("note: \(path) is product-quantized: --exact ranks every decoded row, which approximates the float32 original.\n")
    }
    if let problem = vectors.approximateIndexProblem, !quiet {
        Console.error("warning: the index of \(path) is stale (\(problem)); searching exactly. Rebuild it with `wordshift index build \(path)`.\n")
    }
    return vectors
}

struct VectorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "vector", abstract: "Print the vector of a word (one indexed lookup; the matrix is not loaded).")

    @Argument(help: "Store.") var store: String
    @Argument(help: "Word.") var word: String
    @OptionGroup var subwords: SubwordOptions
    @OptionGroup var output: OutputOptions

    struct Result: Codable { var word: String; var source: WordVectors.Source; var vector: [Float] }

    func run() throws {
        let found = try StoreWordLookup(store: try VectorStore(path: store), useSubwords: !subwords.noSubwords).lookup(word)
        let v = found.vector
        if output.json { try JSONOutput.print(Result(word: word, source: found.source, vector: v)) } else {
            print(word + " " + v.map { $0.description }.joined(separator: " "))
        }
    }
}

struct NearestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "nearest", abstract: "Find the words closest (cosine) to each query word.")

    @Argument(help: "Store.") var store: String
    @Argument(help: "Query words.") var words: [String]
    @Option(name: .short, help: "Number of neighbours.", transform: Flags.integer(1...)) var k = 10
    @Option(name: .long, help: "Search only the N most frequent words.", transform: Flags.integer(1...)) var restrictVocab: Int?
    @OptionGroup var search: ApproximateSearchOptions
    @OptionGroup var subwords: SubwordOptions
    @OptionGroup var output: OutputOptions

    struct Result: Codable { var query: String; var source: WordVectors.Source; var neighbors: [Neighbor] }

    func run() throws {
        let vectors = try loadWordVectors(store, quiet: output.quiet, subwords: subwords, exact: search.exact)
        let found = try vectors.nearest(to: words, k: k, options: SearchOptions(restrict: restrictVocab, exact: search.exact, ef: search.ef))
        let results = zip(words, found).map { Result(query: $0, source: vectors.source(of: $0) ?? .vocabulary, neighbors: $1) }
        if output.json { try JSONOutput.print(results); return }
        for r in results {
            print(r.query + (r.source == .subwords ? " (not in the vocabulary; from its subwords):" : ":"))
            for n in r.neighbors { print("  \(Format.fixed(Double(n.score), 4))  \(n.word)") }
        }
    }
}

struct AnalogyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "analogy", abstract: "Solve A : B :: C : ? (e.g. man king woman → queen).")

    @Argument(help: "Store.") var store: String
    @Argument(help: "A.") var a: String
    @Argument(help: "B.") var b: String
    @Argument(help: "C.") var c: String
    @Option(name: .short, help: "Number of answers.", transform: Flags.integer(1...)) var k = 5
    @Option(name: .long, help: "3cosadd or 3cosmul.") var method: AnalogyMethod = .add
    @Option(name: .long, help: "Search only the N most frequent words.", transform: Flags.integer(1...)) var restrictVocab: Int?
    @OptionGroup var search: ApproximateSearchOptions
    @OptionGroup var subwords: SubwordOptions
    @OptionGroup var output: OutputOptions

    struct Result: Codable { var a: String; var b: String; var c: String; var method: AnalogyMethod; var answers: [Neighbor] }

    func run() throws {
        let vectors = try loadWordVectors(store, quiet: output.quiet, subwords: subwords, exact: search.exact)
        let answers = try vectors.analogy(a: a, b: b, c: c, k: k, method: method,
                                          options: SearchOptions(restrict: restrictVocab, exact: search.exact, ef: search.ef))
        if output.json { try JSONOutput.print(Result(a: a, b: b, c: c, method: method, answers: answers)); return }
        print("\(a) : \(b) :: \(c) : ?")
        for n in answers { print("  \(Format.fixed(Double(n.score), 4))  \(n.word)") }
    }
}

extension AnalogyMethod: ExpressibleByArgument {}

struct SimilarityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "similarity", abstract: "Cosine similarity of two words.")

    @Argument(help: "Store.") var store: String
    @Argument(help: "First word.") var first: String
    @Argument(help: "Second word.") var second: String
    @OptionGroup var subwords: SubwordOptions
    @OptionGroup var output: OutputOptions

    struct Result: Codable { var first: String; var second: String; var similarity: Float }

    func run() throws {
        let words = StoreWordLookup(store: try VectorStore(path: store), useSubwords: !subwords.noSubwords)
        let sim = VectorMath.dot(try words.lookup(first).unit, try words.lookup(second).unit)
        if output.json { try JSONOutput.print(Result(first: first, second: second, similarity: sim)) } else {
            print(Format.fixed(Double(sim), 4))
        }
    }
}

struct DoesntMatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "doesnt-match", abstract: "Which word fits least with the others?")

    @Argument(help: "Store.") var store: String
    @Argument(help: "Two or more words.") var words: [String]
    @OptionGroup var output: OutputOptions

    struct Result: Codable { var words: [String]; var odd: String }

    func run() throws {
        guard words.count >= 2 else { throw ValidationError("give at least two words") }
        let s = try VectorStore(path: store)
        var units: [[Float]] = []
        for w in words {
            guard let l = try s.lookup(w) else { throw WordshiftError.unknownWord(w) }
            units.append(l.unit)
        }
        let index = EmbeddingIndex(words: words, dimension: s.dimension, vectors: units.flatMap { $0 })
        let odd = words[index.doesntMatch(Array(0..<words.count)) ?? 0]
        if output.json { try JSONOutput.print(Result(words: words, odd: odd)) } else { print(odd) }
    }
}
