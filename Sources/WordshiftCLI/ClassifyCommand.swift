import ArgumentParser
import Wordshift

struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify", abstract: "Text classification heads on a store's vectors, and domain adaptation.",
        subcommands: [ClassifyTrain.self, ClassifyPredict.self, ClassifyEvaluate.self, ClassifyList.self, ClassifyInfo.self,
                      ClassifyAdapt.self, ClassifyCompare.self])
}

/// Model and training options shared by `train` and `adapt`.
struct HeadOptions: ParsableArguments {
    @Flag(name: .long, help: "Keep the store's vectors fixed (hashed rows still train).") var freeze = false
    @Flag(name: .long, help: "Fine-tune the store's vectors (the default).") var fineTune = false
    @Flag(name: .long, help: "Add character n-grams of words missing from the store.") var subwords = false
    @Option(name: .long, help: "Longest word n-gram (1: unigrams only).", transform: Flags.integer(1...HeadOptions.maximumWordNgrams)) var wordNgrams = 1
    @Option(name: .long, help: "Hidden tanh units (0: none).", transform: Flags.integer(0...HeadOptions.maximumHidden)) var hidden = 0
    @Option(name: .long, help: "Epochs.", transform: Flags.integer(1...)) var epochs = 5
    @Option(name: .long, help: "Initial learning rate (decays linearly to 0).", transform: Flags.real(above: Float(0))) var lr: Float = 0.1
    @Option(name: .long, help: "Hash buckets for unknown words and n-grams.", transform: Flags.integer(0...HeadOptions.maximumBuckets)) var buckets = 1 << 19
    @Option(name: .long, help: "Worker threads (default: all cores).", transform: Flags.threads) var threads = Parallel.defaultThreads
    @Option(name: .long, help: "Random seed.") var seed: UInt64 = 1
    @Option(name: .long, help: "Share held out for early stopping when no --valid is given (0: none).", transform: Flags.real(from: 0.0, below: 1.0))
    var validFraction = 0.05
    @Flag(name: .long, help: "Do not weight classes by inverse frequency.") var noBalance = false

    func config(for store: VectorStore) throws -> ClassifierConfig {
        if freeze && fineTune { throw ValidationError("--freeze and --fine-tune exclude each other") }
        guard store.count > 0 else { throw WordshiftError.emptyInput(path: store.path, message: "the store has no vectors") }
        let config = ClassifierConfig(
            features: FeatureConfig(storeCount: store.count, buckets: buckets, wordNgrams: wordNgrams, subwords: subwords),
            dimension: store.dimension, hidden: hidden, freeze: freeze, epochs: epochs, learningRate: lr,
            threads: threads, seed: seed, validFraction: validFraction, balanceClasses: !noBalance)
        try config.validate()
        return config
    }

    static let maximumWordNgrams = ClassifierConfig.maximumWordNgrams
    static let maximumHidden = ClassifierConfig.maximumHidden
    static let maximumBuckets = ClassifierConfig.maximumBuckets
}

struct ClassifyTrain: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "train", abstract: "Train a head and save it in the store (as a new version).")

    @Argument(help: "Store.") var store: String
    @Option(name: .long, help: "Training data: `label<TAB>text` or `__label__x text` lines.") var train: String
    @Option(name: .long, help: "Validation data for early stopping.") var valid: String?
    @Option(name: .long, help: "Head name.") var name: String
    @OptionGroup var head: HeadOptions
    @OptionGroup var output: OutputOptions

    struct Summary: Codable {
        var name: String; var version: Int; var labels: [String]; var trainExamples: Int; var validExamples: Int
        var epochsRun: Int; var bestEpoch: Int; var trainSeconds: Double; var validation: ClassificationMetrics?
    }

    func run() throws {
        let s = try VectorStore(path: store)
        try StoreUpdate.checkWritable(store)  // before training, not after
        let config = try head.config(for: s)
        let trainData = try LabelTables.read(train, quiet: output.quiet)
        try LabeledDataReader.requireTwoClasses(trainData)
        let validData = try valid.map { try LabelTables.read($0, quiet: output.quiet) }
        let index = try loadIndex(store, quiet: output.quiet)
        let r = try Classifier.train(index: index, train: trainData, valid: validData, config: config,
                                     progress: ProgressRenderer.handler(quiet: output.quiet))
        let version = try HeadStore.save(r.head, name: name, metrics: r.validation, to: store)
        let summary = Summary(name: name, version: version, labels: r.head.labels, trainExamples: r.trainCount, validExamples: r.validCount,
                              epochsRun: r.training.epochsRun, bestEpoch: r.training.bestEpoch, trainSeconds: r.training.seconds,
                              validation: r.validation)
        if output.json { try JSONOutput.print(summary); return }
        print("head \(LabelTables.name(name)) version \(version): \(r.head.labels.count) labels, \(r.trainCount) training examples, "
              + "\(r.training.epochsRun) epochs (best \(r.training.bestEpoch)), trained in \(Format.fixed(r.training.seconds, 2)) s")
        if let m = r.validation { LabelTables.printMetrics(m, title: "validation (\(r.validCount) examples)") }
    }
}

