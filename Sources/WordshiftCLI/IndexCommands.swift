import ArgumentParser
import Foundation
import Wordshift

struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Approximate nearest-neighbour index (HNSW) kept in the store: build, check, info, drop.",
        discussion: """
            Once a store has an index, `nearest` and `analogy` (3cosadd) answer from it in microseconds \
            instead of scanning every row; `--exact` bypasses it and `--ef` sets the search effort. \
            Changing the store's vectors marks the index stale: searches are then exact until it is rebuilt.
            """,
        subcommands: [IndexBuild.self, IndexCheckCommand.self, IndexInfo.self, IndexDrop.self])
}

struct IndexBuild: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build an HNSW index over the store's vectors and keep it in the store (replacing any).")

    @Argument(help: "Store.") var store: String
    @Option(name: .long, help: "Links per row on the upper layers (2m on layer 0).", transform: Flags.integer(2...128)) var m = 16
    @Option(name: .long, help: "Candidates kept while linking a row (larger: better graph, slower build).", transform: Flags.integer(1...10_000))
    var efConstruction = 200
    @Option(name: .long, help: "Threads (default: every core). One thread builds the same index every time.", transform: Flags.integer(1...))
    var threads: Int?
    @Option(name: .long, help: "Seed of the layer draw.") var seed: UInt64 = 1
    @OptionGroup var output: OutputOptions

    struct Result: Codable {
        var store: String; var rows: Int; var dimension: Int; var parameters: HNSWParameters; var threads: Int
        var loadSeconds: Double; var buildSeconds: Double; var saveSeconds: Double; var bytes: Int
    }

    func run() throws {
        try StoreUpdate.checkWritable(store)
        let t0 = System.now()
        let vectors = try loadIndex(store, quiet: output.quiet)
        let t1 = System.now()
        let t = Parallel.clampThreads(threads ?? Parallel.defaultThreads)
        let parameters = HNSWParameters(m: m, efConstruction: efConstruction, seed: seed)
        let index = try HNSWIndex.build(over: vectors, parameters: parameters, threads: t,
                                        progress: ProgressRenderer.handler(quiet: output.quiet))
        let t2 = System.now()
        try HNSWStore.save(index, to: store, buildSeconds: t2 - t1, threads: t)
        let t3 = System.now()
        let r = Result(store: store, rows: index.count, dimension: vectors.dimension, parameters: parameters, threads: t,
                       loadSeconds: t1 - t0, buildSeconds: t2 - t1, saveSeconds: t3 - t2, bytes: index.byteCount)
        if output.json { try JSONOutput.print(r); return }
        print("indexed \(r.rows) rows (m \(m), ef-construction \(efConstruction), \(t) threads) in \(Format.fixed(r.buildSeconds, 1)) s; "
            + "\(Format.fixed(Double(r.bytes) / 1_048_576, 1)) MiB of links saved in \(store)")
    }
}

