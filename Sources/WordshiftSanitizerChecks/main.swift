import Foundation
import Wordshift
import WordshiftFuzzTargets

// The library's multi-threaded paths and its readers, as one small program that tools/sanitize.sh
// builds with ThreadSanitizer (`thread` checks) and AddressSanitizer (`address` checks). A
// program rather than the test suite: a sanitized build of the test bundle drags in the CLI,
// the HTTP server and SwiftNIO and would double CI's time; this builds the library alone.
//
//   wordshift-sanitizer-checks thread|address [DATA_DIR] [FIXTURES_DIR]
//
// Exits non-zero when a check fails; a sanitizer report fails the run by itself (TSan exits 66
// after reporting, ASan aborts).

let args = CommandLine.arguments
let group = args.count > 1 ? args[1] : ""
let data = args.count > 2 ? args[2] : "corpora/data"
let fixtures = args.count > 3 ? args[3] : "Tests/WordshiftTests/Fixtures"

struct CheckFailure: Error, CustomStringConvertible { let description: String }
func require(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    if !condition { throw CheckFailure(description: message()) }
}

let scratch = NSTemporaryDirectory() + "wordshift-sanitize-\(getpid())"
try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: scratch) }

/// The first `bytes` of the wiki head, cut at a line end.
func corpus(_ bytes: Int) throws -> String {
    let source = data + "/corpus/enwiki-2015-head.txt"
    guard let handle = FileHandle(forReadingAtPath: source) else { throw CheckFailure(description: "missing \(source)") }
    defer { try? handle.close() }
    var d = handle.readData(ofLength: bytes)
    if let nl = d.lastIndex(of: 0x0A) { d = d.prefix(through: nl) }
    let path = scratch + "/corpus-\(bytes).txt"
    guard FileManager.default.createFile(atPath: path, contents: d) else { throw CheckFailure(description: "cannot write \(path)") }
    return path
}

func gloveConfig(threads: Int) -> GloVeConfig {
    var c = GloVeConfig()
    c.dimension = 12
    c.iterations = 2
    c.minCount = 3
    c.threads = threads
    c.seed = 42
    c.cooccurrence.window = 5
    c.cooccurrence.memoryBytes = 64 << 20
    return c
}

/// A seeded random index of `count` rows.
func randomIndex(count: Int, dimension: Int, seed: UInt64) -> EmbeddingIndex {
    var state = seed
    func next() -> Float {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Float(Int64(bitPattern: state >> 11) % 2001 - 1000) / 1000
    }
    let words = (0..<count).map { "w\($0)" }
    let vectors = (0..<(count * dimension)).map { _ in next() }
    return EmbeddingIndex(words: words, dimension: dimension, vectors: vectors)
}

var checks: [(group: String, name: String, body: () throws -> Void)] = []
@MainActor func check(_ group: String, _ name: String, _ body: @escaping () throws -> Void) { checks.append((group, name, body)) }

// MARK: ThreadSanitizer: every path that runs on several threads.

check("thread", "temporary-file registrations from 4 threads") {
    let before = SignalCleanup.published
    DispatchQueue.concurrentPerform(iterations: 4) { t in
        for i in 0..<3_000 {
            TemporaryFiles.register("/nonexistent-wordshift-sanitize/\(t)-\(i)")
            if i % 3 != 0 { TemporaryFiles.unregister("/nonexistent-wordshift-sanitize/\(t)-\(i)") }
        }
    }
    try require(SignalCleanup.published == before + 4 * 1_000, "table holds \(SignalCleanup.published - before), want 4000")
    for t in 0..<4 { for i in stride(from: 0, to: 3_000, by: 3) { TemporaryFiles.unregister("/nonexistent-wordshift-sanitize/\(t)-\(i)") } }
}

check("thread", "GloVe training on 2 threads") {
    let c = try corpus(60_000)
    let s = try GloVePipeline.train(corpus: [c], out: scratch + "/glove2.sqlite", config: gloveConfig(threads: 2))
    try require(s.threads == 2, "trained on \(s.threads) threads")
}

check("thread", "Mittens on 2 threads") {
    let c = try corpus(40_000)
    let source = scratch + "/mittens-source.sqlite"
    var sc = gloveConfig(threads: 2)
    sc.seed = 7
    _ = try GloVePipeline.train(corpus: [c], out: source, config: sc)
    let s = try GloVePipeline.adapt(source: VectorStore(path: source), corpus: [c], out: scratch + "/mittens.sqlite",
                                    options: MittensOptions(mu: 0.1), config: gloveConfig(threads: 2))
    try require(s.anchoredWords > 0, "no anchored words")
}