struct ClassifyPredict: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "predict", abstract: "Label text, one document per line (labels on the lines are ignored).",
        discussion: "One output line per input line: a blank input line gives an empty line (in --json, an entry with no labels).")

    @Argument(help: "Store.") var store: String
    @Option(name: .long, help: "Head name.") var name: String
    @Argument(help: "Input file, or - for standard input.") var file: String = "-"
    @Option(name: .short, help: "Labels per line.", transform: Flags.integer(1...)) var k = 1
    @Option(name: .long, help: "Leave out labels below this probability.", transform: Flags.real(from: Float(0), through: 1)) var threshold: Float = 0
    @OptionGroup var output: OutputOptions

    struct Line: Codable { var labels: [String]; var probabilities: [Float] }

    func run() throws {
        let s = try VectorStore(path: store)
        // The head's own vectors: the store's, or the vector set an adapted head was trained over.
        let h = try HeadStore.load(name: name, store: s, progress: ProgressRenderer.handler(quiet: output.quiet))
        // One answer per input line, so answers line up with the input: a blank line gets an empty
        // one (fastText's `predict` labels it from its end-of-line token alone).
        let all = try LabeledDataReader.readDocuments(file)
        let texts = all.filter { !$0.isEmpty }
        let p = h.probabilities(texts)
        let L = h.labels.count
        var lines: [Line] = []
        var i = 0
        for text in all {
            if text.isEmpty { lines.append(Line(labels: [], probabilities: [])); continue }
            defer { i += 1 }
            let ranked = (0..<L).sorted { p[i * L + $0] > p[i * L + $1] }.prefix(k).filter { p[i * L + $0] >= threshold }
            lines.append(Line(labels: ranked.map { h.labels[$0] }, probabilities: ranked.map { p[i * L + $0] }))
        }
        if output.json { try JSONOutput.print(lines); return }
        for l in lines {
            print(zip(l.labels, l.probabilities).map { "__label__\(Quote.terminalSafe($0)) \(Format.fixed(Double($1), 4))" }.joined(separator: " "))
        }
    }
}

struct ClassifyEvaluate: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "evaluate", abstract: "Accuracy, per-label P/R/F1, macro-F1 and confusion matrix on labeled data.")

    @Argument(help: "Store.") var store: String
    @Option(name: .long, help: "Head name.") var name: String
    @Argument(help: "Labeled file.") var file: String
    @Option(name: .long, help: ArgumentHelp("Rename the file's labels to the head's, e.g. positive=pos,negative=neg.",
                                            valueName: "from=to,...")) var labelMap: String?
    @OptionGroup var output: OutputOptions

    func run() throws {
        let map = try LabelTables.labelMap(labelMap)
        let s = try VectorStore(path: store)
        let h = try HeadStore.load(name: name, store: s, progress: ProgressRenderer.handler(quiet: output.quiet))
        let data = try LabelTables.scoring(LabelTables.read(file, quiet: output.quiet), against: h.labels,
                                           whose: "head \(Quote.word(name))", map: map, quiet: output.quiet)
        let m = h.evaluate(data)
        if output.json { try JSONOutput.print(m); return }
        LabelTables.printMetrics(m, title: "\(file) (\(m.count) examples)")
    }
}

