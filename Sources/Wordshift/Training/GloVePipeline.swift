/// The GloVe stages tied together: corpus → vocabulary → co-occurrences → shuffle → AdaGrad →
/// store. Single stages (vocabulary only, co-occurrences to a `cooccurrence.bin`, training from
/// the reference tools' files) are available too, so stages can be mixed with those tools.
public enum GloVePipeline {
    /// Trains vectors from a raw corpus (files, directories, `.gz` files; "-" is standard input)
    /// and writes the store at `out`. Reports to `progress` the stages "counting" (tokens),
    /// "co-occurrence" (tokens) and "iter N/M" (pairs; its `.end` message is the iteration's
    /// cost, time and rate), plus `.log` lines for the vocabulary and co-occurrence totals.
    public static func train(corpus: [String], out: String, config: GloVeConfig,
                             progress handler: ProgressHandler? = nil) throws -> TrainingSummary {
        try config.validate()
        let progress = ProgressReporter(handler)
        let started = System.now()
        var summary = TrainingSummary()
        summary.out = out
        let (vocab, counted, rank) = try countVocabulary(corpus: corpus, config: config, keepStream: true,
                                                         progress: progress, summary: &summary)
        defer { counted.stream?.close() }
        guard let stream = counted.stream else { throw WordshiftError.invalidArgument("internal: no token stream") }

        try checkTrainable(vocabularySize: vocab.count)
        var t = System.now()
        var pairs = try collectPairs(stream: stream, rank: rank, vocabularySize: vocab.count, config: config,
                                     progress: progress, summary: &summary)
        counted.stream?.close()
        summary.stageSeconds["cooccur"] = System.now() - t
        progress.log("co-occurrence: \(summary.pairs) pairs in \(Format.duration(summary.stageSeconds["cooccur"] ?? 0))")
        guard !pairs.isEmpty else {
            throw WordshiftError.emptyInput(path: corpus.joined(separator: " "), message: "no co-occurrences: every document has fewer than two kept words")
        }

        let fingerprint = runFingerprint(config: config, source: counted.sha256, vocabularySize: vocab.count, pairs: pairs.count)
        let model = try trainModel(pairs: &pairs, vocabularySize: vocab.count, config: config, fingerprint: fingerprint,
                                   progress: progress, summary: &summary)
        t = System.now()
        try writeStore(model: model, vocabulary: vocab, out: out, config: config,
                       extraMeta: [("corpus_sha256", counted.sha256), ("training.tokens", String(counted.tokens)),
                                   ("training.pairs", String(summary.pairs)),
                                   ("training.corpus", corpus.joined(separator: " "))],
                       summary: summary)
        summary.stageSeconds["write"] = System.now() - t
        summary.totalSeconds = System.now() - started
        summary.peakRSSBytes = System.peakRSSBytes
        return summary
    }

    /// Counts the co-occurrences of a token stream straight into training pairs (12-byte
    /// records in mmap'd chunks); sets `summary.pairs`.
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
                                     config: GloVeConfig, progress handler: ProgressHandler? = nil) throws -> TrainingSummary {
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
        try writer.finish()
        summary.stageSeconds["cooccur"] = System.now() - t
        summary.totalSeconds = System.now() - started
        summary.peakRSSBytes = System.peakRSSBytes
        return summary
    }

    /// Shuffles and trains from the reference tools' `vocab.txt` and `cooccurrence.bin`.
    public static func train(vocabularyFile: String, cooccurrenceFile: String, out: String, config: GloVeConfig,
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
        let collector = PairCollector()
        let xMax = config.xMax, alpha = config.alpha
        try CooccurrenceFile.read(cooccurrenceFile, vocabularySize: vocab.count) { w1, w2, x in
            try collector.append(TrainingPair(word: w1, context: w2, value: x, xMax: xMax, alpha: alpha))
        }
        var pairs = collector.finish()
        summary.pairs = pairs.count
        summary.stageSeconds["read"] = System.now() - t
        guard !pairs.isEmpty else { throw WordshiftError.emptyInput(path: cooccurrenceFile, message: "no co-occurrence records") }
        let sha = try SHA256Hasher.hashFile(cooccurrenceFile)
        let fingerprint = runFingerprint(config: config, source: sha, vocabularySize: vocab.count, pairs: pairs.count)
        let model = try trainModel(pairs: &pairs, vocabularySize: vocab.count, config: config, fingerprint: fingerprint,
                                   progress: progress, summary: &summary)
        t = System.now()
        try writeStore(model: model, vocabulary: vocab, out: out, config: config,
                       extraMeta: [("training.cooccurrence_sha256", sha), ("training.pairs", String(pairs.count)),
                                   ("training.vocab_file", vocabularyFile), ("training.cooccurrence_file", cooccurrenceFile)],
                       summary: summary)
        summary.stageSeconds["write"] = System.now() - t
        summary.totalSeconds = System.now() - started
        summary.peakRSSBytes = System.peakRSSBytes
        return summary
    }

    // MARK: stages

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

    private static func trainModel(pairs: inout [TrainingPair], vocabularySize: Int, config: GloVeConfig, fingerprint: UInt64,
                                   progress: ProgressReporter, summary: inout TrainingSummary) throws -> GloVeModel {
        var t = System.now()
        PairShuffle.shuffle(&pairs, seed: config.seed)
        summary.stageSeconds["shuffle"] = System.now() - t
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
        summary.threads = max(1, min(Parallel.clampThreads(config.threads), pairs.count))
        try GloVeTrainer.run(model: model, pairs: &pairs, config: config, startIteration: start, history: &history,
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
        let text = "\(c)|\(source)|\(vocabularySize)|\(pairs)"
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBytes { TokenInterner.hash(UnsafeRawBufferPointer($0)) }
    }
}
