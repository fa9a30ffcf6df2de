#if canImport(Glibc)
import Glibc
#endif

/// The GloVe stages tied together: corpus → vocabulary → co-occurrences → shuffle → AdaGrad →
/// store. Single stages (vocabulary only, co-occurrences to a `cooccurrence.bin`, training from
/// the reference tools' files) are available too, so stages can be mixed with those tools.
public enum GloVePipeline {
    /// Trains vectors from a raw corpus (files, directories, `.gz` files; "-" is standard input)
    /// and writes the store at `out`. Reports to `progress` the stages "counting" (tokens),
    /// "co-occurrence" (tokens), "shuffle" (pairs) and "iter N/M" (pairs; its `.end` message is
    /// the iteration's cost, time and rate), plus `.log` lines for the vocabulary and
    /// co-occurrence totals (and where the pairs went when they do not fit `--memory`).
    public static func train(corpus: [String], out: String, config: GloVeConfig,
                             progress handler: ProgressHandler? = nil) throws -> TrainingSummary {
        try config.validate()
        let progress = ProgressReporter(handler)
        let started = System.now()
        var summary = TrainingSummary()
        summary.out = out
        let (vocab, stream, source) = try countVocabularyKeepingStream(corpus: corpus, config: config, progress: progress,
                                                                         summary: &summary)
        defer { stream.close() }

        try checkTrainable(vocabularySize: vocab.count)
        var t = System.now()
        let budget = config.cooccurrence.memoryBytes
        let builder = pairBuilder(config: config, memoryBytes: budget)
        defer { builder.abandon() }
        let xMax = config.xMax, alpha = config.alpha
        summary.pairs = try CooccurrencePass.count(stream: stream.ids, rank: stream.rank, vocabularySize: vocab.count,
                                                   options: config.cooccurrence, progress: progress,
                                                   merging: { counterBytes in builder.memoryBytes = budget - counterBytes }) { w1, w2, x in
            try builder.append(TrainingPair(word: w1, context: w2, value: x, xMax: xMax, alpha: alpha))
        }
        stream.close()
        summary.stageSeconds["cooccur"] = System.now() - t
        progress.log("co-occurrence: \(summary.pairs) pairs in \(Format.duration(summary.stageSeconds["cooccur"] ?? 0))")
        guard summary.pairs > 0 else {
            throw WordshiftError.emptyInput(path: corpus.joined(separator: " "), message: "no co-occurrences: every document has fewer than two kept words")
        }

        let fingerprint = runFingerprint(config: config, source: source.sha256, vocabularySize: vocab.count, pairs: summary.pairs)
        let model = try trainModel(builder: builder, vocabularySize: vocab.count, config: config, fingerprint: fingerprint,
                                   progress: progress, summary: &summary)
        t = System.now()
        try writeStore(model: model, vocabulary: vocab, out: out, config: config,
                       extraMeta: [("corpus_sha256", source.sha256), ("training.tokens", String(source.tokens)),
                                   ("training.pairs", String(summary.pairs)),
                                   ("training.corpus", corpus.joined(separator: " "))],
                       summary: summary)
        summary.stageSeconds["write"] = System.now() - t
        summary.totalSeconds = System.now() - started
        summary.peakRSSBytes = System.peakRSSBytes
        return summary
    }

    /// Counts the co-occurrences of a token stream straight into training pairs (12-byte
    /// records in mmap'd chunks); sets `summary.pairs`. (The Mittens path: pairs in memory.)
    static func collectPairs(stream: TokenIdStream, rank: [Int32], vocabularySize: Int, config: GloVeConfig,
                             progress: ProgressReporter, summary: inout TrainingSummary) throws -> [TrainingPair] {
        let collector = PairCollector()
        let xMax = config.xMax, alpha = config.alpha
        summary.pairs = try CooccurrencePass.count(stream: stream, rank: rank, vocabularySize: vocabularySize,
                                                   options: config.cooccurrence, progress: progress) { w1, w2, x in
            try collector.append(TrainingPair(word: w1, context: w2, value: x, xMax: xMax, alpha: alpha))
        }
        return collector.finish()
    }

    /// Counts the vocabulary of a corpus (the reference `vocab_count`).
    public static func vocabulary(corpus: [String], config: GloVeConfig,
                                  progress handler: ProgressHandler? = nil) throws -> (Vocabulary, TrainingSummary) {
        try config.validate()
        let progress = ProgressReporter(handler)
        let started = System.now()
        var summary = TrainingSummary()
        let (vocab, _, _) = try countVocabulary(corpus: corpus, config: config, keepStream: false, progress: progress, summary: &summary)
        summary.totalSeconds = System.now() - started
        summary.peakRSSBytes = System.peakRSSBytes
        return (vocab, summary)
    }

