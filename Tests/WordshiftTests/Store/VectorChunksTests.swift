import Foundation
import Testing
@testable import Wordshift

/// Format version 5 keeps the main vectors in chunks of rows (issue 13 §3): both ways of
/// writing them give the same bytes, every row reads back across chunk boundaries, older
/// one-row-per-word stores still read, and damage is an error.
@Suite("Vector chunks (store format 5)")
struct VectorChunksTests {
    static let dimension = 5
    /// 2 full chunks and 3 rows: the last chunk is short.
    static let rows: [[Float]] = (0..<(2 * VectorLayout.defaultRowsPerChunk + 3)).map { i in
        (0..<dimension).map { j in Float(sin(Double(i * 7 + j + 1)) * 3) }
    }

    static func word(_ i: Int) -> String { "w\(i)" }

    /// Writes the rows one by one, as training does.
    static func writeOneByOne(_ path: String) throws {
        let w = try StoreWriter(path: path, dimension: dimension)
        for (i, r) in rows.enumerated() { try r.withUnsafeBufferPointer { try w.add(word: word(i), count: i, vector: $0) } }
        try w.finish()
    }

    /// Writes the rows in batches that start and end inside chunks, as import does.
    static func writeInBatches(_ path: String) throws {
        let w = try StoreWriter(path: path, dimension: dimension)
        var start = 0
        for size in [10, 64, 50, rows.count - 124] {
            var units = Array(rows[start..<(start + size)].joined())
            var norms: [Double] = []
            try units.withUnsafeMutableBufferPointer { u in
                for i in 0..<size {
                    norms.append(try StoreWriter.normalize(UnsafeMutableBufferPointer(rebasing: u[(i * dimension)..<((i + 1) * dimension)]),
                                                           word: word(start + i)))
                }
            }
            try units.withUnsafeBufferPointer { u in
                try norms.withUnsafeBufferPointer { n in try w.add(words: (start..<(start + size)).map(word), units: u, norms: n) }
            }
            start += size
        }
        try w.finish()
    }

    static func chunkBytes(_ path: String) throws -> [[UInt8]] {
        let s = try VectorStore(path: path).database.prepare("SELECT norms, vectors FROM vector_chunks ORDER BY chunk")
        var out: [[UInt8]] = []
        while try s.step() { out.append(Array(s.blob(0)) + Array(s.blob(1))) }
        return out
    }

    static func close(_ a: [Float], _ b: [Float]) -> Bool {
        zip(a, b).allSatisfy { abs($0 - $1) <= 1e-6 * max(1, abs($1)) }
    }

    @Test func everyRowReadsBackAcrossChunkBoundaries() throws {
        let dir = TestData.scratchDirectory("wordshift-chunks")
        let one = dir + "/one.sqlite", batches = dir + "/batches.sqlite"
        try Self.writeOneByOne(one)
        try Self.writeInBatches(batches)
        // Both writers store the same bytes: 3 chunks, the last one of 3 rows.
        let a = try Self.chunkBytes(one), b = try Self.chunkBytes(batches)
        #expect(a.count == 3 && a == b)
        for path in [one, batches] {
            let store = try VectorStore(path: path)
            #expect(store.layout == .chunks(rowsPerChunk: VectorLayout.defaultRowsPerChunk))
            #expect(try store.database.pragmaInt("user_version") == StoreSchema.chunkedVersion)
            for i in [0, 1, 63, 64, 65, 127, 128, Self.rows.count - 1] {
                let v = try #require(try store.vector(for: Self.word(i)))
                #expect(Self.close(v, Self.rows[i]), "row \(i)")
                #expect(try store.lookup(Self.word(i))?.id == i)
            }
            #expect(try store.vector(for: "absent") == nil)
            let index = try store.loadIndex()
            #expect(index.count == Self.rows.count)
            for i in 0..<Self.rows.count {
                let v = (0..<Self.dimension).map { index.units[i * Self.dimension + $0] * index.norms[i] }
                #expect(Self.close(v, Self.rows[i]), "row \(i)")
            }
            // Export reads the chunks in order.
            let exported = dir + "/export.txt"
            try? FileManager.default.removeItem(atPath: exported)
            #expect(try VectorImport.export(store: store, to: exported, format: .word2vecText) == Self.rows.count)
        }
    }

