import ArgumentParser
import Wordshift

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "train", abstract: "Train GloVe vectors from a raw corpus (not yet implemented).")
    func run() throws { throw WordshiftError.invalidArgument("train: not implemented yet") }
}
