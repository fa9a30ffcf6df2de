import Dispatch
import Foundation
import Testing
@testable import Wordshift

/// A small store whose geometry is planted: royal/male/female/food/vehicle/animal axes, so the
/// right answers are known (king − man + woman is closest to queen, car does not fit a meal).
enum PlantedVectors {
    static let axes = ["royal", "male", "female", "food", "vehicle", "animal", "person", "time"]
    static let words: [(String, [String: Float])] = [
        ("king", ["royal": 1, "male": 1]), ("queen", ["royal": 1, "female": 1]),
        ("prince", ["royal": 0.8, "male": 1, "person": 0.3]), ("princess", ["royal": 0.8, "female": 1, "person": 0.3]),
        ("man", ["male": 1, "person": 0.6]), ("woman", ["female": 1, "person": 0.6]),
        ("breakfast", ["food": 1, "time": 0.4]), ("lunch", ["food": 1]), ("dinner", ["food": 1, "time": -0.4]),
        ("car", ["vehicle": 1]), ("truck", ["vehicle": 1, "person": 0.2]), ("cat", ["animal": 1, "time": 0.2]),
        ("dog", ["animal": 1, "time": -0.2]), ("kitten", ["animal": 0.9, "person": 0.1]),
    ]

    static func table() -> VectorTable {
        var state: UInt64 = 11
        var values: [Float] = []
        for (_, planted) in words {
            for axis in axes {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let noise = Float(Int64(bitPattern: state >> 11) % 1001) / 20_000  // ±0.05
                values.append((planted[axis] ?? 0) + noise)
            }
        }
        return VectorTable(words: words.map(\.0), dimension: axes.count, values: values)
    }

    /// Writes the store (with a fitted n-gram table) at `path`.
    static func writeStore(at path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        let file = try Scratch.file(table(), format: .word2vecText, name: "planted.vec", dir: dir)
        _ = try VectorImport.importFile(file, to: path)
        var options = NgramFit.Options()
        options.fullWeightCount = 0
        let (ngrams, _) = NgramFit.fit(index: try VectorStore(path: path).loadIndex(), options: options)
        try ngrams.save(toStore: path)
    }
}

@Suite("Word-level queries")
struct WordQueriesTests {
    let vectors: WordVectors

    init() throws {
        let path = TestData.scratchDirectory() + "/planted.sqlite"
        try PlantedVectors.writeStore(at: path)
        vectors = try WordVectors(path: path)
    }

    @Test func answersFollowThePlantedGeometry() throws {
        #expect(vectors.dimension == 8 && vectors.count == PlantedVectors.words.count)
        let near = try vectors.nearest(to: "king", k: 3)
        #expect(near.count == 3 && near[0].word == "prince" && !near.map(\.word).contains("king"), "\(near)")
        #expect(zip(near, near.dropFirst()).allSatisfy { $0.score >= $1.score })
        #expect(try vectors.analogy(a: "man", b: "king", c: "woman", k: 1).map(\.word) == ["queen"])
        #expect(try vectors.analogy(a: "man", b: "king", c: "woman", k: 1, method: .mul).map(\.word) == ["queen"])
        #expect(try vectors.doesntMatch(["breakfast", "lunch", "dinner", "car"]) == "car")
        #expect(abs(try vectors.similarity("cat", "cat") - 1) < 1e-5)
        #expect(try vectors.similarity("cat", "dog") > vectors.similarity("cat", "car"))
        let restricted = try vectors.nearest(to: "king", k: 10, options: SearchOptions(restrict: 4))
        #expect(Set(restricted.map(\.word)) == ["queen", "prince", "princess"])
    }

    @Test func vectorsComeBackAtTheirOriginalLength() throws {
        let table = PlantedVectors.table()
        let stored = try vectors.vector(for: "truck")
        for (a, b) in zip(stored, table.vector(10)) { #expect(abs(a - b) < 1e-5) }
        let byVector = try vectors.nearest(to: stored, k: 2, excluding: ["truck"])
        #expect(byVector.first?.word == "car")
        #expect(vectors.contains("truck") && !vectors.contains("trucks"))
    }

    @Test func unseenWordsGetVectorsFromTheirNgrams() throws {
        #expect(vectors.source(of: "kitten") == .vocabulary)
        #expect(vectors.source(of: "kittens") == .subwords)
        #expect(try vectors.vector(for: "kittens").count == 8)
        // The query word is not in the vocabulary, so nothing is excluded and its n-grams lead home.
        #expect(try vectors.nearest(to: "kittens", k: 1).first?.word == "kitten")
        #expect(vectors.source(of: "ÿÿÿÿ") == nil)
        #expect(throws: WordshiftError.unknownWord("ÿÿÿÿ")) { try vectors.nearest(to: "ÿÿÿÿ") }
        let withoutSubwords = WordVectors(index: vectors.index, subwords: nil)
        #expect(throws: WordshiftError.unknownWord("kittens")) { try withoutSubwords.similarity("kittens", "cat") }
    }

    @Test func badArgumentsAreErrorsNotCrashes() {
        func invalid(_ body: () throws -> Void) {
            #expect { try body() } throws: { error in
                if case WordshiftError.invalidArgument = error { return true }
                return false
            }
        }
        invalid { _ = try vectors.nearest(to: "king", k: 0) }
        invalid { _ = try vectors.nearest(to: "king", options: SearchOptions(restrict: 0)) }
        invalid { _ = try vectors.nearest(to: "king", options: SearchOptions(threads: 0)) }
        invalid { _ = try vectors.nearest(to: [Float](repeating: 1, count: 3)) }
        invalid { _ = try vectors.nearest(to: [Float](repeating: 0, count: 8)) }
        invalid { _ = try vectors.nearest(to: [Float](repeating: .nan, count: 8)) }
        invalid { _ = try vectors.doesntMatch(["king"]) }
        #expect(throws: WordshiftError.unknownWord("ÿÿÿÿ")) { try vectors.analogy(a: "man", b: "ÿÿÿÿ", c: "woman") }
    }

    @Test func manyConcurrentReadersGetTheSerialAnswers() async throws {
        // Large enough for the int8 first pass of single queries (its copy is built by an index's
        // second search, here by racing readers).
        let n = EmbeddingIndex.quantizedThreshold + 2_000, d = 16
        let table = Scratch.table(n, d, seed: 3)
        let big = WordVectors(index: EmbeddingIndex(words: table.words, dimension: d, vectors: table.values), subwords: nil)
        let queries = (0..<12).map { "w\($0 * 997)" }
        let racing = try await withThrowingTaskGroup(of: [[Neighbor]].self) { group in
            for t in 0..<6 {
                group.addTask {
                    try queries.map { try big.nearest(to: $0, k: 5, options: SearchOptions(threads: t % 2 == 0 ? 1 : nil)) }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let serial = try queries.map { try big.nearest(to: $0, k: 5, options: SearchOptions(threads: 1)) }
        #expect(racing.count == 6 && racing.allSatisfy { $0 == serial })
        // Batched answers are the single-query answers (scores up to the products' rounding).
        let batched = try big.nearest(to: queries, k: 5)
        #expect(batched.map { $0.map(\.word) } == serial.map { $0.map(\.word) })
        #expect(zip(batched.joined(), serial.joined()).allSatisfy { abs($0.score - $1.score) < 1e-5 })
    }
}
