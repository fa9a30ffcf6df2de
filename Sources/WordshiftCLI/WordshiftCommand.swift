import ArgumentParser
import Wordshift

@main
struct WordshiftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wordshift",
        abstract: "Train, store, query and transfer word embeddings.",
        discussion: """
            A store is one SQLite file holding a vocabulary, its vectors and provenance. \
            Typical flow: `wordshift train --corpus text.txt --out model.sqlite`, or \
            `wordshift import vectors.vec --out model.sqlite`, then `wordshift nearest model.sqlite king`.
            """,
        version: versionLine,
        subcommands: [
            DemoCommand.self, TrainCommand.self,
            ImportCommand.self, ExportCommand.self, InfoCommand.self,
            VectorCommand.self, NearestCommand.self, AnalogyCommand.self,
            SimilarityCommand.self, DoesntMatchCommand.self, EvaluateCommand.self, SubwordCommand.self, IndexCommand.self, QuantizeCommand.self,
            ClassifyCommand.self, ServeCommand.self,
        ]
    )
}

/// What `wordshift --version` prints: the version and, when the build knew it, the git commit.
let versionLine = "wordshift \(WordshiftVersion.string)" + (buildCommit.map { " (commit \($0))" } ?? "")

/// Flags shared by commands that print results.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print machine-readable JSON on standard output.")
    var json = false

    @Flag(name: .shortAndLong, help: "No progress bars or warnings on standard error.")
    var quiet = false
}
