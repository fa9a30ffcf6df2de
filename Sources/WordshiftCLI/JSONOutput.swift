import Foundation
import Wordshift

enum JSONOutput {
    /// Prints a value as pretty, key-sorted JSON on standard output.
    static func print<T: Encodable>(_ value: T) throws {
        // Through `print`'s buffer, so JSON never overtakes text printed before it.
        Swift.print(try encode(value), terminator: "")
    }

    /// Pretty, key-sorted JSON text of a value (what `--json` prints and report files hold).
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }
}

/// Writes a warning to standard error unless quiet.
func warn(_ message: String, quiet: Bool) {
    if !quiet { Console.error("warning: \(message)\n") }
}