struct IndexCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Recall@k of the store's index against exact search on a seeded sample of words.",
        discussion: "Each sampled word's k nearest other words are found exactly and through the index at each --ef; recall is the share of the exact ones the index found.")

    @Argument(help: "Store.") var store: String
    @Option(name: .long, help: "Words to sample.", transform: Flags.integer(1...)) var sample = 1000
    @Option(name: .long, help: "Query words, one per line (instead of a sample).") var queries: String?
    @Option(name: .long, help: "Seed of the sample.") var seed: UInt64 = 1
    @Option(name: .short, help: "Neighbours per query.", transform: Flags.integer(1...)) var k = 10
    @Option(name: .long, parsing: .upToNextOption, help: "Search efforts to measure.") var ef: [Int] = [HNSWIndex.defaultEf]
    @Option(name: .long, help: "Threads the queries run on.", transform: Flags.integer(1...)) var threads = 1
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard ef.allSatisfy({ (1...100_000).contains($0) }) else { throw ValidationError("every --ef must be in 1...100000") }
    }

    func run() throws {
        let s = try VectorStore(path: store)
        let vectors = try s.loadIndex(progress: ProgressRenderer.handler(quiet: output.quiet))
        let index: HNSWIndex
        switch try HNSWStore.load(from: s, over: vectors) {
        case .absent: throw ValidationError("\(store) has no index; build one with `wordshift index build \(store)`")
        case let .stale(reason): throw ValidationError("the index of \(store) is stale (\(reason)); rebuild it with `wordshift index build \(store)`")
        case let .ready(i): index = i
        }
        let rows: [Int]
        if let queries {
            rows = try queryRows(queries, in: vectors)
        } else {
            rows = IndexCheck.sample(rows: vectors.count, count: sample, seed: seed)
        }
        let report = try IndexCheck.run(index, rows: rows, k: k, efs: ef, threads: threads)
        if output.json { try JSONOutput.print(report); return }
        print("\(report.queries) queries, k \(k), \(report.threads) thread(s); exact search: \(Format.fixed(report.exactQueriesPerSecond, 0)) queries/s")
        for p in report.points {
            print("  ef \(p.ef): recall@\(k) \(Format.fixed(p.recall, 4)), \(Format.fixed(p.queriesPerSecond, 0)) queries/s")
        }
    }
}

/// The rows of the words in `file` (one per line; blank lines skipped); an unknown word is an error.
func queryRows(_ file: String, in index: EmbeddingIndex) throws -> [Int] {
    let lines = try LineReader(path: file)
    var rows: [Int] = []
    while let line = try lines.nextLine({ String(decoding: $0, as: UTF8.self) }) {
        // ASCII white space only: words of a whitespace-tokenized corpus may end in U+00A0.
        let w = line.trimmingASCIIWhitespace()
        if w.isEmpty { continue }
        guard let r = index.id(of: w) else { throw WordshiftError.unknownWord(w) }
        rows.append(r)
    }
    return rows
}

struct IndexInfo: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "info", abstract: "Describe the store's index without loading it.")

    @Argument(help: "Store.") var store: String
    @OptionGroup var output: OutputOptions

    func run() throws {
        guard let info = try HNSWStore.info(try VectorStore(path: store)) else {
            if output.json { print("{}") } else { print("\(store): no index") }
            return
        }
        if output.json { try JSONOutput.print(info); return }
        print("HNSW over \(info.rows) rows of dimension \(info.dimension): m \(info.parameters.m), ef-construction \(info.parameters.efConstruction), "
            + "seed \(info.parameters.seed), \(info.maxLevel + 1) layers, \(Format.fixed(Double(info.bytes) / 1_048_576, 1)) MiB")
        print("built \(info.builtAt) in \(Format.fixed(info.buildSeconds, 1)) s on \(info.buildThreads) thread(s); vectors \(info.vectorsFingerprint)")
        if let stale = info.stale { print("STALE: \(stale); rebuild with `wordshift index build \(store)`") }
    }
}

struct IndexDrop: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "drop", abstract: "Remove the store's index (searches become exact).")

    @Argument(help: "Store.") var store: String
    @OptionGroup var output: OutputOptions

    struct Result: Codable { var store: String; var removed: Bool }

    func run() throws {
        let had = try HNSWStore.drop(from: store)
        if output.json { try JSONOutput.print(Result(store: store, removed: had)); return }
        print(had ? "removed the index of \(store)" : "\(store) had no index")
    }
}

/// `--exact` and `--ef`, shared by the query commands.
struct ApproximateSearchOptions: ParsableArguments {
    @Flag(name: .long, help: "Search every row exactly even if the store has an index.") var exact = false
    @Option(name: .long, help: "Search effort of the store's index (default \(HNSWIndex.defaultEf); higher: better recall, slower).",
            transform: Flags.integer(1...100_000)) var ef: Int?
}
