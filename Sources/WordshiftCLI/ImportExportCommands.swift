import ArgumentParser
import Wordshift

extension VectorFormat: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

extension UTF8Policy: ExpressibleByArgument {}

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a word2vec (text or binary), GloVe or fastText .vec file into a new store.",
        discussion: """
            The format is detected from the content unless --format is given; .gz files are read transparently. The store appears only once complete. \
            --quantize f16|int8|pq writes the store quantized, as `wordshift quantize` would from a float32 import (a temporary \
            float32 store is written beside --out and removed); the pq options are those of `wordshift quantize`.
            """)

    @Argument(help: "Vector file to read (`-` for standard input).") var file: String
    @Option(name: .long, help: "Store to create.") var out: String
    @Option(name: .long, help: "Input format: \(VectorFormat.allValueStrings.joined(separator: ", ")) (default: detect).") var format: VectorFormat?
    @Option(name: .long, help: "Read at most N vectors.", transform: Flags.integer(1...)) var limit: Int?
    @Option(name: .long, help: "Invalid UTF-8 in words: strict (error) or replace (U+FFFD, counted in a warning).") var utf8: UTF8Policy = .replace
    @Flag(name: .long, help: "A header whose count disagrees with the content is an error, not a warning.") var strictHeader = false
    @Flag(name: .long, help: "Replace an existing store at --out.") var force = false
    @Option(name: .long, help: "Parsing threads (default: all cores).", transform: Flags.threads) var threads: Int?
    @Option(name: .long, help: "Write the vectors as f16, int8 or pq (default: float32).") var quantize: VectorEncoding?
    @OptionGroup var pq: ProductQuantizationOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if quantize != .pq && pq.anyGiven {
            throw ValidationError("--subquantizers, --seed and --opq/--no-opq apply to --quantize pq only")
        }
    }

    func run() throws {
        try OutputPath.check(out, force: force, inputs: [file])
        LargeBlocks.keepInHeap()
        let options = LoadOptions(format: format, limit: limit, utf8: utf8, strictHeader: strictHeader,
                                  threads: threads ?? Parallel.defaultThreads)
        let progress = ProgressRenderer.handler(quiet: output.quiet)
        let summary: VectorImport.Summary
        if let quantize {
            var training = pq.applied(to: ProductQuantizer.TrainingOptions())
            training.threads = Parallel.clampThreads(threads ?? Parallel.defaultThreads)
            summary = try VectorImport.importFile(file, to: out, quantize: quantize, training: training, options: options, progress: progress)
        } else {
            summary = try VectorImport.importFile(file, to: out, options: options, progress: progress)
        }
        for w in summary.report.warnings { warn(w, quiet: output.quiet) }
        if output.json {
            try JSONOutput.print(summary)
        } else {
            let r = summary.report
            let encoding = summary.quantized.map { q in
                ", stored as \(q.encoding.rawValue)" + (q.subquantizers.map { " (\($0) subquantizers × 256 centroids)" } ?? "")
                    + " in \(Format.fixed(Double(q.outBytes) / 1_048_576, 1)) MiB"
            } ?? ""
            print("imported \(r.rows) vectors of dimension \(r.dimension) (\(r.format.rawValue)) into \(out)\(encoding) in \(Format.fixed(summary.seconds, 2)) s")
        }
    }
}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a store's vectors as word2vec text/binary, GloVe text or fastText .vec.",
        discussion: "Vectors are written at their original length. A path ending in .gz is compressed.")

    @Argument(help: "Store to read.") var store: String
    @Option(name: .long, help: "Output format: \(VectorFormat.allValueStrings.joined(separator: ", ")).") var format: VectorFormat
    @Option(name: .long, help: "File to write.") var out: String
    @Flag(name: .long, help: "Replace an existing file at --out.") var force = false
    @OptionGroup var output: OutputOptions

    struct Result: Codable { var file: String; var format: VectorFormat; var vectors: Int; var dimension: Int }

    func run() throws {
        try OutputPath.check(out, force: force, inputs: [store])
        let s = try VectorStore(path: store)
        let n = try VectorImport.export(store: s, to: out, format: format, progress: ProgressRenderer.handler(quiet: output.quiet))
        if output.json {
            try JSONOutput.print(Result(file: out, format: format, vectors: n, dimension: s.dimension))
        } else {
            print("wrote \(n) vectors of dimension \(s.dimension) to \(out) (\(format.rawValue))")
        }
    }
}

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "info", abstract: "Show a store's size, dimension and provenance.")

    @Argument(help: "Store to describe.") var store: String
    @OptionGroup var output: OutputOptions

    struct Result: Codable { var path: String; var bytes: Int; var count: Int; var dimension: Int; var meta: [String: String] }

    func run() throws {
        let s = try VectorStore(path: store)
        let result = Result(path: store, bytes: System.fileSize(store) ?? 0, count: s.count, dimension: s.dimension, meta: s.meta)
        if output.json { try JSONOutput.print(result); return }
        print("\(store): \(s.count) words × \(s.dimension) dimensions, \(Format.quantity(Double(result.bytes)))B")
        for key in s.meta.keys.sorted() { print("  \(key): \(s.meta[key] ?? "")") }
    }
}
