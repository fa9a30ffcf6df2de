/// The anchors of a Mittens run (Dingwall & Potts 2018): for every word that has a source
/// vector r_i, the penalty mu · |ŵ_i − r_i|² on its output vector ŵ_i (word + context vector,
/// or the word vector alone). Training is stochastic, so the penalty of word i is spread over
/// the pairs that update its rows: each update of its word row carries mu / (pairs with word i),
/// each update of its context row mu / (pairs with context i). Over one iteration every anchored
/// word thus receives the penalty once, as in the full-batch objective.
final class MittensAnchors: @unchecked Sendable {
    let vocabularySize: Int
    let stride: Int
    let wordOnly: Bool
    /// vocabularySize × stride target vectors (zero rows and padding for unanchored words).
    let targets: UnsafeMutablePointer<Float>
    /// Penalty weight per word-row update (0: not anchored).
    let wordCoefficients: UnsafeMutablePointer<Float>
    /// Penalty weight per context-row update (0: not anchored, or word-vector output).
    let contextCoefficients: UnsafeMutablePointer<Float>
    /// With several threads and word + context output: the weights of every anchored word's
    /// word row (rows 0..<V) and context row (rows V..<2V) as they were when the current phase
    /// began. A row's penalty step reads the other half of the output vector from here, never
    /// from the live model: within a phase that other row may belong to another thread, and
    /// reading it while that thread writes it made 2-thread runs unrepeatable.
    private(set) var partners: UnsafeMutablePointer<Float>?
    private var anchoredIDs: [Int32] = []

    /// `sources[i]` is the source vector of word i (length `dimension`) or nil.
    init(sources: [[Float]?], dimension: Int, mu: Float, wordOnly: Bool, pairs: [TrainingPair]) {
        let v = sources.count
        vocabularySize = v
        stride = (dimension + 7) / 8 * 8
        self.wordOnly = wordOnly
        targets = .allocate(capacity: max(1, v * stride))
        targets.initialize(repeating: 0, count: max(1, v * stride))
        wordCoefficients = .allocate(capacity: max(1, v))
        wordCoefficients.initialize(repeating: 0, count: max(1, v))
        contextCoefficients = .allocate(capacity: max(1, v))
        contextCoefficients.initialize(repeating: 0, count: max(1, v))
        var asWord = [Int32](repeating: 0, count: v), asContext = [Int32](repeating: 0, count: v)
        for p in pairs {
            let w = Int(p.word), c = Int(p.context)
            if w < v { asWord[w] &+= 1 }
            if c < v { asContext[c] &+= 1 }
        }
        guard mu > 0 else { return }
        for i in 0..<v {
            guard let r = sources[i], r.count == dimension else { continue }
            for d in 0..<dimension { targets[i * stride + d] = r[d] }
            if asWord[i] > 0 { wordCoefficients[i] = mu / Float(asWord[i]) }
            if !wordOnly && asContext[i] > 0 { contextCoefficients[i] = mu / Float(asContext[i]) }
            if wordCoefficients[i] > 0 || contextCoefficients[i] > 0 { anchoredIDs.append(Int32(i)) }
        }
    }

    deinit {
        targets.deallocate()
        wordCoefficients.deallocate()
        contextCoefficients.deallocate()
        partners?.deallocate()
    }

    /// Copies the word and context weights of every anchored word into `partners` (allocated on
    /// first use). Called between phases, when no thread trains.
    func snapshotPartners(of model: GloVeModel) {
        guard !wordOnly, !anchoredIDs.isEmpty else { return }
        let v = vocabularySize
        let buffer: UnsafeMutablePointer<Float>
        if let partners { buffer = partners } else {
            buffer = .allocate(capacity: 2 * v * stride)
            buffer.initialize(repeating: 0, count: 2 * v * stride)
            partners = buffer
        }
        for id in anchoredIDs {
            let i = Int(id)
            (buffer + i * stride).update(from: model.wordRow(i), count: stride)
            (buffer + (v + i) * stride).update(from: model.contextRow(i), count: stride)
        }
    }
}

/// Options of `GloVePipeline.adapt` beyond the GloVe configuration.
public struct MittensOptions: Sendable, Equatable {
    /// Weight of the penalty mu · |ŵ − r|² (0: no penalty).
    public var mu: Float = 0.1
    /// Start anchored words at their source vectors (word and context rows r / 2 each, or the
    /// word row r with word-vector output); otherwise at the usual random values.
    public var initializeFromSource = true
    /// Also write the source words the corpus does not keep, with their source vectors.
    public var keepSourceWords = true
    /// Options with penalty weight `mu` (0 turns the penalty off), anchored words starting at
    /// their source vectors, and the source words the corpus drops kept in the output.
    public init(mu: Float = 0.1) { self.mu = mu }
}

/// What `adapt` did beyond a training summary.
public struct MittensSummary: Codable, Sendable {
    /// The GloVe training run (iterations, losses, times) on the target corpus.
    public var training: TrainingSummary
    /// Corpus words that have a source vector (anchored when mu > 0).
    public var anchoredWords = 0
    /// Source words written unchanged because the corpus did not keep them.
    public var copiedSourceWords = 0
    /// The penalty weight the run used.
    public var mu: Float = 0
}