struct ClassifyList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Heads saved in the store (latest version of each), and its vector sets.")

    @Argument(help: "Store.") var store: String
    @OptionGroup var output: OutputOptions

    func run() throws {
        let s = try VectorStore(path: store)
        let heads = try HeadStore.list(s)
        // JSON: the heads, each with its vector set and provenance (`classify info` shows a set's settings).
        if output.json { try JSONOutput.print(heads); return }
        let sets = try VectorSets.list(s)
        if heads.isEmpty { print("no heads") } else {
            print("name".padding(20) + "version  labels".padding(24) + "accuracy  made by".padding(34) + "created")
            for h in heads {
                let made = h.provenance.map { $0.method.title + (h.vectorSet.map { " over " + $0 } ?? "") } ?? "classify train"
                print(LabelTables.name(h.name).padding(20) + "\(h.version)/\(h.versions)".padding(9) + LabelTables.labelList(h.labels).padding(15)
                      + (h.metrics.map { Format.percent($0.accuracy) } ?? "-").padding(10) + made.padding(34) + h.createdAt)
            }
        }
        for v in sets {
            let users = try VectorSets.users(of: v.name, in: s)
            print("vector set \(v.name): \(v.storedRows) adapted rows" + (v.extendsStore ? " + the store's other words" : "")
                  + ", dimension \(v.dimension), \(v.settings["method"] ?? "?") window \(v.settings["window"] ?? "?") mu \(v.settings["mu"] ?? "?"); "
                  + "used by \(users.isEmpty ? "no head" : users.joined(separator: ", "))")
        }
    }
}

struct ClassifyInfo: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "info", abstract: "How a head was made: settings, inputs and their SHA-256, vectors.")

    @Argument(help: "Store.") var store: String
    @Option(name: .long, help: "Head name.") var name: String
    @Option(name: .long, help: "Version (default: the latest).", transform: Flags.integer(1...)) var version: Int?
    @OptionGroup var output: OutputOptions

    struct Info: Codable { var head: HeadStore.Entry; var vectorSet: VectorSet? }

    func run() throws {
        let s = try VectorStore(path: store)
        let e = try HeadStore.find(name: name, version: version, store: s)
        let set = try e.vectorSet.flatMap { try VectorSets.find($0, in: s) }
        if output.json { try JSONOutput.print(Info(head: e, vectorSet: set)); return }
        let c = e.config
        print("head \(LabelTables.name(e.name)) version \(e.version) of \(e.versions), created \(e.createdAt)")
        print("labels: \(e.labels.joined(separator: ", "))")
        print("model: dimension \(c.dimension), \(c.features.storeCount) vector rows + \(c.features.buckets) buckets, word n-grams \(c.features.wordNgrams), "
              + "hidden \(c.hidden), \(c.freeze ? "frozen" : "fine-tuned") vectors, \(c.epochs) epochs, lr \(c.learningRate), seed \(c.seed)")
        if let m = e.metrics { print("validation accuracy: \(Format.percent(m.accuracy))") }
        print("vectors: " + (e.vectorSet.map { "vector set \($0)" } ?? "the store's own"))
        if let set {
            for k in set.settings.keys.sorted() { print("  \(k): \(set.settings[k] ?? "")") }
        }
        guard let p = e.provenance else { print("made by: classify train"); return }
        print("made by: classify adapt, method \(p.method.rawValue) (Wordshift \(p.toolVersion))")
        func show(_ role: String, _ i: AdaptationProvenance.Input) {
            print("\(role): \(i.name), \(i.documents) documents, sha256 \(i.fileSHA256 ?? "-") (text \(i.textSHA256))")
        }
        for src in p.sources { show("source", src) }
        show("target text", p.target)
        if let l = p.targetLabeled { show("target labels", l) }
        print("settings:")
        for k in p.settings.keys.sorted() { print("  \(k): \(p.settings[k] ?? "")") }
    }
}
