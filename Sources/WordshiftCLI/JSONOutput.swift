import Foundation
import Wordshift

enum JSONOutput {
    /// Prints a value as pretty, key-sorted JSON on standard output.
    static func print<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let data = try encoder.encode(value)
        FileHandle.standardOutput.write(data)
        FileHandle.standardOutput.write("\n".data(using: .utf8)!)
    }
}

/// Writes a warning to standard error unless quiet.
func warn(_ message: String, quiet: Bool) {
    if !quiet { System.writeStderr("warning: \(message)\n") }
}
