// Timing harness for BENCHMARKS.md (release build). Prints JSON; never part of the tests.
//
//   wordshift-bench query STORE [--queries 50] [--warmup 5] [--batch 1000] [--json]
#if canImport(Glibc)
import Glibc
#endif
import Wordshift

func writeStderr(_ text: String) {
    var t = text
    t.withUTF8 { buf in _ = write(2, buf.baseAddress, buf.count) }
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.isEmpty ? 0 : (s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2)
}

func option(_ name: String, _ fallback: Int) -> Int {
    let args = CommandLine.arguments
    if let i = args.firstIndex(of: name), i + 1 < args.count, let v = Int(args[i + 1]) { return v }
    return fallback
}

func benchQuery(store path: String) throws {
    let queries = option("--queries", 50), warmup = option("--warmup", 5), batch = option("--batch", 1000)
    // Open + one lookup with a fresh store object (the OS page cache is warm).
    let probe = try VectorStore(path: path)
    let middleWord = try probe.word(at: probe.count / 2) ?? ""
    var t = System.now()
    let store = try VectorStore(path: path)
    _ = try store.vector(for: middleWord)
    let openAndLookup = (System.now() - t) * 1e6
    let (words, _) = try store.loadWords()
    var lookups: [Double] = []
    for i in 0..<200 {
        let w = words[(i * 7919) % words.count]
        t = System.now(); _ = try store.vector(for: w); lookups.append((System.now() - t) * 1e6)
    }
    t = System.now()
    let index = try store.loadIndex()
    let loadSeconds = System.now() - t
    var singles: [Double] = []
    for i in 0..<(warmup + queries) {
        let id = (i * 104_729) % index.count
        let q = index.unitVector(id)
        t = System.now()
        _ = index.nearest(to: q, k: 10, excluding: [id])
        if i >= warmup { singles.append((System.now() - t) * 1e3) }
    }
    let m = min(batch, index.count)
    var qs = [Float](); qs.reserveCapacity(m * index.dimension)
    var excl: [Set<Int>] = []
    for i in 0..<m { let id = (i * 15_485_863) % index.count; qs += index.unitVector(id); excl.append([id]) }
    t = System.now()
    _ = index.nearestBatch(queries: qs, k: 10, excluding: excl)
    let batchSeconds = System.now() - t
    print("""
        {"load_index_seconds": \(loadSeconds), "single_query_ms_median": \(median(singles)), \
        "batch_size": \(m), "batch_queries_per_second": \(Double(m) / batchSeconds), \
        "batch_product": "\(MatrixProduct.defaultDescription)", \
        "open_and_lookup_us": \(openAndLookup), "lookup_us_median": \(median(lookups)), \
        "peak_rss_bytes": \(System.peakRSSBytes)}
        """)
}

/// Time to load a store's n-gram table, and to build the vector of an unseen word from it.
func benchSubwords(store path: String) throws {
    let store = try VectorStore(path: path)
    var t = System.now()
    guard let table = try NgramTable.load(from: store) else {
        writeStderr("\(path) has no subwords\n")
        exit(1)
    }
    let loadSeconds = System.now() - t
    let (words, _) = try store.loadWords()
    // Unseen words: frequent words with two letters swapped.
    let unseen = words.prefix(2000).map { w -> String in
        var c = Array(w)
        if c.count > 3 { c.swapAt(1, 2) }
        return String(c) + "x"
    }
    var times: [Double] = []
    for w in unseen {
        t = System.now()
        _ = table.vector(for: w)
        times.append((System.now() - t) * 1e6)
    }
    print("""
        {"ngram_table_load_seconds": \(loadSeconds), "stored_buckets": \(table.storedBuckets), \
        "unseen_word_vector_us_median": \(median(times)), "store_bytes": \(System.fileSize(path) ?? 0)}
        """)
}

let args = CommandLine.arguments
do {
    guard args.count >= 3, args[1] == "query" || args[1] == "subwords" else {
        writeStderr("usage: wordshift-bench query STORE [--queries N] [--warmup N] [--batch N]\n       wordshift-bench subwords STORE\n")
        exit(2)
    }
    if args[1] == "subwords" { try benchSubwords(store: args[2]) } else { try benchQuery(store: args[2]) }
} catch {
    writeStderr("error: \(error)\n")
    exit(1)
}

#if canImport(Glibc)
import Glibc
#endif
