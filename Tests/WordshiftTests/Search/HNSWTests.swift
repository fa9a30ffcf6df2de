import Foundation
import Testing
@testable import Wordshift

/// The approximate-search index: it finds the true neighbours, one thread builds the same
/// graph every time, it survives the store round trip, and changed or damaged data is refused
/// clearly instead of answering wrongly.
@Suite("HNSW index")
struct HNSWTests {
    /// A store of `n` seeded random words in a fresh directory, and its loaded vectors.
    static func store(_ n: Int = 1500, _ d: Int = 16) throws -> (path: String, vectors: EmbeddingIndex) {
        let dir = TestData.scratchDirectory("wordshift-hnsw")
        let src = try Scratch.file(Scratch.table(n, d, seed: 3), format: .word2vecText, dir: dir)
        _ = try VectorImport.importFile(src, to: dir + "/s.sqlite")
        return (dir + "/s.sqlite", try VectorStore(path: dir + "/s.sqlite").loadIndex())
    }

    static func recall(_ index: HNSWIndex, ef: Int, queries: Int = 200) throws -> Double {
        let rows = IndexCheck.sample(rows: index.count, count: queries, seed: 5)
        return try IndexCheck.run(index, rows: rows, k: 10, efs: [ef]).points[0].recall
    }

    @Test func findsTheTrueNeighboursWithTheExactScores() throws {
        let (_, vectors) = try Self.store()
        let index = try HNSWIndex.build(over: vectors, parameters: HNSWParameters(m: 8, efConstruction: 64), threads: 1)
        #expect(try Self.recall(index, ef: 64) >= 0.95)
        // More effort never finds fewer (here: on the same queries, 200 at ef 8 vs 128).
        #expect(try Self.recall(index, ef: 128) >= Self.recall(index, ef: 8))
        for row in [0, 17, 999] {
            let q = vectors.unitVector(row)
            let approx = index.nearest(to: q, k: 5, ef: 200, excluding: [row])
            let exact = vectors.nearest(to: q, k: 5, excluding: [row])
            #expect(approx == exact, "row \(row): \(approx) vs \(exact)")
            #expect(!approx.map(\.word).contains(vectors.words[row]))
        }
    }

    @Test func oneThreadBuildsTheSameGraphEveryTimeAndTwoBuildAGoodOne() throws {
        let (_, vectors) = try Self.store(800, 12)
        let p = HNSWParameters(m: 6, efConstruction: 40, seed: 9)
        let a = try HNSWIndex.build(over: vectors, parameters: p, threads: 1)
        let b = try HNSWIndex.build(over: vectors, parameters: p, threads: 1)
        #expect(Array(a.graph.links0) == Array(b.graph.links0))
        #expect(Array(a.graph.levels) == Array(b.graph.levels) && a.graph.entryPoint == b.graph.entryPoint)
        let other = try HNSWIndex.build(over: vectors, parameters: HNSWParameters(m: 6, efConstruction: 40, seed: 10), threads: 1)
        #expect(Array(a.graph.levels) != Array(other.graph.levels), "the seed draws the layers")
        let parallel = try HNSWIndex.build(over: vectors, parameters: p, threads: 2)
        #expect(parallel.graph.validate() == nil)
        #expect(try Self.recall(parallel, ef: 64) >= 0.95)
    }

    @Test func theStoreKeepsItAndQueriesUseIt() throws {
        let (path, vectors) = try Self.store()
        let built = try HNSWIndex.build(over: vectors, parameters: HNSWParameters(m: 8, efConstruction: 48), threads: 2)
        try HNSWStore.save(built, to: path, buildSeconds: 1.5, threads: 2)
        let info = try #require(try HNSWStore.info(try VectorStore(path: path)))
        #expect(info.rows == 1500 && info.parameters.m == 8 && info.stale == nil && info.bytes == built.byteCount)
        let words = try WordVectors(path: path)
        let ann = try #require(words.approximateIndex)
        #expect(Array(ann.graph.links0) == Array(built.graph.links0) && words.approximateIndexProblem == nil)
        // A query at tiny effort goes through the graph; exact search stays exact.
        let q = "w42"
        let exact = try words.nearest(to: q, k: 10, options: SearchOptions(exact: true))
        let full = words.index.nearest(to: words.index.unitVector(42), k: 10, excluding: [42])
        #expect(exact == full)
        let viaIndex = try words.nearest(to: q, k: 10, options: SearchOptions(ef: 200))
        #expect(viaIndex == ann.nearest(to: words.index.unitVector(42), k: 10, ef: 200, excluding: [42]))
        #expect(Set(viaIndex.map(\.word)).intersection(exact.map(\.word)).count >= 9)
        // Batched words answer like single ones; k beyond the store returns every other word.
        let batch = try words.nearest(to: ["w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8", "w9"], k: 4, options: SearchOptions(ef: 100))
        #expect(try batch[3] == words.nearest(to: "w4", k: 4, options: SearchOptions(ef: 100)))
        let all = try words.nearest(to: "w7", k: 1_000_000, options: SearchOptions(ef: 50))
        #expect(all.count <= 1499 && Set(all.map(\.word)).count == all.count && !all.map(\.word).contains("w7"))
        #expect(zip(all, all.dropFirst()).allSatisfy { $0.score >= $1.score })
        #expect(throws: WordshiftError.self) { try words.nearest(to: "w1", options: SearchOptions(ef: 0)) }
        // Without the index (dropped), answers are exact again.
        #expect(try HNSWStore.drop(from: path))
        #expect(try WordVectors(path: path).approximateIndex == nil)
        #expect(try !HNSWStore.drop(from: path))
    }

