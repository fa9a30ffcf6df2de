import ArgumentParser
import Wordshift

/// `wordshift train`: the whole GloVe pipeline, or one stage of it.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train GloVe vectors from a raw corpus into a store.",
        discussion: """
            With no stage named, runs everything: vocabulary, co-occurrences, shuffle, AdaGrad, store.
              wordshift train --corpus text.txt.gz --out model.sqlite
            Single stages interoperate with the reference GloVe tools' files:
              wordshift train vocab   --corpus text.txt --out vocab.txt
              wordshift train cooccur --corpus text.txt --vocab vocab.txt --out cooccurrence.bin
              wordshift train glove   --vocab vocab.txt --cooccur cooccurrence.bin --out model.sqlite
            """,
        subcommands: [TrainAllCommand.self, TrainVocabCommand.self, TrainCooccurCommand.self, TrainGloVeCommand.self],
        defaultSubcommand: TrainAllCommand.self
    )
}

struct TrainAllCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "all", abstract: "Run every stage: corpus to store (the default).")

    @Option(name: .long, parsing: .upToNextOption, help: "Corpus files, directories, .gz files, or - for stdin.")
    var corpus: [String] = []
    @Option(name: .long, help: "Store to write.") var out: String
    @Flag(name: .long, help: "Replace an existing store at --out, and an earlier run's checkpoint in --checkpoint-dir.") var force = false
    @OptionGroup var counting: CountingOptions
    @OptionGroup var training: GloVeOptions
    @Option(name: .long, help: "Continue from this store's vectors (Mittens domain adaptation); --dim must match it.")
    var initFrom: String?
    @Option(name: .long, help: "With --init-from: weight of the penalty mu·|w − w_source|² that keeps words near their source vectors.",
            transform: Flags.real(from: Float(0)))
    var mu: Float = 0.1
    @OptionGroup var output: OutputOptions

    func run() throws {
        try OutputPath.check(out, force: force, inputs: corpus + (initFrom.map { [$0] } ?? []))
        try training.checkCheckpoint(force: force)
        var config = try training.apply(to: try counting.config())
        config.dimension = training.dim
        if let initFrom {
            let source = try VectorStore(path: initFrom)
            let result = try GloVePipeline.adapt(source: source, corpus: corpus, out: out, mu: mu, config: config,
                                                 progress: ProgressRenderer.handler(quiet: output.quiet))
            if output.json { try JSONOutput.print(result); return }
            try TrainReport.finish(result.training, json: false)
            print("adapted from \(initFrom) with mu \(mu): \(result.anchoredWords) words anchored, "
                  + "\(result.copiedSourceWords) source words copied unchanged")
            return
        }
        let summary = try GloVePipeline.train(corpus: corpus, out: out, config: config, progress: ProgressRenderer.handler(quiet: output.quiet))
        try TrainReport.finish(summary, json: output.json)
    }
}

struct TrainVocabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "vocab", abstract: "Count the vocabulary into a vocab.txt (`word count` lines).")

    @Option(name: .long, parsing: .upToNextOption, help: "Corpus files, directories, .gz files, or - for stdin.")
    var corpus: [String] = []
    @Option(name: .long, help: "vocab.txt to write.") var out: String
    @Flag(name: .long, help: "Replace an existing file at --out.") var force = false
    @OptionGroup var counting: CountingOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try OutputPath.check(out, force: force, inputs: corpus)
        let (vocab, summary) = try GloVePipeline.vocabulary(corpus: corpus, config: try counting.config(), progress: ProgressRenderer.handler(quiet: output.quiet))
        try VocabularyFile.write(vocab, to: out)
        var s = summary
        s.out = out
        try TrainReport.finish(s, json: output.json)
    }
}

struct TrainCooccurCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cooccur", abstract: "Count co-occurrences into a cooccurrence.bin (reference format).")

    @Option(name: .long, parsing: .upToNextOption, help: "Corpus files, directories, .gz files, or - for stdin.")
    var corpus: [String] = []
    @Option(name: .long, help: "Use this vocab.txt (ids = line order); otherwise count one.") var vocab: String?
    @Option(name: .customLong("write-vocab"), help: "Also write the counted vocabulary here.") var writeVocab: String?
    @Option(name: .long, help: "cooccurrence.bin to write.") var out: String
    @Flag(name: .long, help: "Replace existing files at --out and --write-vocab.") var force = false
    @OptionGroup var counting: CountingOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let inputs = corpus + (vocab.map { [$0] } ?? [])
        try OutputPath.check(out, force: force, inputs: inputs)
        if let writeVocab {
            try OutputPath.check(writeVocab, force: force, inputs: inputs, flag: "--write-vocab")
            try OutputPath.checkDistinct([("--out", out), ("--write-vocab", writeVocab)])
        }
        let given = try vocab.map { try VocabularyFile.read($0) }
        let summary = try GloVePipeline.cooccurrences(corpus: corpus, vocabulary: given, out: out, vocabularyOut: writeVocab,
                                                      config: try counting.config(), progress: ProgressRenderer.handler(quiet: output.quiet))
        try TrainReport.finish(summary, json: output.json)
    }
}

struct TrainGloVeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "glove", abstract: "Shuffle and train from a vocab.txt and co-occurrence files.",
        discussion: """
            Several --cooccur files (shards counted with the same vocab.txt, e.g. by tools/spark/glove_spark.py, or a \
            directory of *.bin shards) are merged in sorted order, summing a pair found in more than one shard. \
            Pairs beyond --memory are shuffled and streamed out of core from --temp-dir.
            """)

    @Option(name: .long, help: "vocab.txt (reference format).") var vocab: String
    @Option(name: .long, parsing: .upToNextOption, help: "cooccurrence.bin files or directories of *.bin shards (reference format, 1-based ids).")
    var cooccur: [String] = []
    @Option(name: .long, help: "Store to write.") var out: String
    @Flag(name: .long, help: "Replace an existing store at --out, and an earlier run's checkpoint in --checkpoint-dir.") var force = false
    @Option(name: .long, help: "Memory budget for the pairs (shuffle and training; the model comes on top), e.g. 4G, 256M.",
            transform: Flags.memory)
    var memory = "4G"
    @Option(name: .customLong("temp-dir"), help: "Directory for spill files (default $TMPDIR or /tmp).") var tempDir: String?
    @OptionGroup var training: GloVeOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try OutputPath.check(out, force: force, inputs: [vocab] + cooccur)
        try training.checkCheckpoint(force: force)
        var config = try training.apply(to: GloVeConfig())
        config.dimension = training.dim
        config.cooccurrence.memoryBytes = try CooccurrenceOptions.parseMemory(memory)
        if let tempDir { config.cooccurrence.temporaryDirectory = tempDir }
        let summary = try GloVePipeline.train(vocabularyFile: vocab, cooccurrenceFiles: cooccur, out: out, config: config,
                                              progress: ProgressRenderer.handler(quiet: output.quiet))
        try TrainReport.finish(summary, json: output.json)
    }
}
