import Foundation
import Testing
@testable import Wordshift

@Suite struct CharNgramTests {
    @Test func fastTextNgramsOfWhere() {
        let g = CharNgrams(minN: 3, maxN: 3)
        #expect(g.ngrams(of: "where") == ["<wh", "whe", "her", "ere", "re>"])
        let all = CharNgrams(minN: 3, maxN: 6).ngrams(of: "cat")
        #expect(all == ["<ca", "<cat", "<cat>", "cat", "cat>", "at>"])
    }

    @Test func ngramsCountCodePointsNotBytes() {
        let g = CharNgrams(minN: 3, maxN: 3)
        #expect(g.ngrams(of: "кот") == ["<ко", "кот", "от>"])
    }

    @Test func fnvMatchesFastTextIncludingSignExtension() {
        // FNV-1a reference values: "" → 2166136261, "a" → 0xE40C292C.
        #expect(CharNgrams.fnv1a([UInt8]()) == 2_166_136_261)
        #expect(CharNgrams.fnv1a(Array("a".utf8)) == 0xE40C_292C)
        // A byte ≥ 0x80 is sign-extended before the xor, as fastText's int8_t hashing does.
        let unsigned: UInt32 = (2_166_136_261 ^ 0xD0) &* 16_777_619
        #expect(CharNgrams.fnv1a([0xD0]) != unsigned)
        let signExtended: UInt32 = (2_166_136_261 ^ 0xFFFF_FFD0) &* 16_777_619
        #expect(CharNgrams.fnv1a([0xD0]) == signExtended)
    }

    @Test func veryLongAndEmptyWordsAreBounded() {
        let g = CharNgrams()
        #expect(g.buckets(of: "").isEmpty)  // "<>" has no 3-grams
        let long = String(repeating: "x", count: 1_000_000)
        #expect(g.buckets(of: long).count <= 4 * 258)
    }
}

@Suite struct BPETests {
    let counts = ["low": 5, "lower": 2, "newest": 6, "widest": 3, "new": 2]

    @Test func learnsTheClassicMerges() throws {
        var o = BPETrainer.Options()
        o.vocabularySize = 30
        o.minFrequency = 2
        let (model, summary) = try BPETrainer.train(wordCounts: counts, options: o)
        #expect(summary.merges > 0)
        // "es" (9 = 6 newest + 3 widest) and then "est</w>" are the most frequent pairs.
        // (e, s) and (s, t</w>) both occur 9 times; the tie goes to the smaller unit ids: e < s.
        let first = try #require(model.merges.first)
        #expect(first == ("e", "s"))
        #expect(model.encode("newest").joined() == "newest</w>")
        let again = try BPETrainer.train(wordCounts: counts, options: o).0
        #expect(again.merges.map { $0.0 + " " + $0.1 } == model.merges.map { $0.0 + " " + $0.1 })
    }

    @Test func unseenCharactersBecomeUnknown() throws {
        let model = try BPEModel(units: ["a", "b", "a</w>", "b</w>"], merges: [("a", "b</w>")])
        #expect(model.encode("ab") == ["ab</w>"])
        #expect(model.encode("aé") == ["a", "<unk>"])
        #expect(model.encode("ab, ba") == ["ab</w>", "<unk>", "b", "a</w>"])
    }

    @Test func lowestRankMergesFirstLeftmostOnTies() throws {
        let model = try BPEModel(units: ["a", "a</w>"], merges: [("a", "a"), ("aa", "a</w>")])
        // a a a</w> → (a a) a</w> → aa a</w> → aaa</w>
        #expect(model.encode("aaa") == ["aaa</w>"])
        // a a a a</w> → aa a a</w>; the next (a, a) overlapped the merged one, and (a, a</w>) is no merge.
        #expect(model.encode("aaaa") == ["aa", "a", "a</w>"])
    }

