import Foundation
import Testing
@testable import Wordshift

@Suite("Training: GloVe")
struct GloVeTrainingTests {
    @Test func sameSeedOneThreadIsBitIdentical() throws {
        let path = try TrainingFixtures.wikiHead(bytes: 40_000)
        let a = path + ".a.sqlite", b = path + ".b.sqlite", c = path + ".c.sqlite"
        _ = try GloVePipeline.train(corpus: [path], out: a, config: TrainingFixtures.config())
        _ = try GloVePipeline.train(corpus: [path], out: b, config: TrainingFixtures.config())
        var other = TrainingFixtures.config()
        other.seed = 7
        _ = try GloVePipeline.train(corpus: [path], out: c, config: other)
        let va = try TrainingFixtures.vectors(a)
        #expect(va.count > 100)
        #expect(va == (try TrainingFixtures.vectors(b)))
        #expect(va != (try TrainingFixtures.vectors(c)))
    }

    @Test func sameSeedTwoThreadsIsBitIdentical() throws {
        // Within a phase the threads write disjoint rows, so the result does not depend on timing.
        let path = try TrainingFixtures.wikiHead(bytes: 40_000)
        let a = path + ".t2a.sqlite", b = path + ".t2b.sqlite"
        _ = try GloVePipeline.train(corpus: [path], out: a, config: TrainingFixtures.config(threads: 2))
        _ = try GloVePipeline.train(corpus: [path], out: b, config: TrainingFixtures.config(threads: 2))
        let va = try TrainingFixtures.vectors(a)
        #expect(va.count > 100)
        #expect(va == (try TrainingFixtures.vectors(b)))
    }

    @Test func strataPhasesCoverEveryPairOnceWithDisjointRows() {
        var pairs: [TrainingPair] = []
        var rng = SeededRandom(seed: 3)
        for _ in 0..<5000 {
            pairs.append(TrainingPair(word: Int32(rng.next(below: 300)), context: Int32(rng.next(below: 300)), logValue: 0, weight: 1))
        }
        let before = pairs.map { [$0.word, $0.context] }.sorted { $0.lexicographicallyPrecedes($1) }
        let strata = PairStrata(partitioning: &pairs, threads: 2)
        #expect(strata.blocks == 8)
        // Partitioning only reorders.
        #expect(pairs.map { [$0.word, $0.context] }.sorted { $0.lexicographicallyPrecedes($1) } == before)
        var seen = [Int](repeating: 0, count: pairs.count)
        for phase in 0..<strata.blocks {
            let perThread = strata.blocks(phase: phase)
            #expect(perThread.count == 2)
            var words: [Set<Int32>] = [], contexts: [Set<Int32>] = []
            for ranges in perThread {
                var w = Set<Int32>(), c = Set<Int32>()
                for r in ranges { for i in r { seen[i] += 1; w.insert(pairs[i].word); c.insert(pairs[i].context) } }
                words.append(w); contexts.append(c)
            }
            #expect(words[0].isDisjoint(with: words[1]))
            #expect(contexts[0].isDisjoint(with: contexts[1]))
        }
        #expect(seen.allSatisfy { $0 == 1 })
    }

    @Test func costDecreasesAndSummaryIsComplete() throws {
        let path = try TrainingFixtures.wikiHead(bytes: 40_000)
        let s = try GloVePipeline.train(corpus: [path], out: path + ".sqlite", config: TrainingFixtures.config(threads: 2, iterations: 5))
        #expect(s.iterations.count == 5)
        for (x, y) in zip(s.iterations, s.iterations.dropFirst()) { #expect(y.cost < x.cost) }
        #expect(s.iterations.allSatisfy { $0.cost.isFinite })
        #expect(s.pairs > 0 && s.vocabularySize > 100 && s.tokens > 5000)
        let store = try VectorStore(path: path + ".sqlite")
        #expect(store.meta["training.window"] == "5")
        #expect(store.meta["training.dim"] == "12")
        #expect(store.meta["corpus_sha256"]?.count == 64)
        #expect(store.count == s.vocabularySize)
    }

    @Test func resumedRunEqualsUninterruptedRun() throws {
        let path = try TrainingFixtures.wikiHead(bytes: 40_000)
        let dir = TestData.scratchDirectory("wordshift-ckpt")
        var first = TrainingFixtures.config(iterations: 2)
        first.checkpointDirectory = dir
        _ = try GloVePipeline.train(corpus: [path], out: path + ".part.sqlite", config: first)
        var resumed = TrainingFixtures.config(iterations: 4)
        resumed.checkpointDirectory = dir
        resumed.resume = true
        let s = try GloVePipeline.train(corpus: [path], out: path + ".resumed.sqlite", config: resumed)
        #expect(s.resumedFromIteration == 2)
        #expect(s.iterations.map(\.iteration) == [1, 2, 3, 4])
        _ = try GloVePipeline.train(corpus: [path], out: path + ".full.sqlite", config: TrainingFixtures.config(iterations: 4))
        #expect(try TrainingFixtures.vectors(path + ".resumed.sqlite") == (try TrainingFixtures.vectors(path + ".full.sqlite")))

        var changed = resumed
        changed.xMax = 50
        #expect(throws: WordshiftError.self) {
            _ = try GloVePipeline.train(corpus: [path], out: path + ".bad.sqlite", config: changed)
        }
    }

    @Test func referenceFilesTrainTheSameModel() throws {
        let path = try TrainingFixtures.wikiHead(bytes: 40_000)
        let dir = TestData.scratchDirectory("wordshift-interop")
        var config = TrainingFixtures.config()
        config.tokenizer = TokenizerOptions(kind: .whitespace)
        _ = try GloVePipeline.cooccurrences(corpus: [path], vocabulary: nil, out: dir + "/cooccurrence.bin",
                                            vocabularyOut: dir + "/vocab.txt", config: config)
        _ = try GloVePipeline.train(vocabularyFile: dir + "/vocab.txt", cooccurrenceFile: dir + "/cooccurrence.bin",
                                    out: dir + "/files.sqlite", config: config)
        _ = try GloVePipeline.train(corpus: [path], out: dir + "/direct.sqlite", config: config)
        // float64 values in the file become the same float32 log and weight: same model.
        #expect(try TrainingFixtures.vectors(dir + "/files.sqlite") == (try TrainingFixtures.vectors(dir + "/direct.sqlite")))
        let vocab = try VocabularyFile.read(dir + "/vocab.txt")
        let (counted, _) = try GloVePipeline.vocabulary(corpus: [path], config: config)
        #expect(vocab == counted)
        #expect(TrainingFixtures.listing(dir).sorted() == ["cooccurrence.bin", "cooccurrence.bin.json", "direct.sqlite", "files.sqlite", "vocab.txt"])
    }

    @Test func seededRandomIsReproducibleAndUniform() {
        var a = SeededRandom(seed: 1), b = SeededRandom(seed: 1)
        var sum = 0.0
        for _ in 0..<10_000 {
            let x = a.nextUnitFloat()
            #expect(x == b.nextUnitFloat())
            #expect(x >= 0 && x < 1)
            sum += Double(x)
        }
        #expect(abs(sum / 10_000 - 0.5) < 0.02)
        for _ in 0..<1000 { #expect(a.next(below: 7) < 7) }
    }
}
