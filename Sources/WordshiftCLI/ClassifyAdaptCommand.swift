import ArgumentParser
import Wordshift

struct ClassifyAdapt: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "adapt", abstract: "Domain adaptation experiments (not yet implemented).")
    func run() throws { throw WordshiftError.invalidArgument("classify adapt: not implemented yet") }
}
