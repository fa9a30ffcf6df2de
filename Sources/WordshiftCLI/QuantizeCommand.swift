import ArgumentParser
import Wordshift

extension VectorEncoding: ExpressibleByArgument {
    /// `f16`/`float16`, `int8`, `pq`, `f32`/`float32`.
    public init?(argument: String) {
        switch argument.lowercased() {
        case "f16", "float16", "half": self = .float16
        case "int8", "i8": self = .int8
        case "pq": self = .pq
        case "f32", "float32": self = .float32
        default: return nil
        }
    }
}

struct QuantizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantize",
        abstract: "Write a copy of a store with its vectors in float16 (half the bytes), int8 (a quarter) or product-quantized (pq).",
        discussion: """
            Every query command reads the copy (rows are decoded to float32 and renormalised as they load). \
            float16 and int8 copies are format version 3, pq copies version 4: older wordshift versions refuse them. \
            pq splits each unit vector into --subquantizers subvectors and stores, per subvector, the number (one \
            byte) of its nearest centroid among 256 learned by k-means (k-means++ seeding, --iterations Lloyd \
            iterations) on a seeded sample of --sample rows, on --threads threads. The default uses subvectors of \
            3 values (100 bytes per 300-d row instead of 1,200), else 4. Searches on a pq copy rank the decoded vectors \
            (nearest by asymmetric distance): approximate with respect to the float32 original, even with --exact. \
            An approximate-search index is not copied; build one on the copy with `wordshift index build`.
            """)

    @Argument(help: "Float32 store to read.") var store: String
    @Option(name: .long, help: "f16, int8 or pq.") var to: VectorEncoding
    @Option(name: .long, help: "Quantized store to write.") var out: String
    @OptionGroup var pq: ProductQuantizationOptions
    // Optional, like the shared pq options, so that validate() refuses any of them given
    // without --to pq, the default values included.
    @Option(name: .long, help: "pq: rows k-means learns from (a seeded sample; at least 256; default: \(ProductQuantizer.TrainingOptions().sample)).",
            transform: Flags.integer(256...)) var sample: Int?
    @Option(name: .long, help: "pq: Lloyd iterations of k-means (default: \(ProductQuantizer.TrainingOptions().iterations)).",
            transform: Flags.integer(1...1000)) var iterations: Int?
    @Option(name: .long, help: "pq: worker threads (default: all cores).", transform: Flags.integer(1...)) var threads: Int?
    @Flag(name: .long, help: "Replace an existing file at --out.") var force = false
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if to != .pq && (pq.anyGiven || threads != nil || sample != nil || iterations != nil) {
            throw ValidationError("--subquantizers, --sample, --iterations, --seed, --threads and --opq/--no-opq apply to --to pq only")
        }
    }

    func run() throws {
        try OutputPath.check(out, force: force, inputs: [store])
        var training = pq.applied(to: ProductQuantizer.TrainingOptions())
        if let sample { training.sample = sample }
        if let iterations { training.iterations = iterations }
        training.threads = Parallel.clampThreads(threads ?? Parallel.defaultThreads)
        let s = try StoreQuantizer.quantize(store, to: to, out: out, training: training,
                                            progress: ProgressRenderer.handler(quiet: output.quiet))
        if output.json { try JSONOutput.print(s); return }
        let code = s.subquantizers.map { " (\(s.training?.optimized == true ? "optimized, " : "")\($0) subquantizers × 256 centroids)" } ?? ""
        print("wrote \(out): \(s.rows) vectors as \(s.encoding.rawValue)\(code), \(Format.fixed(Double(s.outBytes) / 1_048_576, 1)) MiB "
            + "(from \(Format.fixed(Double(s.sourceBytes) / 1_048_576, 1)) MiB) in \(Format.fixed(s.seconds, 1)) s")
        if s.droppedApproximateIndex {
            print("the approximate-search index of \(store) was not copied; build one with `wordshift index build \(out)`")
        }
    }
}
