/// The vector file formats Wordshift reads and writes.
///
/// - `word2vecText`: header `N D`, then `word v1 … vD` per line (also fastText `.vec`).
/// - `word2vecBinary`: header `N D\n`, then per row `word`, one space, D little-endian float32,
///   and an optional newline (the C tool writes one, gensim none).
/// - `gloveText`: like word2vec text without the header line.
/// - `fastTextBinary`: a fastText `.bin` model (read only; it brings its n-gram table).
public enum VectorFormat: String, CaseIterable, Codable, Sendable {
    case word2vecText = "word2vec-text"
    case word2vecBinary = "word2vec-binary"
    case gloveText = "glove"
    case fastTextVec = "fasttext-vec"
    /// fastText's binary model (read only): words, n-gram buckets and their vectors.
    case fastTextBinary = "fasttext-bin"

    /// Formats whose files are text.
    public var isText: Bool { self != .word2vecBinary && self != .fastTextBinary }
    /// Whether the file starts with an `N D` header line.
    public var hasHeader: Bool { self != .gloveText }

    /// Accepts the canonical names and a few common spellings.
    public init?(name: String) {
        switch name.lowercased() {
        case "word2vec-text", "w2v-text", "word2vec", "text": self = .word2vecText
        case "word2vec-binary", "w2v-binary", "binary", "bin": self = .word2vecBinary
        case "glove", "glove-text": self = .gloveText
        case "fasttext-vec", "fasttext", "vec": self = .fastTextVec
        case "fasttext-bin", "fasttext-binary": self = .fastTextBinary
        default: return nil
        }
    }
}

/// What to do with bytes that are not valid UTF-8 in a word.
public enum UTF8Policy: String, Codable, Sendable {
    /// Fail with the line number.
    case strict
    /// Replace each invalid sequence with U+FFFD and count the lines affected.
    case replace
}

public struct LoadOptions: Sendable {
    /// nil: detect from the content.
    public var format: VectorFormat?
    /// Read at most this many vectors.
    public var limit: Int?
    public var utf8: UTF8Policy
    /// Treat a header whose count disagrees with the content as an error instead of a warning.
    public var strictHeader: Bool
    public var threads: Int

    public init(format: VectorFormat? = nil, limit: Int? = nil, utf8: UTF8Policy = .replace,
                strictHeader: Bool = false, threads: Int = Parallel.defaultThreads) {
        self.format = format
        self.limit = limit
        self.utf8 = utf8
        self.strictHeader = strictHeader
        self.threads = threads
    }
}

/// What a load found besides the vectors.
public struct LoadReport: Codable, Sendable {
    public var path: String
    public var format: VectorFormat
    public var dimension: Int = 0
    public var declaredCount: Int?
    public var rows = 0
    public var duplicates = 0
    public var replacedUTF8Lines = 0
    public var blankLines = 0
    public var warnings: [String] = []

    public init(path: String, format: VectorFormat) {
        self.path = path
        self.format = format
    }

    mutating func finishWarnings() {
        if duplicates > 0 { warnings.append("\(path): \(duplicates) duplicate words; the first occurrence of each was kept") }
        if replacedUTF8Lines > 0 { warnings.append("\(path): invalid UTF-8 replaced by U+FFFD on \(replacedUTF8Lines) lines") }
        if blankLines > 0 { warnings.append("\(path): \(blankLines) blank lines skipped") }
    }
}

/// Receives vectors from a reader in file order, duplicates already removed.
package protocol VectorSink {
    mutating func begin(dimension: Int, expectedCount: Int?) throws
    /// `values` holds `words.count × dimension` floats, row-major. The arrays are handed over
    /// (readers do not reuse them), so a sink may keep them without copying.
    mutating func add(words: [String], values: [Float]) throws
}
