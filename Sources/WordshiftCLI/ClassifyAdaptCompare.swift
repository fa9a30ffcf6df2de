import ArgumentParser
import Foundation
import Wordshift

struct ClassifyCompare: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare adaptation methods: source-only, each method, few-shot K and the in-domain bound (table, JSON, SVG).",
        discussion: """
            Every row is the library call `classify adapt` makes (DomainAdapter), scored on labeled target test \
            files. Nothing is saved in the store. The Mittens vectors are built once per run (or read from a \
            vector set with --vectors).
            """)

    @Argument(help: "Store whose vectors are the starting point (read only).") var store: String
    @Option(name: .long, parsing: .upToNextOption, help: "Labeled source-domain files.") var source: [String] = []
    @Option(name: .long, help: "Unlabeled target-domain text, one document per line (.gz ok).") var targetUnlabeled: String
    @Option(name: .long, parsing: .upToNextOption, help: "Labeled target test files (one column of the table each).") var test: [String] = []
    @Option(name: .long, help: "Labeled target data: few-shot samples and the in-domain upper bound.") var targetLabeled: String?
    @Option(name: .long, help: "An extra few-shot size K (0, 50, 200 and 1000 are always run).", transform: Flags.integer(0...)) var shots: Int?
    @Option(name: .long, parsing: .upToNextOption,
            help: "Methods compared with source-only (default, or with auto: all, plus the auto row; the few-shot rows fine-tune auto's choice, or the first method given).")
    var method: [AdaptationMethod] = []
    @Option(name: .long, help: "Read the adapted vectors from this vector set of the store (its settings must match).") var vectors: String?
    @Option(name: .long, help: ArgumentHelp("Rename the labels of --test and --target-labeled files to the source's, e.g. positive=pos,negative=neg.",
                                            valueName: "from=to,...")) var labelMap: String?
    @Option(name: .long, help: "Chart title (default: made from the source, target and test file names).") var title: String?
    @Option(name: .long, help: "Also write the report as JSON to this file (--json prints it on standard output instead of the table).")
    var report: String?
    @Option(name: .long, help: "Write an SVG bar chart here.") var svg: String?
    @Flag(name: .long, help: "Replace existing files at --report and --svg.") var force = false
    @OptionGroup var adapter: AdapterOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        guard !source.isEmpty, !test.isEmpty else { throw ValidationError("need at least one --source and one --test file") }
        let inputs = [store, targetUnlabeled] + source + test + (targetLabeled.map { [$0] } ?? [])
        if let report { try OutputPath.check(report, force: force, inputs: inputs, flag: "--report") }
        if let svg { try OutputPath.check(svg, force: force, inputs: inputs, flag: "--svg") }
        if let report, let svg { try OutputPath.checkDistinct([("--report", report), ("--svg", svg)]) }
        let quiet = output.quiet
        var options = AdaptationComparison.Options()
        options.adapter = try adapter.options(method: AdapterOptions.d.method)
        // `auto` chooses among every method, so it needs them all in the table.
        if !method.isEmpty && !method.contains(.auto) {
            options.methods = method.filter { $0 != .sourceOnly }
            options.auto = false
            options.fewShotMethod = options.methods.first ?? .sourceOnly
        }
        if options.methods.contains(.coral) && adapter.hidden == nil { options.adapter.hidden = 0 }
        options.shots = ([0, 50, 200, 1000] + (shots.map { [$0] } ?? [])).reduce(into: [Int]()) { if !$0.contains($1) { $0.append($1) } }
        options.title = title
        let s = try VectorStore(path: store)
        let data = try AdaptationInputs(source: source, target: targetUnlabeled, targetLabeled: targetLabeled, tests: test,
                                        labelMap: LabelTables.labelMap(labelMap), quiet: quiet)
        let base = try loadIndex(store, quiet: quiet)
        try options.adapter.validate(for: base)
        var adapted: AdaptedVectors?
        if let vectors {
            var o = options.adapter
            o.method = .embeddingsSelfTrain
            adapted = try reusableVectors(named: vectors, explicit: false, rebuild: false, store: s,
                                          adapter: DomainAdapter(options: o), base: base, inputs: data, quiet: quiet,
                                          remedy: "Give the Mittens options it was made with, or leave out --vectors (compare then builds the vectors itself)")
            guard adapted != nil else { throw ValidationError("\(store) has no vector set named \(vectors) (see `classify list`)") }
        }
        let comparison = AdaptationComparison(options: options, progress: ProgressRenderer.handler(quiet: quiet))
        let result = try comparison.run(base: base, data: AdaptationComparison.Data(
            source: data.source, sourceNames: source, target: data.target, targetName: targetUnlabeled,
            targetLabeled: data.targetLabeled, tests: data.tests), vectors: adapted)
        if let report { try Data(try JSONOutput.encode(result).utf8).write(to: URL(fileURLWithPath: report), options: .atomic) }
        if let svg { try Data(result.svg().utf8).write(to: URL(fileURLWithPath: svg), options: .atomic) }
        if output.json { try JSONOutput.print(result); return }
        print(result.title)
        print(result.table(), terminator: "")
        for n in result.notes { print("note: " + n) }
    }
}
