import ArgumentParser
import Wordshift

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "Train a small model on the default corpus and query it (not yet implemented).")
    func run() throws { throw WordshiftError.invalidArgument("demo: not implemented yet") }
}