    /// Counts co-occurrences into a reference-format `cooccurrence.bin` (the reference `cooccur`).
    /// With `vocabulary` given (e.g. read from a `vocab.txt`), its ids are used; otherwise the
    /// vocabulary is counted and, if `vocabularyOut` is set, written there.
    public static func cooccurrences(corpus: [String], vocabulary given: Vocabulary?, out: String, vocabularyOut: String?,
                                     config: GloVeConfig,
                             progress handler: ProgressHandler? = nil) throws -> TrainingSummary {
        try config.validate()
        let progress = ProgressReporter(handler)
        let started = System.now()
        var summary = TrainingSummary()
        summary.out = out
        var (vocab, counted, rank) = try countVocabulary(corpus: corpus, config: config, keepStream: true, progress: progress,
                                                         summary: &summary, allowEmpty: given != nil)
        defer { counted.stream?.close() }
        if let given {
            var index: [String: Int32] = [:]
            for (i, w) in given.words.enumerated() { index[w] = Int32(i) }
            rank = (0..<counted.interner.count).map { index[counted.interner.word($0)] ?? -1 }
            vocab = given
            summary.vocabularySize = given.count
        }
        if let vocabularyOut { try VocabularyFile.write(vocab, to: vocabularyOut) }
        guard let stream = counted.stream else { throw WordshiftError.invalidArgument("internal: no token stream") }
        let t = System.now()
        let writer = try CooccurrenceFile.Writer(path: out)
        summary.pairs = try CooccurrencePass.count(stream: stream, rank: rank, vocabularySize: vocab.count,
                                                   options: config.cooccurrence, progress: progress) { w1, w2, x in
            try writer.add(w1, w2, x)
        }
        // A stale sidecar goes first: a crash below leaves a plain reference file, never a
        // file paired with another run's manifest.
        let manifestPath = CooccurrenceManifest.path(for: out)
        if System.fileExists(manifestPath) && unlink(manifestPath) != 0 {
            throw WordshiftError.io(path: manifestPath, message: "cannot replace: \(System.errnoString())")
        }
        try writer.finish()
        try CooccurrenceManifest(records: summary.pairs, sorted: true, vocabulary: vocab, options: config.cooccurrence,
                                 tokenizer: config.tokenizer, corpusSHA256: counted.sha256, tokens: counted.tokens,
                                 producer: "wordshift train cooccur").write(for: out)
        summary.stageSeconds["cooccur"] = System.now() - t
        summary.totalSeconds = System.now() - started
        summary.peakRSSBytes = System.peakRSSBytes
        return summary
    }

    /// Shuffles and trains from the reference tools' `vocab.txt` and `cooccurrence.bin`.
    public static func train(vocabularyFile: String, cooccurrenceFile: String, out: String, config: GloVeConfig,
                             progress handler: ProgressHandler? = nil) throws -> TrainingSummary {
        try train(vocabularyFile: vocabularyFile, cooccurrenceFiles: [cooccurrenceFile], out: out, config: config, progress: handler)
    }

    /// Shuffles and trains from a `vocab.txt` and one or more co-occurrence files (shards, or
    /// directories of `*.bin` shards), merged in sorted order within the memory budget. Every
    /// shard is checked against the vocabulary before any work (see `CooccurrenceShards`).
    public static func train(vocabularyFile: String, cooccurrenceFiles: [String], out: String, config: GloVeConfig,
                             progress handler: ProgressHandler? = nil) throws -> TrainingSummary {
        try config.validate()
        let progress = ProgressReporter(handler)
        let started = System.now()
        var summary = TrainingSummary()
        summary.out = out
        var t = System.now()
        let vocab = try VocabularyFile.read(vocabularyFile)
        summary.vocabularySize = vocab.count
        try checkTrainable(vocabularySize: vocab.count)
        let shards = try CooccurrenceShards.check(cooccurrenceFiles, vocabulary: vocab, vocabularyPath: vocabularyFile)
        let budget = config.cooccurrence.memoryBytes
        let readBuffers = min(8 << 20, budget / 16)
        let builder = pairBuilder(config: config, memoryBytes: budget - readBuffers)
        defer { builder.abandon() }
        let xMax = config.xMax, alpha = config.alpha
        let sha = try shards.read(bufferBytes: readBuffers) { w1, w2, x in
            try builder.append(TrainingPair(word: w1, context: w2, value: x, xMax: xMax, alpha: alpha))
        }
        summary.pairs = builder.count
        summary.stageSeconds["read"] = System.now() - t
        let names = shards.shards.map(\.path).joined(separator: " ")
        guard summary.pairs > 0 else { throw WordshiftError.emptyInput(path: names, message: "no co-occurrence records") }
        if shards.shards.count > 1 {
            progress.log("merged \(shards.shards.count) shards: \(summary.pairs) pairs in \(Format.duration(summary.stageSeconds["read"] ?? 0))")
        }
        let fingerprint = runFingerprint(config: config, source: sha, vocabularySize: vocab.count, pairs: summary.pairs)
        let model = try trainModel(builder: builder, vocabularySize: vocab.count, config: config, fingerprint: fingerprint,
                                   progress: progress, summary: &summary)
        t = System.now()
        try writeStore(model: model, vocabulary: vocab, out: out, config: config,
                       extraMeta: [("training.cooccurrence_sha256", sha), ("training.pairs", String(summary.pairs)),
                                   ("training.vocab_file", vocabularyFile), ("training.cooccurrence_file", names),
                                   ("training.cooccurrence_shards", String(shards.shards.count)),
                                   ("training.vocabulary_sha256", vocab.fingerprint)],
                       summary: summary)
        summary.stageSeconds["write"] = System.now() - t
        summary.totalSeconds = System.now() - started
        summary.peakRSSBytes = System.peakRSSBytes
        return summary
    }