    @Test func tokenizerJSONRoundTrip() throws {
        var o = BPETrainer.Options()
        o.vocabularySize = 40
        let (model, _) = try BPETrainer.train(wordCounts: counts, options: o)
        let dir = TestData.scratchDirectory()
        try BPEFiles.writeTokenizerJSON(model, to: dir + "/t.json")
        let back = try BPEFiles.readTokenizerJSON(dir + "/t.json")
        #expect(back.merges.map { $0.0 + $0.1 } == model.merges.map { $0.0 + $0.1 })
        for w in ["lowest", "newer", "wide", "zzz"] { #expect(back.encode(w) == model.encode(w)) }
        let root = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/t.json"))) as? [String: Any]
        #expect((root?["model"] as? [String: Any])?["end_of_word_suffix"] as? String == "</w>")
    }

    @Test func oldStyleMergeStringsAreRead() throws {
        let path = Scratch.write("""
            {"model": {"type": "BPE", "end_of_word_suffix": "</w>", "unk_token": "<unk>",
             "vocab": {"<unk>": 0, "h": 1, "i</w>": 2, "hi</w>": 3}, "merges": ["h i</w>"]}}
            """, name: "old.json")
        #expect(try BPEFiles.readTokenizerJSON(path).encode("hi") == ["hi</w>"])
        let bad = Scratch.write("{\"model\": {\"type\": \"WordPiece\"}}", name: "wp.json")
        #expect(throws: WordshiftError.self) { _ = try BPEFiles.readTokenizerJSON(bad) }
    }

    @Test func storeRoundTrip() throws {
        let dir = TestData.scratchDirectory()
        let src = try Scratch.file(Scratch.table(5, 3), format: .word2vecText, dir: dir)
        _ = try VectorImport.importFile(src, to: dir + "/s.sqlite")
        var o = BPETrainer.Options()
        o.vocabularySize = 40
        let (model, _) = try BPETrainer.train(wordCounts: counts, options: o)
        try StoreUpdate.run(dir + "/s.sqlite") { try BPEFiles.write(model, to: $0) }
        let back = try #require(try BPEFiles.load(from: VectorStore(path: dir + "/s.sqlite")))
        #expect(back.units == model.units)
        #expect(back.encode("lowest newer") == model.encode("lowest newer"))
    }

    @Test func preTokenizerSplitsLikeHuggingFaceWhitespace() {
        #expect(PreTokenizer.words("Hello, world!! x²½ café_1").map(String.init) == ["Hello", ",", "world", "!!", "x", "²½", "café_1"])
    }
}

@Suite struct NgramFitTests {
    /// Words sharing stems get related vectors; the fit must carry that to unseen forms.
    func stemIndex() -> EmbeddingIndex {
        let stems: [(String, [Float])] = [("walk", [1, 0, 0, 0]), ("talk", [0, 1, 0, 0]), ("jump", [0, 0, 1, 0]), ("swim", [0, 0, 0, 1])]
        var words: [String] = [], vectors: [Float] = []
        for (stem, v) in stems {
            for suffix in ["", "s", "ed", "ing", "er", "ers"] { words.append(stem + suffix); vectors += v }
        }
        return EmbeddingIndex(words: words, dimension: 4, vectors: vectors)
    }

    @Test func unseenInflectionLandsNearItsStem() throws {
        let index = stemIndex()
        var o = NgramFit.Options()
        o.ngrams = CharNgrams(minN: 3, maxN: 5, buckets: 100_000)
        o.epochs = 40
        let (table, summary) = NgramFit.fit(index: index, options: o)
        #expect(summary.meanCosine > 0.9)
        let vectors = WordVectors(index: index, subwords: table)
        for (unseen, stem) in [("walkings", "walk"), ("jumpings", "jump"), ("talky", "talk")] {
            let q = try vectors.lookup(unseen)
            #expect(q.source == .subwords && q.row == nil)
            let top = index.nearest(to: q.unit, k: 1)
            #expect(top.first.map { $0.word.hasPrefix(stem) } == true, "\(unseen) → \(top)")
        }
        #expect(throws: WordshiftError.unknownWord("qq")) { _ = try vectors.lookup("qq") }
    }

