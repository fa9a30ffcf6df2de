/// The vector file formats Wordshift reads and writes.
///
/// - `word2vecText`: header `N D`, then `word v1 … vD` per line (also fastText `.vec`).
/// - `word2vecBinary`: header `N D\n`, then per row `word`, one space, D little-endian float32,
///   and an optional newline (the C tool writes one, gensim none).
/// - `gloveText`: like word2vec text without the header line.
/// - `fastTextBinary`: a fastText `.bin` model (read only; it brings its n-gram table).
public enum VectorFormat: String, CaseIterable, Codable, Sendable {
    /// word2vec's text format: an `N D` header line, then `word v1 … vD` per line.
    case word2vecText = "word2vec-text"
    /// word2vec's binary format: an `N D` header line, then per row the word, a space and D little-endian float32 values.
    case word2vecBinary = "word2vec-binary"
    /// GloVe's text output: `word v1 … vD` per line, no header.
    case gloveText = "glove"
    /// fastText's `.vec` text file: word2vec text (an `N D` header, then one word per line).
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

/// How a vector file is read.
public struct LoadOptions: Sendable {
    /// nil: detect from the content.
    public var format: VectorFormat?
    /// Read at most this many vectors.
    public var limit: Int?
    /// What to do with bytes that are not valid UTF-8 in a word (default: replace them and warn).
    public var utf8: UTF8Policy
    /// Treat a header whose count disagrees with the content as an error instead of a warning.
    public var strictHeader: Bool
    /// Threads that parse text lines (default: all cores); binary files are read on one.
    public var threads: Int

    /// Options with every default: detect the format, read every row, replace invalid UTF-8,
    /// warn (not fail) on a header count that disagrees, parse on all cores.
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
    /// The file read, as given.
    public var path: String
    /// The format read (detected or given).
    public var format: VectorFormat
    /// Length of every vector.
    public var dimension: Int = 0
    /// The row count the header declared (nil for a format without a header).
    public var declaredCount: Int?
    /// Rows read and kept (duplicates not counted).
    public var rows = 0
    /// Rows dropped because their word came earlier in the file (the first occurrence is kept).
    public var duplicates = 0
    /// Lines or rows whose word had invalid UTF-8 replaced by U+FFFD.
    public var replacedUTF8Lines = 0
    /// Blank lines skipped (text formats).
    public var blankLines = 0
    /// What a user should know about the file (duplicates, replaced bytes, blank lines, header mismatch), one sentence each.
    public var warnings: [String] = []

    /// An empty report for `path` in `format`, to be filled in by a reader.
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
    /// (readers do not reuse them), so a sink may keep or change them without copying.
    mutating func add(words: [String], values: consuming [Float]) throws
}
