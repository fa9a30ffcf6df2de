import Testing
@testable import Wordshift

@Suite struct EvaluateTests {
    @Test func spearmanWithTiesMatchesScipy() {
        // scipy.stats.spearmanr([1,2,2,3,4],[10,20,30,30,50]).correlation == 0.9210526315789472
        #expect(abs(Correlation.spearman([1, 2, 2, 3, 4], [10, 20, 30, 30, 50]) - 0.9210526315789472) < 1e-12)
        #expect(Correlation.ranks([3, 1, 3, 2]) == [3.5, 1, 3.5, 2])
        // scipy.stats.pearsonr([1,2,3,4],[2,4,5,9])[0] == 0.9647638212377322
        #expect(abs(Correlation.pearson([1, 2, 3, 4], [2, 4, 5, 9]) - 0.9647638212377322) < 1e-12)
    }

    @Test func similarityFileVariants() throws {
        let dir = TestData.scratchDirectory()
        let tsv = Scratch.write("# comment\nA\tb\t1.5\r\nc\td\t2\r\nbad line\n", name: "a.txt", in: dir)
        let (p1, invalid) = try SimilarityEvaluation.readPairs(tsv)
        #expect(p1.map(\.score) == [1.5, 2] && p1[0].first == "A" && p1[1].second == "d" && invalid == 1)
        let men = Scratch.write("sun sunlight 50.000000\nautomobile car 50.000000\n", name: "men", in: dir)
        #expect(try SimilarityEvaluation.readPairs(men).pairs.map(\.second) == ["sunlight", "car"])
        let simverb = Scratch.write("take\tremove\tV\t6.81\tHYPER/HYPONYMS\n", name: "sv.txt", in: dir)
        #expect(try SimilarityEvaluation.readPairs(simverb).pairs.first?.score == 6.81)
    }

    @Test func similarityEvaluationSkipsUnknownPairs() throws {
        let idx = EmbeddingIndex(words: ["a", "b", "c"], dimension: 2, vectors: [1, 0, 1, 0.1, 0, 1])
        let file = Scratch.write("a\tb\t9\na\tc\t1\nb\tc\t2\na\tzzz\t5\n")
        let r = try SimilarityEvaluation.run(index: idx, file: file)
        #expect(r.pairs == 4 && r.used == 3 && r.skipped == 1)
        #expect(abs(r.spearman - 1) < 1e-12)
        #expect(abs(r.coverage - 0.75) < 1e-12)
    }

    @Test func analogyEvaluationCountsSectionsAndCoverage() throws {
        let words = ["man", "woman", "king", "queen", "boy", "girl", "big", "bigger", "small", "smaller"]
        let v: [[Float]] = [[1, 0, 0, 0, 0], [1, 1, 0, 0, 0], [1, 0, 1, 0, 0], [1, 1, 1, 0, 0], [1, 0, 0, 1, 0],
                            [1, 1, 0, 1, 0], [0, 0, 0, 0, 1], [0, 0.3, 0.3, 0.3, 1], [0.2, 0, 0, 0, 1], [0.2, 0.3, 0.3, 0.3, 1]]
        let idx = EmbeddingIndex(words: words, dimension: 5, vectors: v.flatMap { $0 })
        let file = Scratch.write("""
            : family
            man woman king queen
            MAN WOMAN BOY GIRL
            man woman unicorn x
            : gram2-comparative
            big bigger small smaller
            """)
        let r = try AnalogyEvaluation.run(index: idx, file: file)
        #expect(r.sections.map(\.name) == ["family", "gram2-comparative"])
        #expect(r.sections[0].total == 3 && r.sections[0].attempted == 2 && r.sections[0].correct == 2)
        #expect(r.syntactic.attempted == 1 && r.syntactic.correct == 1)
        #expect(r.total.total == 4 && r.total.attempted == 3)
        #expect(abs(r.total.coverage - 0.75) < 1e-12)
        #expect(r.total.accuracy == 1)
    }

    @Test func questionsBeforeASectionAreAnError() {
        let idx = EmbeddingIndex(words: ["a"], dimension: 1, vectors: [1])
        let file = Scratch.write("a b c d\n")
        #expect(throws: WordshiftError.self) { _ = try AnalogyEvaluation.run(index: idx, file: file) }
    }
}