    @Test func changedVectorsMakeItStaleVisibly() throws {
        let (path, vectors) = try Self.store(600, 8)
        try HNSWStore.save(try HNSWIndex.build(over: vectors, parameters: HNSWParameters(m: 6, efConstruction: 30), threads: 1), to: path)
        // Any client changing a vector fires the trigger.
        try Self.sql(path, "UPDATE vector_chunks SET norms = norms WHERE chunk = 0")
        #expect(try HNSWStore.info(try VectorStore(path: path))?.stale?.contains("changed") == true)
        let words = try WordVectors(path: path)
        #expect(words.approximateIndex == nil && words.approximateIndexProblem?.contains("changed") == true)
        // Vectors replaced behind the triggers' back: the fingerprint tells.
        try HNSWStore.save(try HNSWIndex.build(over: vectors, parameters: HNSWParameters(m: 6, efConstruction: 30), threads: 1), to: path)
        try Self.sql(path, """
            DROP TRIGGER ann_stale_on_update;
            UPDATE vector_chunks SET vectors = substr(vectors, 1, 64) || substr(vectors, 33, 32) || substr(vectors, 97) WHERE chunk = 0;
            """)
        guard case let .stale(reason) = try HNSWStore.load(from: try VectorStore(path: path), over: try VectorStore(path: path).loadIndex()) else {
            Issue.record("replaced vectors were not noticed")
            return
        }
        #expect(reason.contains("fingerprint"))
    }

    @Test func damagedIndexTablesAreRefusedClearly() throws {
        let (path, vectors) = try Self.store(500, 8)
        let index = try HNSWIndex.build(over: vectors, parameters: HNSWParameters(m: 6, efConstruction: 30), threads: 1)
        let damage = [
            "UPDATE ann_index_parts SET data = substr(data, 1, 100) WHERE part = 'links0'",   // truncated
            "DELETE FROM ann_index_parts WHERE part = 'levels'",                               // missing
            "UPDATE ann_index_parts SET data = zeroblob(length(data)) WHERE part = 'links0'",  // overwritten, same size
            "UPDATE ann_index SET m = 100000",                                                  // absurd size
            "UPDATE ann_index SET entry_point = -4",
            "UPDATE ann_index SET layout = 99",
        ]
        for sql in damage {
            try HNSWStore.save(index, to: path)
            try Self.sql(path, sql)
            let store = try VectorStore(path: path)
            do {
                _ = try HNSWStore.load(from: store, over: try store.loadIndex())
                Issue.record("\(sql): accepted")
            } catch let WordshiftError.notAStore(_, message) {
                #expect(message.contains("damaged") && message.contains("index build"), "\(sql): \(message)")
            }
            #expect(throws: WordshiftError.self) { try WordVectors(path: path) }
            #expect(try WordVectors.load(store: store, useApproximateIndex: false).approximateIndex == nil)
        }
        // Links pointing outside the graph, with a checksum that matches them, still fail validation.
        try HNSWStore.save(index, to: path)
        index.graph.links0[1] = 1_000_000
        try HNSWStore.save(index, to: path)
        let store = try VectorStore(path: path)
        #expect(throws: WordshiftError.self) { try HNSWStore.load(from: store, over: try store.loadIndex()) }
    }

    @Test func badRequestsFailWithClearErrors() throws {
        // Stores are never empty (the writer refuses), but an index may be.
        let vectors = EmbeddingIndex(words: [], dimension: 4, vectors: [])
        #expect(throws: WordshiftError.invalidArgument("cannot build an index over an empty store (0 rows)")) {
            try HNSWIndex.build(over: vectors)
        }
        let (_, some) = try Self.store(50, 4)
        #expect(throws: WordshiftError.self) { try HNSWIndex.build(over: some, parameters: HNSWParameters(m: 1)) }
        #expect(throws: WordshiftError.self) { try HNSWIndex.build(over: some, parameters: HNSWParameters(efConstruction: 0)) }
        let index = try HNSWIndex.build(over: some, parameters: HNSWParameters(m: 4, efConstruction: 10), threads: 1)
        #expect(throws: WordshiftError.self) { try IndexCheck.run(index, rows: [1, 2], k: 50) }
        #expect(throws: WordshiftError.self) { try IndexCheck.run(index, rows: [50], k: 3) }
        #expect(throws: WordshiftError.self) { try IndexCheck.run(index, rows: [1], k: 3, efs: [0]) }
        // A one-row store has an index with nothing to link.
        let (_, one) = try Self.store(1, 4)
        let single = try HNSWIndex.build(over: one, threads: 2)
        #expect(single.nearest(to: one.unitVector(0), k: 3).map(\.word) == ["w0"])
        #expect(single.nearest(to: one.unitVector(0), k: 3, excluding: [0]).isEmpty)
    }

    static func sql(_ path: String, _ sql: String) throws {
        let db = try SQLiteConnection(path: path, mode: .writer)
        try db.execute(sql)
    }
}
