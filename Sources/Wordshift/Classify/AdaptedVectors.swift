#if canImport(Glibc)
import Glibc
#endif

/// Word vectors adapted to a target domain by Mittens (Dingwall & Potts 2018): GloVe on the
/// unlabeled target text (and, optionally, the source texts) starting from the store's
/// vectors, each corpus word pulled towards its store vector by mu·|ŵ − r|².
///
/// The index holds the corpus vocabulary first (`corpusRows` rows, most frequent first), then
/// every store word the corpus did not keep, unchanged: the layout of a ``VectorSet`` that
/// extends the store, which is how adapted vectors are saved.
public final class AdaptedVectors: @unchecked Sendable {
    /// The adapted rows followed by the store words the corpus did not keep.
    public let index: EmbeddingIndex
    /// The first rows of `index` that Mittens trained (the adapted corpus vocabulary).
    public let corpusRows: Int
    /// How the vectors were made; compared when a saved set is reused (see ``mismatches(with:)``).
    public let settings: [String: String]
    /// The vector set these vectors were read from (nil: built in this process).
    public let setName: String?

    /// Vectors with their settings; `setName` when they were read back from a vector set.
    public init(index: EmbeddingIndex, corpusRows: Int, settings: [String: String], setName: String? = nil) {
        self.index = index
        self.corpusRows = min(max(0, corpusRows), index.count)
        self.settings = settings
        self.setName = setName
    }

    /// Settings keys that identify a set of adapted vectors.
    public enum Key {
        /// The method that made the vectors ("mittens").
        public static let method = "method"
        /// Mittens penalty weight mu.
        public static let mu = "mu"
        /// Co-occurrence window of the Mittens run.
        public static let window = "window"
        /// GloVe iterations of the Mittens run.
        public static let iterations = "iterations"
        /// Minimum count of a corpus word.
        public static let minCount = "min_count"
        /// Whether the source texts were part of the corpus.
        public static let withSource = "with_source"
        /// Seed of the Mittens run.
        public static let seed = "seed"
        /// Vector dimension.
        public static let dimension = "dimension"
        /// SHA-256 of the corpus text the vectors were trained on.
        public static let corpusSHA256 = "corpus_sha256"
        /// Documents in that corpus.
        public static let corpusLines = "corpus_lines"
        /// Words of the store the vectors started from.
        public static let baseWords = "base_words"
        /// Rows trained on the corpus (the rest are store rows copied).
        public static let corpusRows = "corpus_rows"
        /// SIF weight a applied to the rows (only in the sets of `embeddings` heads).
        public static let sif = "sif"
        /// Corpus words that had a store vector to start from (and be pulled toward).
        public static let anchoredWords = "anchored_words"
        /// Wall-clock seconds of the Mittens run (informational, not compared).
        public static let seconds = "seconds"
        /// Threads of the Mittens run (informational, not compared).
        public static let threads = "threads"
    }

    /// Keys that must agree for saved vectors to stand in for a new Mittens run (the others,
    /// such as the time it took, only describe it).
    public static let identityKeys = [Key.method, Key.mu, Key.window, Key.iterations, Key.minCount, Key.withSource,
                                      Key.seed, Key.dimension, Key.corpusSHA256, Key.baseWords, Key.sif]

    /// The identity settings a Mittens run with `options` on this corpus would have.
    public static func expectedSettings(options: DomainAdapter.Options, base: EmbeddingIndex, corpus: MittensCorpus) -> [String: String] {
        let m = options.mittens
        return [Key.method: "mittens", Key.mu: "\(m.mu)", Key.window: String(m.window), Key.iterations: String(m.iterations),
                Key.minCount: String(m.minCount), Key.withSource: String(m.withSource), Key.seed: String(options.seed),
                Key.dimension: String(base.dimension), Key.corpusSHA256: corpus.sha256, Key.baseWords: String(base.count)]
    }

    /// Identity settings whose values differ from `expected`, as "key: saved → expected" lines.
    public func mismatches(with expected: [String: String]) -> [String] {
        Self.identityKeys.compactMap { k in
            let have = settings[k], want = expected[k]
            return have == want ? nil : "\(k): \(have ?? "none") → \(want ?? "none")"
        }
    }

    /// A short name derived from the identity settings (`mittens-` and 12 hex digits): the same
    /// settings on the same corpus give the same name, so a second run finds the first's vectors.
    public static func defaultSetName(for expected: [String: String]) -> String {
        let h = SHA256Hasher()
        for k in identityKeys { h.update(k + "=" + (expected[k] ?? "") + "\n") }
        return "mittens-" + String(h.finalize().prefix(12))
    }

    /// The text Mittens trains on: the target documents, then (with `withSource`) the source
    /// documents' text without labels; one document per line.
    public struct MittensCorpus: Sendable {
        /// Documents in training order.
        public let lines: [String]
        /// SHA-256 of the corpus as written (each document followed by a newline).
        public let sha256: String