check("thread", "classifier training on 2 threads") {
    let index = randomIndex(count: 200, dimension: 8, seed: 3)
    var texts: [String] = [], labels: [Int] = []
    var state: UInt64 = 11
    // 3,000 examples: each epoch runs many phases and merges on 2 threads.
    for i in 0..<3000 {
        var words: [String] = []
        for _ in 0..<8 { state = state &* 6364136223846793005 &+ 1; words.append("w\(Int(state >> 33) % 200)") }
        words.append(i % 2 == 0 ? "w1" : "w2")
        texts.append(words.joined(separator: " "))
        labels.append(i % 2)
    }
    let train = LabeledDataset(labels: ["a", "b"], texts: texts, labelIDs: labels, source: "sanitize")
    for hidden in [0, 4] {
        let config = ClassifierConfig(features: FeatureConfig(storeCount: index.count, buckets: 1024, wordNgrams: 2),
                                      dimension: index.dimension, hidden: hidden, epochs: 3, learningRate: 0.5, threads: 2,
                                      seed: 5, validFraction: 0.1)
        _ = try Classifier.train(index: index, train: train, config: config)
    }
}

check("thread", "nearest over 60,000 rows on 2 threads (int8 pass and rescoring)") {
    let index = randomIndex(count: 60_000, dimension: 16, seed: 9)
    for q in 0..<3 {
        let query = index.unitVector(q * 1000)
        let found = index.nearest(to: query, k: 5, threads: 2)
        try require(found.first?.word == "w\(q * 1000)", "query \(q) found \(String(describing: found.first))")
    }
    let batch = index.nearestBatch(queries: index.unitVector(5) + index.unitVector(7), k: 3)
    try require(batch.count == 2 && batch[0].first?.word == "w5", "batch answers \(batch.map { $0.first?.word ?? "-" })")
}

check("thread", "word queries from 4 threads on one WordVectors") {
    let store = scratch + "/queries.sqlite"
    _ = try VectorImport.importFile(data + "/vectors/word2vec-text/toy-model.vec", to: store)
    let vectors = try WordVectors.load(store: VectorStore(path: store))
    let words = try VectorStore(path: store).loadWords().words
    try require(words.count > 4, "toy model has \(words.count) words")
    let failures = Locked(0)
    DispatchQueue.concurrentPerform(iterations: 4) { t in
        for i in 0..<50 {
            let w = words[(t * 50 + i) % words.count]
            if (try? vectors.nearest(to: w, k: 3)) == nil { failures.withLock { $0 += 1 } }
        }
    }
    try require(failures.withLock { $0 } == 0, "\(failures.withLock { $0 }) queries failed")
}

check("thread", "parallel text reader (2 threads)") {
    let (table, _) = try VectorFileReader.load(path: data + "/vectors/word2vec-text/lee_fasttext.vec",
                                               options: LoadOptions(threads: 2))
    try require(table.count > 100, "read \(table.count) rows")
}

check("thread", "n-gram fit") {
    let index = randomIndex(count: 2_000, dimension: 8, seed: 4)
    var options = NgramFit.Options()
    options.epochs = 1
    _ = NgramFit.fit(index: index, options: options)
}

// MARK: AddressSanitizer: every reader on real files, seeds and past fuzz findings.

func files(_ dir: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted().map { dir + "/" + $0 }
}

check("address", "readers on the real files") {
    let v = data + "/vectors"
    let cases: [(FuzzTarget, [String])] = [
        (.word2vecText, files(v + "/word2vec-text")),
        (.word2vecBinary, files(v + "/word2vec-binary")),
        (.gloveText, files(v + "/glove-text")),
        (.fastTextBinary, files(v + "/fasttext-binary")),
        (.labeledTSV, [data + "/reviews/restaurant-yelp-sentences.tsv", data + "/reviews/movie-rt-polarity.tsv"]),
    ]
    for (target, paths) in cases {
        try require(!paths.isEmpty, "no real files for \(target.rawValue)")
        for p in paths { _ = try target.read(path: p) }
    }
    // gzip: the unlabeled movie text, read line by line through zlib.
    let lines = try LineReader(path: data + "/reviews/movie-unlabeled.txt.gz")
    var n = 0
    while try lines.nextLine({ $0.count }) != nil { n += 1 }
    try require(n > 1000, "read \(n) gzip lines")
}

check("address", "readers on past fuzz findings") {
    var replayed = 0
    for target in FuzzTarget.allCases {
        let r = try FuzzRunner(target: target)
        for f in files(fixtures + "/fuzz/" + target.rawValue) {
            guard let bytes = FileManager.default.contents(atPath: f) else { continue }
            _ = r.run([UInt8](bytes))
            replayed += 1
        }
    }
    print("  replayed \(replayed) inputs")
}

// MARK: run

let selected = checks.filter { $0.group == group }
if selected.isEmpty {
    print("usage: wordshift-sanitizer-checks thread|address [DATA_DIR] [FIXTURES_DIR]")
    exit(2)
}
var failed = 0
for check in selected {
    let start = Date()
    do {
        try check.body()
        print("ok    \(check.name) (\(Int(Date().timeIntervalSince(start) * 1000)) ms)")
    } catch {
        failed += 1
        print("FAIL  \(check.name): \(error)")
    }
}
print("\(selected.count - failed) passed, \(failed) failed")
exit(failed == 0 ? 0 : 1)
