import ArgumentParser
import Wordshift
// Temporary stubs, replaced one by one by their own files.
struct ImportCommand: ParsableCommand { static let configuration = CommandConfiguration(commandName: "import") }
struct ExportCommand: ParsableCommand { static let configuration = CommandConfiguration(commandName: "export") }
struct InfoCommand: ParsableCommand { static let configuration = CommandConfiguration(commandName: "info") }
struct VectorCommand: ParsableCommand { static let configuration = CommandConfiguration(commandName: "vector") }
struct NearestCommand: ParsableCommand { static let configuration = CommandConfiguration(commandName: "nearest") }
struct AnalogyCommand: ParsableCommand { static let configuration = CommandConfiguration(commandName: "analogy") }
struct SimilarityCommand: ParsableCommand { static let configuration = CommandConfiguration(commandName: "similarity") }
struct DoesntMatchCommand: ParsableCommand { static let configuration = CommandConfiguration(commandName: "doesnt-match") }
struct EvaluateCommand: ParsableCommand { static let configuration = CommandConfiguration(commandName: "evaluate") }
