/// Every failure Wordshift reports. Each case names the file and, where it has one, the line
/// (1-based) or byte offset, so a user can find the problem without a debugger.
public enum WordshiftError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A file could not be opened, read, written or renamed.
    case io(path: String, message: String)
    /// A line of a text file could not be parsed.
    case malformedLine(path: String, line: Int, message: String)
    /// A binary file ended, or was corrupt, at a byte offset.
    case malformedBinary(path: String, byteOffset: Int, message: String)
    /// Bytes that are not UTF-8 under the strict policy.
    case invalidUTF8(path: String, line: Int)
    /// A file or corpus without any usable content.
    case emptyInput(path: String, message: String)
    /// A vector's length disagrees with the dimension in force.
    case dimensionMismatch(path: String, line: Int, expected: Int, found: Int)
    /// A query word that is not in the store (and has no subword fallback).
    case unknownWord(String)
    /// A file that is not a Wordshift store.
    case notAStore(path: String, message: String)
    /// A store written by a newer Wordshift than this one.
    case unsupportedStoreVersion(path: String, found: Int, supported: Int)
    /// A SQLite call failed.
    case sqlite(path: String, code: Int32, message: String)
    /// An argument with a value that makes no sense.
    case invalidArgument(String)

    /// The message, with control characters from the data escaped (never raw bytes or
    /// terminal escape sequences).
    public var description: String { Quote.terminalSafe(rawDescription) }

    private var rawDescription: String {
        switch self {
        case let .io(path, message): return "\(path): \(message)"
        case let .malformedLine(path, line, message): return "\(path):\(line): \(message)"
        case let .malformedBinary(path, offset, message): return "\(path): at byte \(offset): \(message)"
        case let .invalidUTF8(path, line): return "\(path):\(line): invalid UTF-8 (use --utf8 replace to accept it)"
        case let .emptyInput(path, message): return "\(path): \(message)"
        case let .dimensionMismatch(path, line, expected, found):
            return "\(path):\(line): expected \(expected) values, found \(found)"
        case let .unknownWord(word): return "unknown word: \(Quote.word(word))"
        case let .notAStore(path, message): return "\(path): not a Wordshift store (\(message))"
        case let .unsupportedStoreVersion(path, found, supported):
            return "\(path): store format version \(found) is newer than this tool supports (\(supported)); upgrade Wordshift"
        case let .sqlite(path, code, message): return "\(path): SQLite error \(code): \(message)"
        case let .invalidArgument(message): return message
        }
    }
}