extension GloVePipeline {
    /// Mittens: GloVe on `corpus` starting from the vectors of `source`, with the penalty
    /// mu · |ŵ_i − r_i|² pulling every corpus word that has a source vector r_i towards it.
    /// The store at `out` holds the corpus vocabulary (adapted vectors) followed, with
    /// `keepSourceWords`, by the remaining source words unchanged. The source's dimension must
    /// equal `config.dimension`; nothing is written when anything fails. `config.biasRate` is
    /// used as given: `wordshift classify adapt` (and BENCHMARKS §5) set it to `config.eta`.
    public static func adapt(source: VectorStore, corpus: [String], out: String, options: MittensOptions,
                             config: GloVeConfig, progress handler: ProgressHandler? = nil) throws -> MittensSummary {
        try config.validate()
        let progress = ProgressReporter(handler)
        guard source.dimension == config.dimension else {
            throw WordshiftError.invalidArgument("\(source.path): the source store has dimension \(source.dimension); "
                + "the training configuration has \(config.dimension) (--dim must equal the store's dimension)")
        }
        guard source.count > 0 else { throw WordshiftError.emptyInput(path: source.path, message: "the source store has no vectors") }
        guard options.mu >= 0, options.mu.isFinite else { throw WordshiftError.invalidArgument("--mu must be a finite number ≥ 0") }
        guard config.checkpointDirectory == nil, !config.resume else {
            throw WordshiftError.invalidArgument("checkpoints are not supported when adapting from a source store")
        }
        let started = System.now()
        let index = try source.loadIndex()
        let run = try mittens(index: index, corpus: corpus, options: options, config: config, progress: progress)
        var summary = run.summary
        summary.out = out
        let name = corpus.joined(separator: " ")
        let anchored = run.anchoredWords
        var used = [Bool](repeating: false, count: index.count)
        for w in run.words { if let id = index.id(of: w) ?? index.id(of: w.lowercased()), id < index.count { used[id] = true } }
        let t = System.now()
        let writer = try StoreWriter(path: out, dimension: config.dimension)
        var copied = 0
        do {
            for (k, v) in config.metaEntries { writer.setMeta(k, v) }
            writer.setMeta("training.method", "glove-mittens")
            writer.setMeta("training.mittens_mu", "\(options.mu)")
            writer.setMeta("training.init_from", source.path)
            writer.setMeta("training.init_from_source", String(options.initializeFromSource))
            writer.setMeta("training.anchored_words", String(anchored))
            writer.setMeta("corpus_sha256", run.corpusSHA256)
            writer.setMeta("training.tokens", String(run.tokens))
            writer.setMeta("training.pairs", String(summary.pairs))
            writer.setMeta("training.corpus", name)
            writer.setMeta("training.vocab_size", String(run.words.count))
            if let last = summary.iterations.last { writer.setMeta("training.final_cost", "\(last.cost)") }
            writer.setMeta(MetaKey.vectorKind, "glove-" + config.output.rawValue)
            var written = Set<String>()
            let d = config.dimension
            try run.vectors.withUnsafeBufferPointer { all in
                for i in 0..<run.words.count {
                    try writer.add(word: run.words[i], count: run.counts[i], vector: UnsafeBufferPointer(rebasing: all[i * d..<(i + 1) * d]))
                    written.insert(run.words[i])
                }
            }
            if options.keepSourceWords {
                for id in 0..<index.count where !used[id] && !written.contains(index.words[id]) {
                    let r = index.vector(id)
                    try r.withUnsafeBufferPointer { try writer.add(word: index.words[id], count: index.counts[id], vector: $0) }
                    written.insert(index.words[id])
                    copied += 1
                }
            }
            writer.setMeta("training.copied_source_words", String(copied))
            try writer.finish()
        } catch {
            writer.abandon()
            throw error
        }
        summary.stageSeconds["write"] = System.now() - t
        summary.totalSeconds = System.now() - started
        summary.peakRSSBytes = System.peakRSSBytes
        return MittensSummary(training: summary, anchoredWords: anchored, copiedSourceWords: copied, mu: options.mu)
    }
}

extension GloVePipeline {
    /// The vectors of a Mittens run, in memory: the corpus vocabulary (most frequent first) and
    /// its adapted vectors, row-major.
    struct MittensRun {
        var words: [String]
        var counts: [Int]
        /// words.count × dimension
        var vectors: [Float]
        var anchoredWords: Int
        var corpusSHA256: String
        var tokens: Int
        var summary: TrainingSummary
    }

