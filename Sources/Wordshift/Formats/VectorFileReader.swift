/// Entry point for reading vector files of any supported format.
public enum VectorFileReader {
    /// Streams the vectors of `path` into `sink`; returns what the load found.
    public static func read<S: VectorSink>(path: String, options: LoadOptions = LoadOptions(), into sink: inout S) throws -> LoadReport {
        if let limit = options.limit, limit <= 0 { throw WordshiftError.invalidArgument("--limit must be positive") }
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
