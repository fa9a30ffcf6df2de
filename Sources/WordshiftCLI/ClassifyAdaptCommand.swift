import ArgumentParser
import Foundation
import Wordshift

extension AdaptationMethod: ExpressibleByArgument {}

struct ClassifyAdapt: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adapt",
        abstract: "Domain adaptation: source-only, each method, few-shot K = 0/50/200 and the in-domain upper bound.")

    @Argument(help: "Store.") var store: String
    @Option(name: .long, parsing: .upToNextOption, help: "Labeled source-domain files.") var source: [String]
    @Option(name: .long, help: "Unlabeled target-domain text, one document per line (.gz ok).") var targetUnlabeled: String
    @Option(name: .long, help: "Use the first N lines of the unlabeled target text.", transform: Flags.integer(1...)) var targetLimit = 20_000
    @Option(name: .long, help: "Labeled target data: few-shot samples and the in-domain upper bound.") var targetLabeled: String?
    @Option(name: .long, help: "An extra few-shot size K (0, 50 and 200 are always run).", transform: Flags.integer(0...)) var shots: Int?
    @Option(name: .long, help: "none, embeddings, coral, adversarial, self-train or all.") var method = "all"
    @Option(name: .long, parsing: .upToNextOption, help: "Labeled target test files.") var test: [String]
    @Option(name: .long, help: "Also write the report as JSON to this file (--json prints it on standard output instead of the table).")
    var report: String?
    @Option(name: .long, help: "Write an SVG bar chart here.") var svg: String?
    @Option(name: .long, help: "Store of target-adapted vectors for the embeddings method: used if it exists, otherwise written there by Mittens (default: a temporary file).") var adaptedStore: String?
    @OptionGroup var mittens: MittensAdaptOptions
    @Option(name: .long, help: "Weight of the reversed domain gradient.", transform: Flags.real(from: Float(0))) var adversarialWeight: Float = 0.1
    @Option(name: .long, help: "Self-training rounds.", transform: Flags.integer(0...100)) var selfTrainRounds = 3
    @OptionGroup var head: HeadOptions
    @Flag(name: .long, help: "Replace existing files at --report and --svg.") var force = false
    @OptionGroup var output: OutputOptions

    var quiet: Bool { output.quiet }

    func run() throws {
        guard !source.isEmpty, !test.isEmpty else { throw ValidationError("need at least one --source and one --test file") }
        let inputs = [store, targetUnlabeled] + source + test + (targetLabeled.map { [$0] } ?? [])
        if let report { try OutputPath.check(report, force: force, inputs: inputs, flag: "--report") }
        if let svg { try OutputPath.check(svg, force: force, inputs: inputs, flag: "--svg") }
        if let report, let svg { try OutputPath.checkDistinct([("--report", report), ("--svg", svg)]) }
        if let adaptedStore, !System.fileExists(adaptedStore) {
            try OutputPath.check(adaptedStore, force: false, inputs: inputs, flag: "--adapted-store")
        }
        let methods: [AdaptationMethod]
        if method == "all" { methods = AdaptationMethod.allCases.filter { $0 != .none } } else {
            guard let m = AdaptationMethod(rawValue: method) else { throw ValidationError("unknown --method \(method)") }
            methods = [m]
        }
        let s = try VectorStore(path: store)
        let config = try head.config(for: s)
        var sourceData = try LabeledDataReader.read(source[0])
        for f in source.dropFirst() { sourceData.append(try LabeledDataReader.read(f)) }
        let unlabeled = try LabeledDataReader.readText(targetUnlabeled, limit: targetLimit)
        let labeled = try targetLabeled.map { try LabeledDataReader.read($0) }
        let tests = try test.map { try LabeledDataReader.read($0) }
        let index = try loadIndex(store, quiet: quiet)
        var options = DomainAdaptation.Options(config: config)
        options.methods = methods
        options.shots = ([0, 50, 200] + (shots.map { [$0] } ?? [])).reduce(into: [Int]()) { if !$0.contains($1) { $0.append($1) } }
        options.adversarialWeight = adversarialWeight
        options.selfTrainRounds = selfTrainRounds
        options.transfer = try mittens.transferOptions(rounds: selfTrainRounds)
        var run = DomainAdaptation(index: index, options: options)
        if methods.contains(.embeddings) {
            let path = try mittens.adaptedStore(existing: adaptedStore, source: s, sources: source, target: targetUnlabeled, quiet: quiet)
            defer { if adaptedStore == nil { TemporaryFiles.remove(path) } }
            run.adaptedIndex = try loadIndex(path, quiet: quiet)
            run.adaptedCorpusRows = try VectorStore(path: path).meta["training.vocab_size"].flatMap { Int($0) }
        } else if let adaptedStore {
            run.adaptedIndex = try loadIndex(adaptedStore, quiet: quiet)
        }
        run.progress = ProgressRenderer.handler(quiet: quiet)
        let result = try run.run(source: sourceData, sourcePaths: source, targetUnlabeled: unlabeled,
                                 targetUnlabeledPath: targetUnlabeled, targetLabeled: labeled, tests: tests)
        if let report { try Data(try JSONOutput.encode(result).utf8).write(to: URL(fileURLWithPath: report), options: .atomic) }
        if let svg { try Data(result.svg().utf8).write(to: URL(fileURLWithPath: svg), options: .atomic) }
        if output.json { try JSONOutput.print(result); return }
        print(result.table(), terminator: "")
        for n in result.notes { print("note: " + n) }
    }
}
