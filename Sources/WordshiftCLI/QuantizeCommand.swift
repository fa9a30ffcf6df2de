import ArgumentParser
import Wordshift

extension VectorEncoding: ExpressibleByArgument {
    /// `f16`/`float16`, `int8`, `f32`/`float32`.
    public init?(argument: String) {
        switch argument.lowercased() {
        case "f16", "float16", "half": self = .float16
        case "int8", "i8": self = .int8
        case "f32", "float32": self = .float32
        default: return nil
        }
    }
}

struct QuantizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantize",
        abstract: "Write a copy of a store with its vectors in float16 (half the bytes) or int8 (a quarter).",
        discussion: """
            Every query command reads the copy (rows are decoded to float32 and renormalised as they load).
            The copy is format version 3: older wordshift versions refuse it. An approximate-search index is
            not copied; build one on the copy with `wordshift index build`.
            """)

    @Argument(help: "Float32 store to read.") var store: String
    @Option(name: .long, help: "f16 or int8.") var to: VectorEncoding
    @Option(name: .long, help: "Quantized store to write.") var out: String
    @Flag(name: .long, help: "Replace an existing file at --out.") var force = false
    @OptionGroup var output: OutputOptions

    func run() throws {
        try OutputPath.check(out, force: force, inputs: [store])
        let s = try StoreQuantizer.quantize(store, to: to, out: out, progress: ProgressRenderer.handler(quiet: output.quiet))
        if output.json { try JSONOutput.print(s); return }
        print("wrote \(out): \(s.rows) vectors as \(s.encoding.rawValue), \(Format.fixed(Double(s.outBytes) / 1_048_576, 1)) MiB "
            + "(from \(Format.fixed(Double(s.sourceBytes) / 1_048_576, 1)) MiB) in \(Format.fixed(s.seconds, 1)) s")
    }
}