        /// The corpus of `target` and, with `withSource`, `source` documents.
        public init(target: [String], source: [String], withSource: Bool) {
            var lines = target
            if withSource { lines += source }
            // A document is one line of the corpus: line breaks inside it become spaces.
            lines = lines.map { $0.contains(where: { $0 == "\n" || $0 == "\r" }) ? String($0.map { $0 == "\n" || $0 == "\r" ? " " : $0 }) : $0 }
            self.lines = lines
            let h = SHA256Hasher()
            for l in lines { h.update(l); h.update("\n") }
            sha256 = h.finalize()
        }
    }

    /// Runs Mittens on `corpus` from `base` (the store's vectors). The corpus goes through a
    /// private temporary file (removed on return, and on SIGINT/SIGTERM). Reports the GloVe
    /// stages and a summary `.log` line to `progress`.
    public static func build(base: EmbeddingIndex, corpus: MittensCorpus, options: DomainAdapter.Options,
                             progress handler: ProgressHandler? = nil) throws -> AdaptedVectors {
        let m = options.mittens
        guard !corpus.lines.isEmpty else { throw WordshiftError.emptyInput(path: "target text", message: "no documents to adapt the vectors to") }
        var config = GloVeConfig()
        config.dimension = base.dimension
        config.iterations = m.iterations
        config.cooccurrence.window = m.window
        config.minCount = m.minCount
        config.seed = options.seed
        config.threads = m.threads ?? options.threads
        // The eta-scaled bias rule: the adaptation figures (BENCHMARKS §5) were measured with it.
        config.biasRate = config.eta
        try config.validate()
        let progress = ProgressReporter(handler)
        let started = System.now()
        let file = try writeCorpus(corpus, directory: config.cooccurrence.temporaryDirectory)
        defer { TemporaryFiles.remove(file) }
        let run = try GloVePipeline.mittens(index: base, corpus: [file], options: MittensOptions(mu: m.mu), config: config,
                                            progress: progress)
        let index = VectorSets.extending(base: base, words: run.words, counts: run.counts, vectors: run.vectors)
        var settings = expectedSettings(options: options, base: base, corpus: corpus)
        settings[Key.corpusLines] = String(corpus.lines.count)
        settings[Key.corpusRows] = String(run.words.count)
        settings[Key.anchoredWords] = String(run.anchoredWords)
        settings[Key.seconds] = Format.fixed(System.now() - started, 1)
        settings[Key.threads] = String(config.threads)
        progress.log("adapted vectors: \(run.words.count) target words (\(run.anchoredWords) anchored), "
            + "\(index.count - run.words.count) store words kept, in \(Format.duration(System.now() - started))")
        return AdaptedVectors(index: index, corpusRows: run.words.count, settings: settings)
    }

    private static func writeCorpus(_ corpus: MittensCorpus, directory: String) throws -> String {
        let dir = directory.isEmpty ? "/tmp" : directory
        let path = System.temporarySibling(of: dir + "/wordshift-mittens-corpus.txt")
        TemporaryFiles.register(path)
        guard let f = fopen(path, "wb") else {
            TemporaryFiles.remove(path)
            throw WordshiftError.io(path: path, message: "cannot create the temporary corpus file: \(System.errnoString())")
        }
        var failed = false
        for line in corpus.lines {
            var l = line + "\n"
            l.withUTF8 { b in if fwrite(b.baseAddress, 1, b.count, f) != b.count { failed = true } }
            if failed { break }
        }
        if fclose(f) != 0 { failed = true }
        if failed {
            TemporaryFiles.remove(path)
            throw WordshiftError.io(path: path, message: "cannot write the temporary corpus file: \(System.errnoString())")
        }
        return path
    }

    /// The same vectors with every row scaled by a / (a + p(w)) (SIF; see
    /// `EmbeddingAdaptation.sifWeighted`); `a` is recorded in the settings.
    public func sifWeighted(_ a: Double) -> AdaptedVectors {
        var s = settings
        s[Key.sif] = "\(a)"
        return AdaptedVectors(index: EmbeddingAdaptation.sifWeighted(index, a: a, corpusRows: corpusRows), corpusRows: corpusRows,
                              settings: s)
    }

    /// The description of these vectors as a vector set called `name` (extending the store).
    public func vectorSet(named name: String) -> VectorSet {
        VectorSet(name: name, dimension: index.dimension, storedRows: corpusRows, extendsStore: true, settings: settings)
    }

    /// Reads the vector set `name` of `store` as adapted vectors.
    public static func load(set name: String, from store: VectorStore, progress: ProgressHandler? = nil) throws -> AdaptedVectors {
        guard let info = try VectorSets.find(name, in: store) else {
            throw WordshiftError.invalidArgument("\(store.path): no vector set named \(Quote.word(name))")
        }
        let index = try VectorSets.load(name, from: store, progress: progress)
        return AdaptedVectors(index: index, corpusRows: info.storedRows, settings: info.settings, setName: name)
    }
}
