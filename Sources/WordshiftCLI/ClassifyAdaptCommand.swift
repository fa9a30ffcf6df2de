import ArgumentParser
import Foundation
import Wordshift

struct ClassifyAdapt: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adapt",
        abstract: "Train a classifier for a target domain from labeled source data and unlabeled target text; save it in the store.",
        discussion: """
            The head is saved as the next version of --name and works with `classify predict`, `evaluate`, `list` \
            and `info` like any head. Methods that adapt the vectors (embeddings, embeddings+self-train) save the \
            adapted vectors in the store as a named vector set that the head refers to; a later run with the same \
            Mittens settings and corpus reuses that set instead of training again. Defaults: DomainAdapter.Options \
            (BENCHMARKS.md §5). --test only evaluates the saved head.
            """)

    @Argument(help: "Store: its vectors are the starting point; the head (and vector set) are saved in it.") var store: String
    @Option(name: .long, parsing: .upToNextOption, help: "Labeled source-domain files (`label<TAB>text` or `__label__x text`).")
    var source: [String] = []
    @Option(name: .long, help: "Unlabeled target-domain text, one document per line (.gz ok; labels on lines are ignored).")
    var targetUnlabeled: String
    @Option(name: .long, help: "Head name (an existing name gets a new version).") var name: String
    @Option(name: .long, help: "Labeled target examples to train with (few-shot), if any.") var targetLabeled: String?
    @Option(name: .long, help: "Adaptation method (default \(AdapterOptions.d.method.rawValue); docs/adapt.md describes each).")
    var method: AdaptationMethod?
    @Option(name: .long, parsing: .upToNextOption, help: "Labeled target test files: the saved head is evaluated on them (optional).")
    var test: [String] = []
    @Option(name: .long, help: ArgumentHelp("Rename the labels of --test and --target-labeled files to the source's, e.g. positive=pos,negative=neg.",
                                            valueName: "from=to,...")) var labelMap: String?
    @Option(name: .long, help: "Name of the vector set of adapted vectors (default: mittens-<hash of the settings and corpus>).")
    var vectors: String?
    @Flag(name: .long, help: "Rebuild the vector set even if one of that name exists (refused while a head uses it).")
    var rebuildVectors = false
    @OptionGroup var adapter: AdapterOptions
    @OptionGroup var output: OutputOptions

    struct TestScore: Codable { var file: String; var accuracy: Double; var macroF1: Double; var examples: Int }
    struct Summary: Codable {
        var name: String; var version: Int; var method: AdaptationMethod; var labels: [String]
        var vectorSet: String?; var vectorSetReused: Bool; var seconds: Double; var tests: [TestScore]
        var provenance: AdaptationProvenance
        /// Label-free notes: reverse-validation scores, the method `auto` chose, the few-shot choice.
        var notes: [String]
        var estimates: [AdaptationEstimate.Scored]
        /// With `--method auto`: source-only mean and noise, each candidate's verdict, the choice.
        var decision: AdaptationEstimate.Decision?
        /// The target class prior estimated from the unlabeled text (label-free).
        var targetPrior: TargetPrior?
    }

    func run() throws {
        let started = System.now()
        guard !source.isEmpty else { throw ValidationError("need at least one --source file") }
        guard !name.isEmpty else { throw ValidationError("--name must not be empty") }
        if let vectors, vectors.isEmpty { throw ValidationError("--vectors must not be empty") }
        let quiet = output.quiet
        let s = try VectorStore(path: store)
        try StoreUpdate.checkWritable(store)  // before training, not after
        var options = try adapter.options(method: method ?? AdapterOptions.d.method)
        if options.method == .coral && adapter.hidden == nil { options.hidden = 0 }
        let inputs = try AdaptationInputs(source: source, target: targetUnlabeled, targetLabeled: targetLabeled, tests: test,
                                          labelMap: LabelTables.labelMap(labelMap), quiet: quiet)
        let base = try loadIndex(store, quiet: quiet)
        try options.validate(for: base)
        let progress = ProgressRenderer.handler(quiet: quiet)
        let adapter = DomainAdapter(options: options, progress: progress)
        var reused: AdaptedVectors?
        var setName: String?
        if options.method.usesAdaptedVectors {
            let expected = adapter.expectedVectorSettings(base: base, source: inputs.source, target: inputs.target)
            let chosen = vectors ?? AdaptedVectors.defaultSetName(for: expected)
            setName = chosen
            reused = try reusableVectors(named: chosen, explicit: vectors != nil, rebuild: rebuildVectors, store: s, adapter: adapter,
                                         base: base, inputs: inputs, quiet: quiet)
        }
        var result = try adapter.adapt(base: base, source: inputs.source, target: inputs.target, targetLabeled: inputs.targetLabeled,
                                       vectors: reused)
        // Provenance: every input file with the SHA-256 of its bytes.
        result.provenance.sources = try zip(source, inputs.sourceFiles).map { path, data in
            try AdaptationProvenance.Input(name: path, texts: data.texts).hashingFile()
        }
        let used = options.targetLimit.map { Array(inputs.target.prefix($0)) } ?? inputs.target
        result.provenance.target = try AdaptationProvenance.Input(name: targetUnlabeled, texts: used).hashingFile()
        if let targetLabeled, let data = inputs.targetLabeled {
            result.provenance.targetLabeled = try AdaptationProvenance.Input(name: targetLabeled, texts: data.texts).hashingFile()
        }
        if result.method == .embeddings, reused == nil, vectors == nil, let v = result.vectors {
            setName = AdaptedVectors.defaultSetName(for: v.settings)  // the weighted set is its own set
        }
        let version = try result.save(name: name, to: store, vectorSet: setName, replaceVectorSet: rebuildVectors)
        let saved = try HeadStore.find(name: name, version: version, store: VectorStore(path: store))
        var scores: [TestScore] = []
        for t in inputs.tests {
            let m = result.head.evaluate(t, threads: options.threads)
            scores.append(TestScore(file: t.source, accuracy: m.accuracy, macroF1: m.macroF1, examples: m.count))
        }
        let summary = Summary(name: name, version: version, method: result.method, labels: result.head.labels,
                              vectorSet: saved.vectorSet, vectorSetReused: reused != nil, seconds: System.now() - started,
                              tests: scores, provenance: result.provenance, notes: result.notes, estimates: result.estimates,
                              decision: result.decision, targetPrior: result.targetPrior)
        if output.json { try JSONOutput.print(summary); return }
        print("head \(name) version \(version): \(result.method.title), labels \(result.head.labels.joined(separator: ",")), "
              + "in \(Format.duration(summary.seconds))")
        for n in result.notes { print("note: " + n) }
        if let set = saved.vectorSet { print("vectors: vector set \(set)" + (reused != nil ? " (reused)" : " (new)")) }
        for t in scores {
            print("\(t.file): accuracy \(Format.percent(t.accuracy)), macro-F1 \(Format.fixed(t.macroF1 * 100, 2)) (\(t.examples) examples)")
        }
    }
}
