#if canImport(Glibc)
import Glibc
#endif
import Wordshift

/// One reader under fuzzing: the bytes of an input are written to a file with the name the
/// reader expects, and the reader is run over it. A thrown error is a correct answer to bad
/// input; a trap, a memory error, a hang or a huge allocation is a finding.
///
/// The same entry serves libFuzzer (`tools/fuzz.sh`), the replay command
/// (`wordshift-fuzz replay TARGET FILE…`) and the regression test that replays every input that
/// once failed (Tests/WordshiftTests/Fixtures/fuzz).
package enum FuzzTarget: String, CaseIterable, Sendable {
    case word2vecText = "word2vec-text"
    case word2vecBinary = "word2vec-binary"
    case gloveText = "glove-text"
    case fastTextBinary = "fasttext-bin"
    case gzip = "gzip"
    case vocabulary = "vocab"
    case cooccurrence = "cooccurrence"
    case tokenizerJSON = "tokenizer-json"
    case labeledTSV = "labeled-tsv"
    case store = "store"

    /// The name the input is written under (some readers look at it; none trusts it).
    package var fileName: String {
        switch self {
        case .word2vecText: return "input.vec"
        case .word2vecBinary: return "input.bin"
        case .gloveText: return "input.txt"
        case .fastTextBinary: return "input.bin"
        case .gzip: return "input.txt.gz"
        case .vocabulary: return "vocab.txt"
        case .cooccurrence: return "cooccurrence.bin"
        case .tokenizerJSON: return "tokenizer.json"
        case .labeledTSV: return "labeled.tsv"
        case .store: return "input.sqlite"
        }
    }

    /// Runs the reader on `path` (a file holding one input). Returns what it read, or throws
    /// the reader's error.
    package func read(path: String) throws -> Int {
        switch self {
        case .word2vecText: return try Self.vectors(path, .word2vecText)
        case .word2vecBinary: return try Self.vectors(path, .word2vecBinary)
        case .gloveText: return try Self.vectors(path, .gloveText)
        case .fastTextBinary:
            let model = try FastTextBinaryReader.read(path: path)
            var n = model.words.count
            if let first = model.words.first, let v = model.ngramVector(first) { n += v.count }
            return n
        case .gzip:
            // The raw stream, line by line, then the vector reader with format detection.
            let lines = try LineReader(path: path)
            var n = 0
            while try lines.nextLine({ $0.count }) != nil { n += 1 }
            return n + (try Self.vectors(path, nil))
        case .vocabulary: return try VocabularyFile.read(path).count
        case .cooccurrence:
            var n = 0
            try CooccurrenceFile.read(path, vocabularySize: 1_000) { _, _, _ in n += 1 }
            return n
        case .tokenizerJSON:
            let model = try BPEFiles.readTokenizerJSON(path)
            return model.encode("unbelievable alright").count
        case .labeledTSV:
            let data = try LabeledDataReader.read(path)
            let texts = try LabeledDataReader.readText(path)
            return data.count + texts.count
        case .store: return try Self.store(path)
        }
    }

    private static func vectors(_ path: String, _ format: VectorFormat?) throws -> Int {
        let (table, report) = try VectorFileReader.load(path: path, options: LoadOptions(format: format, threads: 1))
        return table.count + report.rows
    }

    /// Opens a store and everything a command would load from it: its vectors in any encoding
    /// (float32, float16, int8), its approximate-search index with one query through it, the
    /// n-gram table, the BPE model, up to 4 heads (with their vector sets), one vector.
    private static func store(_ path: String) throws -> Int {
        let store = try VectorStore(path: path)
        var n = store.count
        if let info = try HNSWStore.info(store) { n += info.rows }
        let words = try WordVectors.load(store: store)
        let index = words.index
        n += index.count
        // The query `nearest` runs: through the index when there is one that matches.
        if let first = index.words.first { n += try words.nearest(to: first, k: 3).count }
        if let table = words.subwords { n += table.dimension }
        if let bpe = try BPEFiles.load(from: store) { n += bpe.encode("unbelievable alright").count }
        for head in try HeadStore.list(store).prefix(4) {
            n += try HeadStore.load(name: head.name, version: head.version, store: store, index: index).labels.count
        }
        if let first = try store.word(at: 0) { n += try store.vector(for: first)?.count ?? 0 }
        return n
    }
}