    // MARK: stages

    /// The token id stream of a counted corpus, with the map from its provisional ids to
    /// vocabulary ids. The counting table itself is not kept.
    final class RankedStream {
        let ids: TokenIdStream
        let rank: [Int32]
        init(ids: TokenIdStream, rank: [Int32]) { self.ids = ids; self.rank = rank }
        func close() { ids.close() }
    }

    /// `countVocabulary`, keeping only what the co-occurrence pass needs (the interner's
    /// memory goes back before counting pairs).
    private static func countVocabularyKeepingStream(corpus: [String], config: GloVeConfig, progress: ProgressReporter,
                                                     summary: inout TrainingSummary)
        throws -> (Vocabulary, RankedStream, (sha256: String, tokens: Int)) {
        let (vocab, counted, rank) = try countVocabulary(corpus: corpus, config: config, keepStream: true, progress: progress,
                                                         summary: &summary)
        guard let ids = counted.stream else { throw WordshiftError.invalidArgument("internal: no token stream") }
        return (vocab, RankedStream(ids: ids, rank: rank), (counted.sha256, counted.tokens))
    }

    private static func countVocabulary(corpus: [String], config: GloVeConfig, keepStream: Bool, progress: ProgressReporter,
                                        summary: inout TrainingSummary, allowEmpty: Bool = false)
        throws -> (Vocabulary, CountedCorpus, [Int32]) {
        let t = System.now()
        let source = try CorpusSource(inputs: corpus)
        let counted = try VocabularyCounter.count(source: source, tokenizer: config.tokenizer, keepStream: keepStream,
                                                  temporaryDirectory: config.cooccurrence.temporaryDirectory, progress: progress)
        let name = corpus.joined(separator: " ")
        if counted.tokens == 0 {
            counted.stream?.close()
            throw WordshiftError.emptyInput(path: name, message: "the corpus has no tokens")
        }
        let (vocab, rank) = Vocabulary.build(from: counted.interner, minCount: config.minCount, maxVocab: config.maxVocab)
        if vocab.count == 0 && !allowEmpty {
            counted.stream?.close()
            throw WordshiftError.emptyInput(path: name, message: "no word occurs at least \(config.minCount) times (--min-count); "
                + "\(counted.interner.count) distinct words in \(counted.tokens) tokens")
        }
        summary.recordVocabulary(counted, words: vocab.count, started: t)
        progress.log("vocabulary: \(vocab.count) words (of \(counted.interner.count)) from \(counted.tokens) tokens in \(Format.duration(System.now() - t))"
            + (counted.invalidUTF8 > 0 ? "; \(counted.invalidUTF8) invalid UTF-8 sequences replaced" : ""))
        return (vocab, counted, rank)
    }

    /// Collects pairs for training within `memoryBytes` (spilling strata to `--temp-dir`
    /// beyond it); out of core, sorting a stratum takes at most half the budget.
    private static func pairBuilder(config: GloVeConfig, memoryBytes: Int) -> ShuffledPairsBuilder {
        let budget = config.cooccurrence.memoryBytes
        let threads = Parallel.clampThreads(config.threads)
        let strata = PairStrata.blocks(threads: threads) * PairStrata.blocks(threads: threads)
        return ShuffledPairsBuilder(threads: threads, seed: config.seed, memoryBytes: memoryBytes,
                                    sortBytes: budget / 2, spillBufferBytes: min(budget / 8, strata << 20),
                                    temporaryDirectory: config.cooccurrence.temporaryDirectory)
    }

