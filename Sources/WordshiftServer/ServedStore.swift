import Wordshift

/// One store as the server answers from it. Everything a query needs (the unit matrix, the
/// n-gram table, BPE merges, every classifier head) is read once when the server starts,
/// through a read-only connection that is closed afterwards: another process may update or
/// replace the file while the server runs without disturbing a single answer (restart the
/// server to see its changes).
///
/// This is the server's adapter over the library's word-level queries; every method is safe
/// to call from many tasks at once.
final class ServedStore: @unchecked Sendable {
    struct Head: Sendable {
        let name: String
        let version: Int
        let labels: [String]
        let head: ClassifierHead
    }

    let name: String
    let path: String
    let meta: [String: String]
    let vectors: WordVectors
    let bpe: BPEModel?
    let heads: [Head]
    /// Heads that could not be loaded (named with the reason); the rest of the store serves.
    let skippedHeads: [String]
    /// How this store's word queries search (the server's `--exact` / `--ef`).
    let search: SearchOptions

    var index: EmbeddingIndex { vectors.index }

    init(path: String, name: String, search: SearchOptions = SearchOptions()) throws {
        let store = try VectorStore(path: path)
        self.name = name
        self.path = path
        meta = store.meta
        vectors = try WordVectors.load(store: store, useSubwords: true)
        bpe = try BPEFiles.load(from: store)
        var heads: [Head] = [], skipped: [String] = []
        for entry in try HeadStore.list(store) {
            do {
                let head = try HeadStore.load(name: entry.name, version: entry.version, store: store, index: vectors.index)
                heads.append(Head(name: entry.name, version: entry.version, labels: entry.labels, head: head))
            } catch {
                skipped.append("\(entry.name): \(error)")
            }
        }
        self.heads = heads
        skippedHeads = skipped
        self.search = search
        // Make sure the index's lazily built int8 copy exists before the first request when
        // queries search exactly (the approximate index does not need it).
        if index.count > 0 && !usesApproximateIndex { _ = index.nearest(to: index.unitVector(0), k: 1) }
    }

    /// Whether nearest and analogy queries go through the store's approximate-search index.
    var usesApproximateIndex: Bool { !search.exact && vectors.approximateIndex != nil }

    /// "exact" or "HNSW index (ef N)", for the start-up log and /health.
    var searchDescription: String {
        guard usesApproximateIndex, let ann = vectors.approximateIndex else { return "exact" }
        return "HNSW index (M \(ann.parameters.m), ef \(search.ef.map(String.init) ?? "default"))"
    }

    func head(named name: String?) throws -> Head {
        guard !heads.isEmpty else { throw APIError(.notFound, "store \"\(self.name)\" has no classifier heads") }
        guard let name else { return heads[0] }
        guard let h = heads.first(where: { $0.name == name }) else {
            throw APIError(.notFound, "store \"\(self.name)\" has no head \"\(name)\" (heads: \(heads.map(\.name).joined(separator: ", ")))")
        }
        return h
    }

    /// Runs a library word query, turning its errors into API errors (unknown word: 404).
    func answer<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch WordshiftError.unknownWord(let word) {
            let hint = vectors.subwords == nil ? " (the store has no subword table: `wordshift subword fit` adds one)" : ""
            throw APIError(.notFound, "\"\(word)\" is not in store \"\(name)\" and none of its character n-grams is known\(hint)", word: word)
        } catch WordshiftError.invalidArgument(let message) {
            throw APIError(.badRequest, message)
        }
    }

    /// Where the vector of `word` comes from; throws a 404 when it has none.
    func source(_ word: String) throws -> WordVectors.Source {
        try answer { try vectors.lookup(word).source }
    }

    /// Character n-grams of `word` (with whether the table has a vector for each) and, when the
    /// store has BPE merges, the word's BPE units.
    func segment(_ word: String) -> (inVocabulary: Bool, ngrams: [(String, Bool)], bpe: [String]?) {
        var grams: [(String, Bool)] = []
        if let table = vectors.subwords {
            let strings = table.ngrams.ngrams(of: word), buckets = table.ngrams.buckets(of: word)
            for (s, b) in zip(strings, buckets) { grams.append((s, table.hasVector(bucket: b))) }
        }
        return (index.id(of: word) != nil, grams, bpe?.encode(word))
    }

    /// Label probabilities of `text` and, for each of its first `maxTokens` tokens, how much the
    /// predicted label's probability drops when that token is left out (positive: the token
    /// pushed towards the prediction).
    func classify(_ text: String, head h: Head, maxTokens: Int) -> (probabilities: [Float], tokens: [(String, Float, Bool)]) {
        let tokens = Array(TextTokens.split(text).prefix(maxTokens))
        var texts = [text]
        for i in tokens.indices {
            texts.append(tokens.enumerated().filter { $0.offset != i }.map(\.element).joined(separator: " "))
        }
        let p = h.head.probabilities(texts, threads: 1)
        let L = h.labels.count
        let full = Array(p[0..<L])
        let best = full.indices.max { full[$0] < full[$1] } ?? 0
        var out: [(String, Float, Bool)] = []
        for (i, t) in tokens.enumerated() {
            let known = index.id(of: t) != nil || index.id(of: t.lowercased()) != nil
            out.append((t, full[best] - p[(i + 1) * L + best], known))
        }
        return (full, out)
    }
}
