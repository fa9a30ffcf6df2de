import Foundation

/// Entry point for reading vector files of any supported format.
public enum VectorFileReader {
    /// Streams the vectors of `path` into `sink`; returns what the load found.
    package static func read<S: VectorSink>(path: String, options: LoadOptions = LoadOptions(), into sink: inout S) throws -> LoadReport {
        if let limit = options.limit, limit <= 0 { throw WordshiftError.invalidArgument("--limit must be positive") }
        if path == "-" {
            // Detection must look at the start of the input and the reader must see it again:
            // standard input is spooled to a temporary file first (decompressed if gzip).
            let spooled = try spoolStandardInput()
            defer { TemporaryFiles.remove(spooled) }
            do {
                var report = try read(path: spooled, options: options, into: &sink)
                report.path = "-"
                report.warnings = report.warnings.map { $0.replacingOccurrences(of: spooled, with: "-") }
                return report
            } catch let error as WordshiftError {
                throw error.renamingPath(spooled, to: "-")
            }
        }
        if let forced = options.format, let why = try FormatDetector.contradiction(forced: forced, path: path) {
            throw WordshiftError.malformedBinary(path: path, byteOffset: 0, message: why)
        }
        let format = try options.format ?? FormatDetector.detect(path: path)
        switch format {
        case .word2vecBinary: return try BinaryVectorReader.read(path: path, options: options, into: &sink)
        case .fastTextBinary:
            throw WordshiftError.malformedBinary(path: path, byteOffset: 0,
                message: "this is a fastText binary model (.bin), not a word2vec file; import it with `wordshift import` (it keeps its subwords) or use its .vec file")
        default: return try TextVectorReader.read(path: path, format: format, options: options, into: &sink)
        }
    }

    /// Loads a whole file into memory.
    public static func load(path: String, options: LoadOptions = LoadOptions()) throws -> (table: VectorTable, report: LoadReport) {
        var table = VectorTable()
        let report = try read(path: path, options: options, into: &table)
        return (table, report)
    }

    /// The format `path` would be read as.
    public static func detectFormat(path: String) throws -> VectorFormat { try FormatDetector.detect(path: path) }
}

extension VectorFileReader {
    /// Copies standard input (decompressed) into a registered temporary file in `$TMPDIR`.
    static func spoolStandardInput() throws -> String {
        let path = TemporaryFileOwner.scratch(in: TemporaryFileOwner.defaultDirectory, kind: "stdin")
        TemporaryFiles.register(path)
        guard let out = fopen(path, "wb") else {
            TemporaryFiles.remove(path)
            throw WordshiftError.io(path: "-", message: "cannot spool standard input: \(System.errnoString())")
        }
        defer { fclose(out) }
        do {
            let input = try ByteReader(path: "-")
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: 1 << 20, alignment: 16)
            defer { buffer.deallocate() }
            while true {
                let n = try input.read(into: buffer, count: 1 << 20)
                if n == 0 { break }
                guard fwrite(buffer, 1, n, out) == n else {
                    throw WordshiftError.io(path: "-", message: "cannot spool standard input: \(System.errnoString())")
                }
            }
        } catch {
            TemporaryFiles.remove(path)
            throw error
        }
        TestHooks.pause(.spooled)
        return path
    }
}

extension WordshiftError {
    /// The same error with `old` replaced by `new` wherever it names a file.
    func renamingPath(_ old: String, to new: String) -> WordshiftError {
        func r(_ p: String) -> String { p == old ? new : p }
        switch self {
        case let .io(path, message): return .io(path: r(path), message: message)
        case let .malformedLine(path, line, message): return .malformedLine(path: r(path), line: line, message: message.replacingOccurrences(of: old, with: new))
        case let .malformedBinary(path, offset, message): return .malformedBinary(path: r(path), byteOffset: offset, message: message)
        case let .invalidUTF8(path, line): return .invalidUTF8(path: r(path), line: line)
        case let .emptyInput(path, message): return .emptyInput(path: r(path), message: message)
        case let .dimensionMismatch(path, line, expected, found): return .dimensionMismatch(path: r(path), line: line, expected: expected, found: found)
        default: return self
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
