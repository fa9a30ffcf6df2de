import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The sidecar of a co-occurrence file: `<file>.json` next to a reference-format
/// `cooccurrence.bin` (which has no header of its own). `wordshift train cooccur` and the Spark
/// job write one per shard; `wordshift train glove` reads it to refuse shards counted with
/// another vocabulary or other counting settings, and to tell a truncated shard from a short
/// one. Files without a sidecar (the reference tools' own) are still accepted, with the checks
/// their bytes allow (record alignment, ids within the vocabulary). See docs/formats.md.
public struct CooccurrenceManifest: Codable, Sendable, Equatable {
    /// The value of ``format`` this version writes and reads.
    public static let formatName = "wordshift-cooccurrence/1"

    /// Format and version of the sidecar (``formatName``).
    public var format = CooccurrenceManifest.formatName
    /// 16-byte records in the file.
    public var records: Int
    /// Records ascend by (word1, word2), each pair once.
    public var sorted: Bool
    /// Words in the vocabulary the ids refer to.
    public var vocabularySize: Int
    /// `Vocabulary.fingerprint` of the vocabulary whose line numbers are the ids.
    public var vocabularySHA256: String
    /// Context words counted on each side (or on the left only, when not ``symmetric``).
    public var window: Int
    /// Whether pairs were counted on both sides of the centre word.
    public var symmetric: Bool
    /// Whether a pair at distance d was weighted 1/d (otherwise 1).
    public var distanceWeighting: Bool
    /// The tokenizer that split the corpus (`unicode` or `whitespace`).
    public var tokenizer: String
    /// Whether the tokenizer kept case (no case folding).
    public var keepCase: Bool
    /// What was counted: the corpus checksum (one shard of the corpus, for a shard) and tokens.
    public var corpusSHA256: String?
    /// Tokens counted, when known.
    public var tokens: Int?
    /// Which program wrote the file, e.g. "wordshift train cooccur" or "spark".
    public var producer: String

    enum CodingKeys: String, CodingKey {
        case format, records, sorted, window, symmetric, tokenizer, tokens, producer
        case vocabularySize = "vocabulary_size", vocabularySHA256 = "vocabulary_sha256"
        case distanceWeighting = "distance_weighting", keepCase = "keep_case", corpusSHA256 = "corpus_sha256"
    }

    /// The sidecar for a file of `records` co-occurrence records counted over `vocabulary` with
    /// `options` and `tokenizer`; `corpusSHA256` and `tokens` describe what was counted (nil when
    /// unknown) and `producer` names the program writing it.
    public init(records: Int, sorted: Bool, vocabulary: Vocabulary, options: CooccurrenceOptions, tokenizer: TokenizerOptions,
                corpusSHA256: String?, tokens: Int?, producer: String) {
        self.records = records
        self.sorted = sorted
        vocabularySize = vocabulary.count
        vocabularySHA256 = vocabulary.fingerprint
        window = options.window
        symmetric = options.symmetric
        distanceWeighting = options.distanceWeighting
        self.tokenizer = tokenizer.kind.rawValue
        keepCase = tokenizer.keepCase
        self.corpusSHA256 = corpusSHA256
        self.tokens = tokens
        self.producer = producer
    }

    /// The sidecar's path for a co-occurrence file.
    public static func path(for file: String) -> String { file + ".json" }

    /// The sidecar of `file`, or nil when it has none.
    public static func read(for file: String) throws -> CooccurrenceManifest? {
        let path = CooccurrenceManifest.path(for: file)
        guard System.fileExists(path) else { return nil }
        guard let size = System.fileSize(path), size <= 1 << 20 else {
            throw WordshiftError.io(path: path, message: "not a co-occurrence manifest (larger than 1 MB)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw WordshiftError.io(path: path, message: "cannot read: \(System.errnoString())")
        }
        let m: CooccurrenceManifest
        do {
            m = try JSONDecoder().decode(CooccurrenceManifest.self, from: data)
        } catch {
            throw WordshiftError.io(path: path, message: "not a co-occurrence manifest: \(error)")
        }
        guard m.format == formatName else {
            throw WordshiftError.io(path: path, message: "unknown manifest format \"\(m.format)\" (this version reads \(formatName))")
        }
        guard m.records >= 0, m.vocabularySize >= 0 else {
            throw WordshiftError.io(path: path, message: "negative record or vocabulary count")
        }
        return m
    }

    /// Writes the sidecar of `file` atomically.
    public func write(for file: String) throws {
        let path = CooccurrenceManifest.path(for: file)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(self) + Data("\n".utf8)
        let tmp = System.temporarySibling(of: path)
        TemporaryFiles.register(tmp)
        defer { TemporaryFiles.remove(tmp) }
        guard FileManager.default.createFile(atPath: tmp, contents: data) else {
            throw WordshiftError.io(path: path, message: "cannot write: \(System.errnoString())")
        }
        try System.rename(tmp, to: path)
    }

    /// The counting settings, for comparing shards.
    var countingSettings: String {
        "window \(window), \(symmetric ? "symmetric" : "left context only"), "
            + "\(distanceWeighting ? "1/d weighting" : "no distance weighting"), tokenizer \(tokenizer)\(keepCase ? " (keep case)" : "")"
    }
}

extension Vocabulary {
    /// SHA-256 (hex) of the words in id order, each followed by a newline: equal exactly when
    /// two vocabularies give every word the same id (the counts do not enter).
    public var fingerprint: String {
        let hasher = SHA256Hasher()
        for w in words {
            hasher.update(w)
            hasher.update("\n")
        }
        return hasher.finalize()
    }
}
