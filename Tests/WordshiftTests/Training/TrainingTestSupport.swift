import Foundation
@testable import Wordshift

/// Helpers shared by the training tests.
enum TrainingFixtures {
    /// Writes `text` to a new file in a fresh scratch directory and returns its path.
    static func file(_ text: String, name: String = "corpus.txt") -> String {
        let dir = TestData.scratchDirectory("wordshift-train")
        let path = dir + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    static func file(bytes: [UInt8]) -> String {
        let dir = TestData.scratchDirectory("wordshift-train")
        let path = dir + "/corpus.bin"
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    /// The first `bytes` bytes of the shared Wikipedia head, cut at a newline, in a scratch file.
    static func wikiHead(bytes: Int) throws -> String {
        let source = TestData.path("corpus/enwiki-2015-head.txt")
        guard let handle = FileHandle(forReadingAtPath: source) else {
            throw WordshiftError.io(path: source, message: "test corpus missing")
        }
        defer { try? handle.close() }
        var data = handle.readData(ofLength: bytes)
        if let nl = data.lastIndex(of: 0x0A) { data = data.prefix(through: nl) }
        let dir = TestData.scratchDirectory("wordshift-train")
        let path = dir + "/head.txt"
        _ = FileManager.default.createFile(atPath: path, contents: data)
        return path
    }

    /// Tokens and document ends of a corpus, as strings ("¶" marks a document end).
    static func tokens(_ path: String, _ options: TokenizerOptions, chunkSize: Int = 1 << 20) throws -> (tokens: [String], invalid: Int) {
        struct Collect: TokenSink {
            var out: [String] = []
            mutating func token(_ bytes: UnsafeRawBufferPointer) { out.append(String(decoding: bytes, as: UTF8.self)) }
            mutating func endOfDocument() { if out.last != "¶" && !out.isEmpty { out.append("¶") } }
        }
        let source = try CorpusSource(inputs: [path], chunkSize: chunkSize)
        var stream = TokenStream(options: options)
        var sink = Collect()
        try source.stream(chunk: { stream.feed($0, into: &sink) }, endOfFile: { stream.finishFile(into: &sink) })
        return (sink.out, stream.invalidUTF8)
    }

    /// Small, fast settings for training tests.
    static func config(threads: Int = 1, iterations: Int = 3) -> GloVeConfig {
        var c = GloVeConfig()
        c.dimension = 12
        c.iterations = iterations
        c.minCount = 3
        c.threads = threads
        c.seed = 42
        c.cooccurrence.window = 5
        c.cooccurrence.memoryBytes = 64 << 20
        return c
    }

    /// All vectors of a store, in id order.
    static func vectors(_ store: String) throws -> [[Float]] {
        let s = try VectorStore(path: store)
        let words = try s.loadWords().words
        return try words.map { try s.vector(for: $0) ?? [] }
    }

    /// Files in a directory.
    static func listing(_ dir: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
    }
}
