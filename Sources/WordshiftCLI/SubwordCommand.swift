import ArgumentParser
import Wordshift

struct SubwordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subword",
        abstract: "Subword units for rare and unseen words: character n-grams and BPE.",
        subcommands: [SubwordFit.self, BPETrainCommand.self, BPEEncodeCommand.self, BPEExportCommand.self, BPEImportCommand.self])
}

struct SubwordFit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Learn character n-gram vectors for a store without subwords, so unseen words get vectors.",
        discussion: "Each known word's vector is approximated by the mean of its n-gram vectors (fastText's composition); the table is saved in the store in one transaction.")

    @Argument(help: "Store to extend.") var store: String
    @Option(name: .long, help: "Shortest n-gram, in characters.", transform: Flags.integer(1...20)) var minN = 3
    @Option(name: .long, help: "Longest n-gram, in characters.", transform: Flags.integer(1...20)) var maxN = 6
    @Option(name: .long, help: "Hash buckets (fastText uses 2000000).", transform: Flags.integer(1...50_000_000)) var buckets = 2_000_000
    @Option(name: .long, help: "Passes over the vocabulary.", transform: Flags.integer(1...)) var epochs = 20
    @Option(name: .long, help: "Initial learning rate (decays linearly).", transform: Flags.real(above: Float(0))) var lr: Float = 1.0
    @Option(name: .long, help: "Fit on the N most frequent words only.", transform: Flags.integer(1...)) var maxWords: Int?
    @Option(name: .long, help: "Random seed.") var seed: UInt64 = 1
    @Option(name: .long, help: "L2 decay per update (favours n-grams shared by many words).", transform: Flags.real(from: Float(0), below: 1))
    var decay: Float = 0
    @Option(name: .long, help: "Words seen fewer times get proportionally smaller updates (0: all equal).", transform: Flags.integer(0...))
    var fullWeightCount = 1000
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard maxN >= minN else { throw ValidationError("--max-n must be at least --min-n") }
    }

    func run() throws {
        try StoreUpdate.checkWritable(store)  // before fitting, not after
        let index = try loadIndex(store, quiet: output.quiet)
        var options = NgramFit.Options()
        options.ngrams = CharNgrams(minN: minN, maxN: maxN, buckets: buckets)
        options.epochs = epochs
        options.learningRate = lr
        options.maxWords = maxWords
        options.seed = seed
        options.decay = decay
        options.fullWeightCount = fullWeightCount
        let (table, summary) = NgramFit.fit(index: index, options: options,
                                            progress: ProgressRenderer.handler(quiet: output.quiet))
        let before = System.fileSize(store) ?? 0
        try StoreUpdate.run(store) { db in try table.write(to: db) }
        let after = System.fileSize(store) ?? 0
        struct Result: Codable { var summary: NgramFit.Summary; var storeBytesBefore: Int; var storeBytesAfter: Int }
        if output.json { try JSONOutput.print(Result(summary: summary, storeBytesBefore: before, storeBytesAfter: after)); return }
        print("fitted \(summary.buckets) n-gram vectors on \(summary.words) words in \(Format.fixed(summary.seconds, 1)) s; "
              + "mean cosine word↔composition \(Format.fixed(summary.meanCosine, 3)); store \(Format.quantity(Double(before)))B → \(Format.quantity(Double(after)))B")
    }
}
