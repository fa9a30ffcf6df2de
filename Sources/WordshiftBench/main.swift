// Timing harness for BENCHMARKS.md (release build). Prints JSON; never part of the tests.
//
//   wordshift-bench query STORE [--queries 50] [--warmup 5] [--batch 1000] [--json]
import Wordshift

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
        "open_and_lookup_us": \(openAndLookup), "lookup_us_median": \(median(lookups)), \
        "peak_rss_bytes": \(System.peakRSSBytes)}
        """)
}

let args = CommandLine.arguments
do {
    guard args.count >= 3, args[1] == "query" else {
        System.writeStderr("usage: wordshift-bench query STORE [--queries N] [--warmup N] [--batch N]\n")
        exit(2)
    }
    try benchQuery(store: args[2])
} catch {
    System.writeStderr("error: \(error)\n")
    exit(1)
}

#if canImport(Glibc)
import Glibc
#endif