    /// Mittens on `corpus` from the vectors of `index` (see `adapt`), without writing a store.
    static func mittens(index: EmbeddingIndex, corpus: [String], options: MittensOptions, config: GloVeConfig,
                        progress: ProgressReporter) throws -> MittensRun {
        try config.validate()
        guard index.dimension == config.dimension else {
            throw WordshiftError.invalidArgument("the source vectors have dimension \(index.dimension); the training configuration has \(config.dimension)")
        }
        guard index.count > 0 else { throw WordshiftError.emptyInput(path: "source vectors", message: "there are no source vectors") }
        guard options.mu >= 0, options.mu.isFinite else { throw WordshiftError.invalidArgument("--mu must be a finite number ≥ 0") }
        let started = System.now()
        var summary = TrainingSummary()
        // Vocabulary and co-occurrences exactly as `train` counts them.
        var t = System.now()
        let counted = try VocabularyCounter.count(source: try CorpusSource(inputs: corpus), tokenizer: config.tokenizer, keepStream: true,
                                                  temporaryDirectory: config.cooccurrence.temporaryDirectory, progress: progress)
        defer { counted.stream?.close() }
        let name = corpus.joined(separator: " ")
        guard counted.tokens > 0 else { throw WordshiftError.emptyInput(path: name, message: "the corpus has no tokens") }
        let (vocab, rank) = Vocabulary.build(from: counted.interner, minCount: config.minCount, maxVocab: config.maxVocab)
        guard vocab.count > 0 else {
            throw WordshiftError.emptyInput(path: name, message: "no word occurs at least \(config.minCount) times (--min-count)")
        }
        // Compact training pairs hold 24-bit word ids.
        let maximumVocabulary = 1 << 24
        guard vocab.count <= maximumVocabulary else {
            throw WordshiftError.invalidArgument("the vocabulary has \(vocab.count) words; training supports at most \(maximumVocabulary) (raise --min-count)")
        }
        summary.recordVocabulary(counted, words: vocab.count, started: t)
        guard let stream = counted.stream else { throw WordshiftError.invalidArgument("internal: no token stream") }
        t = System.now()
        var pairs = try collectPairs(stream: stream, rank: rank, vocabularySize: vocab.count, config: config,
                                     progress: progress, summary: &summary)
        counted.stream?.close()
        summary.stageSeconds["cooccur"] = System.now() - t
        guard !pairs.isEmpty else {
            throw WordshiftError.emptyInput(path: name, message: "no co-occurrences: every document has fewer than two kept words")
        }

        // Source vectors of the corpus words (exact form, then lower case).
        var sources = [[Float]?](repeating: nil, count: vocab.count)
        var anchored = 0
        for (i, w) in vocab.words.enumerated() {
            guard let id = index.id(of: w) ?? index.id(of: w.lowercased()), id < index.count else { continue }
            sources[i] = index.vector(id)
            anchored += 1
        }

        t = System.now()
        // The same training order as plain GloVe (so mu = 0 without source init is plain GloVe).
        let shuffled = ShuffledPairs.inMemory(&pairs, threads: Parallel.clampThreads(config.threads), seed: config.seed)
        summary.stageSeconds["shuffle"] = System.now() - t
        t = System.now()
        let model = GloVeModel(vocabularySize: vocab.count, dimension: config.dimension, seed: config.seed)
        let wordOnly = config.output == .wordOnly
        if options.initializeFromSource {
            for i in 0..<vocab.count {
                guard let r = sources[i] else { continue }
                let w = model.wordRow(i), c = model.contextRow(i)
                for d in 0..<config.dimension {
                    if wordOnly { w[d] = r[d] } else { w[d] = r[d] / 2; c[d] = r[d] / 2 }
                }
            }
        }
        let anchors = options.mu > 0
            ? MittensAnchors(sources: sources, dimension: config.dimension, mu: options.mu, wordOnly: wordOnly,
                             pairs: shuffled.memoryPairs) : nil
        var history: [TrainingSummary.Iteration] = []
        summary.threads = shuffled.strata.threads
        try GloVeTrainer.run(model: model, pairs: shuffled, config: config, startIteration: 0, history: &history,
                             fingerprint: 0, progress: progress, anchors: anchors)
        shuffled.release()
        summary.iterations = history
        summary.stageSeconds["glove"] = System.now() - t

        let d = config.dimension
        var vectors = [Float](repeating: 0, count: vocab.count * d)
        vectors.withUnsafeMutableBufferPointer { buf in
            guard let base = buf.baseAddress else { return }
            for i in 0..<vocab.count { model.vector(i, wordOnly: wordOnly, into: base + i * d) }
        }
        summary.totalSeconds = System.now() - started
        return MittensRun(words: vocab.words, counts: vocab.counts.map { Int($0) }, vectors: vectors, anchoredWords: anchored,
                          corpusSHA256: counted.sha256, tokens: counted.tokens, summary: summary)
    }
}

extension GloVePipeline {
    /// `adapt` with the default options and penalty weight `mu`.
    public static func adapt(source: VectorStore, corpus: [String], out: String, mu: Float, config: GloVeConfig,
                             progress: ProgressHandler? = nil) throws -> MittensSummary {
        try adapt(source: source, corpus: corpus, out: out, options: MittensOptions(mu: mu), config: config, progress: progress)
    }
}
