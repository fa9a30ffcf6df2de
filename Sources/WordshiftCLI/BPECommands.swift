import ArgumentParser
import Foundation
import Wordshift

/// Where a BPE model goes or comes from: a `.json` path is a Hugging Face tokenizer.json,
/// anything else a Wordshift store.
private func isTokenizerJSON(_ path: String) -> Bool { path.hasSuffix(".json") }

private func loadBPE(_ path: String) throws -> BPEModel {
    if isTokenizerJSON(path) { return try BPEFiles.readTokenizerJSON(path) }
    guard let model = try BPEFiles.load(from: try VectorStore(path: path)) else {
        throw WordshiftError.invalidArgument("\(path) has no BPE model; run `wordshift subword train` first")
    }
    return model
}

private func saveBPE(_ model: BPEModel, to path: String) throws {
    if isTokenizerJSON(path) { try BPEFiles.writeTokenizerJSON(model, to: path) } else {
        try StoreUpdate.run(path) { try BPEFiles.write(model, to: $0) }
    }
}

struct BPETrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train", abstract: "Learn BPE merges from a corpus (word-level, end-of-word marker `</w>`).",
        discussion: "Words are split like the Hugging Face Whitespace pre-tokenizer. Characters never seen in training become `<unk>` when encoding. --out is an existing store (the model is added to it) or a tokenizer.json path.")

    @Option(name: .long, parsing: .upToNextOption, help: "Corpus files (.gz fine).") var corpus: [String]
    @Option(name: .long, help: "Target vocabulary size (characters + merges).", transform: Flags.integer(1...10_000_000)) var vocabSize = 8000
    @Option(name: .long, help: "Stop when the best pair occurs fewer times.", transform: Flags.integer(1...)) var minFrequency = 2
    @Option(name: .long, help: "A store to extend, or a .json file.") var out: String
    @Flag(name: .long, help: "Replace an existing .json file at --out.") var force = false
    @OptionGroup var output: OutputOptions

    func run() throws {
        guard !corpus.isEmpty else { throw ValidationError("give at least one --corpus file") }
        if isTokenizerJSON(out) {
            try OutputPath.check(out, force: force, inputs: corpus)
        } else {
            _ = try VectorStore(path: out)  // the store to extend must exist (and be a store)
            try OutputPath.check(out, force: true, inputs: corpus)
        }
        let t0 = System.now()
        let counts = try BPETrainer.countWords(corpus: corpus)
        let counting = System.now() - t0
        var options = BPETrainer.Options()
        options.vocabularySize = vocabSize
        options.minFrequency = minFrequency
        let (model, summary) = try BPETrainer.train(wordCounts: counts, options: options)
        try saveBPE(model, to: out)
        struct Result: Codable { var summary: BPETrainer.Summary; var countingSeconds: Double; var totalSeconds: Double; var out: String }
        let result = Result(summary: summary, countingSeconds: counting, totalSeconds: System.now() - t0, out: out)
        if output.json { try JSONOutput.print(result); return }
        print("learned \(summary.merges) merges over an alphabet of \(summary.alphabet) from \(summary.distinctWords) distinct words "
              + "(\(summary.words) tokens) in \(Format.fixed(result.totalSeconds, 2)) s → \(out)")
    }
}

struct BPEEncodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode", abstract: "Split text into BPE units (one input line → one output line).",
        discussion: "With --json, each output line is a JSON array of the line's units (JSON Lines), so the output streams.")

    @Argument(help: "A store or tokenizer.json with a BPE model.") var model: String
    @Argument(help: "Text file (default: standard input).") var file: String = "-"
    @OptionGroup var output: OutputOptions

    func run() throws {
        let bpe = try loadBPE(model)
        let lines = try LineReader(path: file)
        var out = ""
        while let text = try lines.nextLine({ String(decoding: $0, as: UTF8.self) }) {
            let units = bpe.encode(text)
            if output.json {
                let data = try JSONSerialization.data(withJSONObject: units, options: [.withoutEscapingSlashes])
                out += String(decoding: data, as: UTF8.self) + "\n"
            } else {
                out += units.joined(separator: " ") + "\n"
            }
            if out.utf8.count > 1 << 20 { print(out, terminator: ""); out = "" }
        }
        print(out, terminator: "")
    }
}

struct BPEExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Write a store's BPE model as a Hugging Face tokenizer.json.")
    @Argument(help: "Store.") var store: String
    @Option(name: .long, help: "tokenizer.json path.") var out: String
    @Flag(name: .long, help: "Replace an existing file at --out.") var force = false
    @OptionGroup var output: OutputOptions

    struct Result: Codable { var file: String; var merges: Int; var units: Int }

    func run() throws {
        guard out.hasSuffix(".json") else { throw ValidationError("--out must end in .json") }
        try OutputPath.check(out, force: force, inputs: [store])
        let model = try loadBPE(store)
        try BPEFiles.writeTokenizerJSON(model, to: out)
        let result = Result(file: out, merges: model.merges.count, units: model.units.count)
        if output.json { try JSONOutput.print(result); return }
        print("wrote \(result.merges) merges and \(result.units) units to \(out)")
    }
}

struct BPEImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "Add the BPE model of a Hugging Face tokenizer.json to a store.")
    @Argument(help: "tokenizer.json.") var file: String
    @Option(name: .long, help: "Store to extend.") var out: String
    @OptionGroup var output: OutputOptions

    func run() throws {
        let model = try BPEFiles.readTokenizerJSON(file)
        try StoreUpdate.run(out) { try BPEFiles.write(model, to: $0) }
        let result = BPEExportCommand.Result(file: out, merges: model.merges.count, units: model.units.count)
        if output.json { try JSONOutput.print(result); return }
        print("added \(result.merges) merges and \(result.units) units to \(out)")
    }
}