    private static func trainModel(builder: ShuffledPairsBuilder, vocabularySize: Int, config: GloVeConfig, fingerprint: UInt64,
                                   progress: ProgressReporter, summary: inout TrainingSummary) throws -> GloVeModel {
        var t = System.now()
        let outOfCore = builder.isSpilling
        progress.begin("shuffle", total: Double(builder.count), unit: " pairs")
        let pairs = try builder.finish { progress.update(Double($0)) }
        progress.end()
        defer { pairs.release() }
        summary.pairStorage = outOfCore ? "disk" : "memory"
        summary.stageSeconds["shuffle"] = System.now() - t
        TestHooks.pause(.training)
        if outOfCore {
            progress.log("pairs: out of core, \(Format.quantity(Double(pairs.count * MemoryLayout<TrainingPair>.stride)))B in "
                + "\(pairs.strata.count) stratum files in \(config.cooccurrence.temporaryDirectory) (--memory \(Format.quantity(Double(config.cooccurrence.memoryBytes)))B)")
        }
        t = System.now()
        let model = GloVeModel(vocabularySize: vocabularySize, dimension: config.dimension, seed: config.seed)
        var history: [TrainingSummary.Iteration] = []
        var start = 0
        if config.resume, let dir = config.checkpointDirectory,
           let cp = try Checkpoint.read(directory: dir, fingerprint: fingerprint, into: model) {
            start = cp.completedIterations
            history = cp.history
            summary.resumedFromIteration = start
            progress.log("resuming after iteration \(start) from \(Checkpoint.path(in: dir))")
        }
        summary.threads = pairs.strata.threads
        try GloVeTrainer.run(model: model, pairs: pairs, config: config, startIteration: start, history: &history,
                             fingerprint: fingerprint, progress: progress)
        summary.iterations = history
        summary.stageSeconds["glove"] = System.now() - t
        return model
    }

    private static func writeStore(model: GloVeModel, vocabulary: Vocabulary, out: String, config: GloVeConfig,
                                   extraMeta: [(String, String)], summary: TrainingSummary) throws {
        let writer = try StoreWriter(path: out, dimension: config.dimension)
        for (k, v) in config.metaEntries { writer.setMeta(k, v) }
        for (k, v) in extraMeta { writer.setMeta(k, v) }
        writer.setMeta("training.vocab_size", String(vocabulary.count))
        if let last = summary.iterations.last { writer.setMeta("training.final_cost", "\(last.cost)") }
        writer.setMeta(MetaKey.vectorKind, "glove-" + config.output.rawValue)
        var v = [Float](repeating: 0, count: config.dimension)
        let wordOnly = config.output == .wordOnly
        do {
            for i in 0..<vocabulary.count {
                try v.withUnsafeMutableBufferPointer { buf in
                    guard let p = buf.baseAddress else { return }
                    model.vector(i, wordOnly: wordOnly, into: p)
                    try writer.add(word: vocabulary.words[i], count: Int(vocabulary.counts[i]), vector: UnsafeBufferPointer(buf))
                }
            }
            try writer.finish()
        } catch {
            writer.abandon()
            throw error
        }
    }

    /// Training pairs hold 24-bit ids.
    private static func checkTrainable(vocabularySize: Int) throws {
        if vocabularySize > TrainingPair.maximumVocabulary {
            throw WordshiftError.invalidArgument("the vocabulary has \(vocabularySize) words; training supports at most "
                + "\(TrainingPair.maximumVocabulary) (use --max-vocab or a higher --min-count)")
        }
    }

    /// Identifies everything that determines a run's trajectory, except the iteration count
    /// and the thread count.
    static func runFingerprint(config: GloVeConfig, source: String, vocabularySize: Int, pairs: Int) -> UInt64 {
        var c = config
        c.iterations = 0
        c.threads = 1
        c.checkpointDirectory = nil
        c.resume = false
        c.cooccurrence.memoryBytes = 0
        c.cooccurrence.temporaryDirectory = ""
        c.output = .wordPlusContext
        // "order 2": pairs in strata sorted by a seeded key (PairOrder), not a Fisher–Yates shuffle.
        let text = "\(c)|\(source)|\(vocabularySize)|\(pairs)|order 2"
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBytes { TokenInterner.hash(UnsafeRawBufferPointer($0)) }
    }
}