    @Test func fitIsDeterministicAndSavedAtomically() throws {
        let index = stemIndex()
        var o = NgramFit.Options()
        o.ngrams = CharNgrams(minN: 3, maxN: 4, buckets: 5_000)
        let a = NgramFit.fit(index: index, options: o).0, b = NgramFit.fit(index: index, options: o).0
        #expect(a.vector(for: "walkers") == b.vector(for: "walkers"))
        let dir = TestData.scratchDirectory()
        let src = try Scratch.file(VectorTable(words: index.words, dimension: 4, values: index.words.indices.flatMap { index.vector($0) }),
                                   format: .word2vecBinary, dir: dir)
        _ = try VectorImport.importFile(src, to: dir + "/s.sqlite")
        // A failing update leaves the store without subwords.
        #expect(throws: WordshiftError.self) {
            try StoreUpdate.run(dir + "/s.sqlite") { db in
                try a.write(to: db)
                throw WordshiftError.invalidArgument("simulated failure")
            }
        }
        #expect(try NgramTable.load(from: VectorStore(path: dir + "/s.sqlite")) == nil)
        try StoreUpdate.run(dir + "/s.sqlite") { try a.write(to: $0) }
        let loaded = try #require(try NgramTable.load(from: VectorStore(path: dir + "/s.sqlite")))
        #expect(loaded.vector(for: "walkers") == a.vector(for: "walkers"))
        #expect(loaded.storedBuckets == a.storedBuckets)
    }

    @Test func similarityWithSubwordsScoresEveryPair() throws {
        let index = stemIndex()
        var o = NgramFit.Options()
        o.ngrams = CharNgrams(minN: 3, maxN: 5, buckets: 100_000)
        o.epochs = 40
        let table = NgramFit.fit(index: index, options: o).0
        let file = Scratch.write("walk\twalks\t10\nwalk\ttalk\t1\nwalking\twalkinger\t9\njump\tjumpier\t8\nswim\ttalkative\t2\n")
        let without = try SimilarityEvaluation.run(index: index, file: file)
        let with = try SimilarityEvaluation.run(index: index, file: file, subwords: table)
        #expect(without.used == 2 && without.coverageWithSubwords == 0.4)
        #expect(with.used == 2 && with.subwordPairs == 3 && with.coverageWithSubwords == 1)
        #expect(with.spearman == without.spearman)  // the gensim-equal figure ignores subwords
        #expect(with.spearmanAllPairs > without.spearmanAllPairs)
    }
}

@Suite struct FastTextBinaryBadInputTests {
    func modelBytes() throws -> [UInt8] {
        try #require(TestData.exists("vectors/fasttext-binary/crime-and-punishment.bin"))
        return Array(try Data(contentsOf: URL(fileURLWithPath: TestData.path("vectors/fasttext-binary/crime-and-punishment.bin"))))
    }

    @Test func truncatedModelNamesTheOffset() throws {
        let bytes = try modelBytes()
        for cut in [10, 100, 3_000, bytes.count - 10_000] {
            let path = Scratch.write(bytes: Array(bytes.prefix(cut)), name: "cut.bin")
            do {
                _ = try FastTextBinaryReader.read(path: path)
                Issue.record("a model cut at \(cut) bytes was accepted")
            } catch let WordshiftError.malformedBinary(p, offset, message) {
                #expect(p == path && offset <= cut && message.contains("truncated"), "\(cut): \(offset) \(message)")
            }
        }
    }

    @Test func unknownVersionIsRefused() throws {
        var bytes = try modelBytes()
        bytes[4] = 99
        let path = Scratch.write(bytes: bytes, name: "v99.bin")
        #expect(throws: WordshiftError.malformedBinary(path: path, byteOffset: 4,
                                                       message: "unsupported fastText model version 99 (11 and 12 are supported)")) {
            _ = try FastTextBinaryReader.read(path: path)
        }
        // The import leaves nothing behind.
        let dir = TestData.scratchDirectory()
        #expect(throws: WordshiftError.self) { _ = try VectorImport.importFile(path, to: dir + "/s.sqlite") }
        #expect(Scratch.contents(dir).isEmpty)
    }

    @Test func wordsAndVectorsOfTheModel() throws {
        let model = try FastTextBinaryReader.read(path: TestData.path("vectors/fasttext-binary/crime-and-punishment.bin"))
        #expect(model.words.count == 291 && model.dimension == 5 && model.bucketCount == 100)
        #expect(model.words.prefix(3) == ["и", "в", "на"])
        #expect(model.ngrams == CharNgrams(minN: 3, maxN: 6, buckets: 100))
    }
}