    @Test func damagedChunksAreErrors() throws {
        let dir = TestData.scratchDirectory("wordshift-chunks")
        let damage: [(String, opens: Bool)] = [
            ("DELETE FROM vector_chunks WHERE chunk = 1", true),                               // missing chunk
            ("UPDATE vector_chunks SET norms = substr(norms, 1, 8) WHERE chunk = 0", true),    // too few norms
            ("UPDATE vector_chunks SET vectors = substr(vectors, 1, 20) WHERE chunk = 2", true), // truncated rows
            ("INSERT INTO vector_chunks VALUES (3, zeroblob(8), zeroblob(20))", true),          // more rows than words
            ("UPDATE meta SET value = '0' WHERE key = 'vector_chunk_rows'", false),
            ("UPDATE meta SET value = 'x' WHERE key = 'vector_chunk_rows'", false),
            ("UPDATE meta SET value = '99999999' WHERE key = 'vector_chunk_rows'", false),
        ]
        for (sql, opens) in damage {
            let path = dir + "/d.sqlite"
            try? FileManager.default.removeItem(atPath: path)
            try Self.writeOneByOne(path)
            try SQLiteConnection(path: path, mode: .writer).execute(sql)
            guard opens else {
                #expect(throws: WordshiftError.self, "\(sql)") { try VectorStore(path: path) }
                continue
            }
            let store = try VectorStore(path: path)
            #expect(throws: WordshiftError.self, "\(sql)") { try store.loadIndex() }
        }
        // A word whose chunk is gone is damage, not an absent word.
        let path = dir + "/d.sqlite"
        try? FileManager.default.removeItem(atPath: path)
        try Self.writeOneByOne(path)
        try SQLiteConnection(path: path, mode: .writer).execute("DELETE FROM vector_chunks WHERE chunk = 1")
        #expect(throws: WordshiftError.self) { try VectorStore(path: path).lookup(Self.word(70)) }
        #expect(try VectorStore(path: path).lookup(Self.word(3))?.id == 3)
    }

    /// A store as versions 1–4 wrote it: one `vectors` row per word.
    static func writeRowStore(_ path: String) throws {
        let db = try SQLiteConnection(path: path, readOnly: false)
        try db.execute("""
            PRAGMA application_id=\(StoreSchema.applicationID); PRAGMA user_version=1;
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE words (id INTEGER PRIMARY KEY, word TEXT NOT NULL, count INTEGER);
            CREATE TABLE vectors (id INTEGER PRIMARY KEY, norm REAL NOT NULL, vector BLOB NOT NULL);
            CREATE UNIQUE INDEX words_by_word ON words(word);
            INSERT INTO meta VALUES ('format', 'wordshift-store'), ('format_version', '1'),
                ('dimension', '\(dimension)'), ('count', '\(rows.count)');
            """)
        let w = try db.prepare("INSERT INTO words(id, word, count) VALUES (?, ?, NULL)")
        let v = try db.prepare("INSERT INTO vectors(id, norm, vector) VALUES (?, ?, ?)")
        for (i, r) in rows.enumerated() {
            try w.bind(1, i); try w.bind(2, word(i)); _ = try w.step(); w.reset()
            var unit = r
            let norm = try unit.withUnsafeMutableBufferPointer { try StoreWriter.normalize($0, word: word(i)) }
            try v.bind(1, i); try v.bind(2, norm)
            try unit.withUnsafeBytes { try v.bind(3, copying: $0) }
            _ = try v.step(); v.reset()
        }
    }

    @Test func storesWithOneRowPerWordStillRead() throws {
        let dir = TestData.scratchDirectory("wordshift-chunks")
        let old = dir + "/v1.sqlite"
        try Self.writeRowStore(old)
        let store = try VectorStore(path: old)
        #expect(store.layout == .rows)
        for i in [0, 64, Self.rows.count - 1] {
            #expect(Self.close(try #require(try store.vector(for: Self.word(i))), Self.rows[i]))
        }
        let index = try store.loadIndex()
        #expect(index.count == Self.rows.count)
        let chunked = dir + "/v5.sqlite"
        try Self.writeOneByOne(chunked)
        let fromChunks = try VectorStore(path: chunked).loadIndex()
        #expect(index.fingerprint() == fromChunks.fingerprint(), "the same vectors either way")
        // An index over an old store is tied to its `vectors` table.
        try HNSWStore.save(try HNSWIndex.build(over: index, parameters: HNSWParameters(m: 4, efConstruction: 20), threads: 1), to: old)
        try SQLiteConnection(path: old, mode: .writer).execute("UPDATE vectors SET norm = norm WHERE id = 1")
        #expect(try HNSWStore.info(try VectorStore(path: old))?.stale?.contains("changed") == true)
        // Quantizing an old store writes a chunked one.
        let q = dir + "/q.sqlite"
        _ = try StoreQuantizer.quantize(old, to: .float16, out: q)
        let quantized = try VectorStore(path: q)
        #expect(quantized.layout == .chunks(rowsPerChunk: VectorLayout.defaultRowsPerChunk) && quantized.encoding == .float16)
        #expect(try quantized.database.tableExists("vectors") == false)
        for i in [0, 64, Self.rows.count - 1] {
            let v = try #require(try quantized.vector(for: Self.word(i)))
            #expect(VectorMath.cosine(v, Self.rows[i]) > 0.999)
        }
    }
}
