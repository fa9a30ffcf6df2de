import Foundation
import Testing
@testable import Wordshift

/// Every vector file in shared/data/vectors loads with the same words and values as gensim
/// 4.4 gives (fixtures written by tools/gensim_fixtures.py and tools/gensim_fasttext_fixture.py).
@Suite struct GensimGoldenTests {
    static let fixtureDir = TestData.repoRoot + "/Tests/WordshiftTests/Fixtures/gensim"

    struct Fixture: Decodable {
        struct Sample: Decodable { var index: Int; var word: String; var vector: [Double] }
        var file: String
        var count: Int
        var dim: Int
        var words_sha256: String
        var first_words: [String]
        var samples: [Sample]
        var weighted_sum: Double
    }

    static let vectorFixtures: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: fixtureDir)) ?? [])
        .filter { $0.hasSuffix(".json") && !$0.hasPrefix("fasttext-binary") }.sorted()

    @Test func everyVectorFileHasAFixture() {
        #expect(Self.vectorFixtures.count == 12, "fixtures: \(Self.vectorFixtures)")
    }

    @Test(arguments: vectorFixtures)
    func loadsLikeGensim(fixtureName: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.fixtureDir + "/" + fixtureName))
        let fixture = try JSONDecoder().decode(Fixture.self, from: data)
        let path = TestData.path("vectors/" + fixture.file)
        try #require(FileManager.default.fileExists(atPath: path), "data file missing: \(path)")
        let (table, _) = try VectorFileReader.load(path: path)
        #expect(table.count == fixture.count)
        #expect(table.dimension == fixture.dim)
        #expect(Array(table.words.prefix(20)) == fixture.first_words)
        let hasher = SHA256Hasher()
        hasher.update(table.words.joined(separator: "\n"))
        #expect(hasher.finalize() == fixture.words_sha256)
        for s in fixture.samples {
            #expect(table.words[s.index] == s.word)
            #expect(Array(table.vector(s.index)) == s.vector.map { Float($0) }, "row \(s.index) of \(fixture.file)")
        }
        var sum = 0.0
        for i in 0..<table.count { for v in table.vector(i) { sum += Double(v) * Double(i % 7 + 1) } }
        #expect(abs(sum - fixture.weighted_sum) <= 1e-9 * max(1, abs(fixture.weighted_sum)), "\(sum) vs \(fixture.weighted_sum)")
    }

    struct FastTextFixture: Decodable {
        struct Entry: Decodable { var word: String; var vector: [Double]? }
        var dim: Int
        var min_n: Int
        var max_n: Int
        var bucket: Int
        var words: [Entry]
        var unseen: [Entry]
    }

    @Test func fastTextModelMatchesGensim() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.fixtureDir + "/fasttext-binary__crime-and-punishment.bin.json"))
        let fixture = try JSONDecoder().decode(FastTextFixture.self, from: data)
        let path = TestData.path("vectors/fasttext-binary/crime-and-punishment.bin")
        let dir = TestData.scratchDirectory()
        let summary = try VectorImport.importFile(path, to: dir + "/ft.sqlite")
        let store = try VectorStore(path: dir + "/ft.sqlite")
        // The source hash (computed while the model is read) is the file's SHA-256.
        #expect(summary.sourceSHA256 == (try SHA256Hasher.hashFile(path)))
        #expect(store.meta[MetaKey.sourceSHA256] == summary.sourceSHA256)
        let table = try #require(try NgramTable.load(from: store))
        #expect(table.ngrams == CharNgrams(minN: fixture.min_n, maxN: fixture.max_n, buckets: fixture.bucket))
        #expect(store.count == fixture.words.count)
        for e in fixture.words {
            let v = try #require(try store.vector(for: e.word))
            for (a, b) in zip(v, e.vector ?? []) { #expect(abs(Double(a) - b) < 1e-5, "\(e.word)") }
        }
        #expect(fixture.unseen.count >= 10)
        for e in fixture.unseen {
            let v = table.vector(for: e.word)
            if let expected = e.vector {
                let got = try #require(v, "no vector for \(e.word)")
                for (a, b) in zip(got, expected) { #expect(abs(Double(a) - b) < 1e-5, "\(e.word)") }
            } else {
                #expect(v == nil)
            }
        }
    }
}
