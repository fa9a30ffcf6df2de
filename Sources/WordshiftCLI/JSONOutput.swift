import Foundation
import Wordshift

enum JSONOutput {
    /// Prints a value as pretty, key-sorted JSON on standard output.
    static func print<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let data = try encoder.encode(value)
        // Through `print`'s buffer, so JSON never overtakes text printed before it.
        Swift.print(String(decoding: data, as: UTF8.self))
    }
}

/// Writes a warning to standard error unless quiet.
func warn(_ message: String, quiet: Bool) {
    if !quiet { Console.error("warning: \(message)\n") }
}
