import Foundation
import Testing
@testable import Wordshift

@Suite("Training: vocabulary")
struct TrainingVocabularyTests {
    private func config(minCount: Int, maxVocab: Int? = nil) -> GloVeConfig {
        var c = GloVeConfig()
        c.tokenizer = TokenizerOptions(kind: .whitespace)
        c.minCount = minCount
        c.maxVocab = maxVocab
        return c
    }

    @Test func countsRanksAndBreaksTiesByBytes() throws {
        let path = TrainingFixtures.file("b a c a\nb a d\ne c b\n")
        let (vocab, summary) = try GloVePipeline.vocabulary(corpus: [path], config: config(minCount: 1))
        #expect(vocab.words == ["a", "b", "c", "d", "e"])
        #expect(vocab.counts == [3, 3, 2, 1, 1])
        #expect(summary.tokens == 10)
    }

    @Test func minCountAndMaxVocab() throws {
        let path = TrainingFixtures.file("b a c a\nb a d\ne c b\n")
        let (v2, _) = try GloVePipeline.vocabulary(corpus: [path], config: config(minCount: 2))
        #expect(v2.words == ["a", "b", "c"])
        let (v1, _) = try GloVePipeline.vocabulary(corpus: [path], config: config(minCount: 1, maxVocab: 2))
        #expect(v1.words == ["a", "b"])
    }

    @Test func directoriesAndGzipAreRead() throws {
        let dir = TestData.scratchDirectory("wordshift-train")
        _ = FileManager.default.createFile(atPath: dir + "/b.txt", contents: Data("x y\n".utf8))
        _ = FileManager.default.createFile(atPath: dir + "/a.txt", contents: Data("x\n".utf8))
        let gz = Process()
        gz.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gz.arguments = ["-k", dir + "/b.txt"]
        try gz.run()
        gz.waitUntilExit()
        let (vocab, summary) = try GloVePipeline.vocabulary(corpus: [dir], config: config(minCount: 1))
        #expect(vocab.words == ["x", "y"])
        #expect(vocab.counts == [3, 2])  // a.txt, b.txt and b.txt.gz
        #expect(summary.tokens == 5)
    }

    @Test func vocabFileRoundTrip() throws {
        let dir = TestData.scratchDirectory("wordshift-train")
        let vocab = Vocabulary(words: ["the", "naïve", "x"], counts: [10, 3, 3])
        try VocabularyFile.write(vocab, to: dir + "/vocab.txt")
        #expect(try String(contentsOfFile: dir + "/vocab.txt", encoding: .utf8) == "the 10\nnaïve 3\nx 3\n")
        #expect(try VocabularyFile.read(dir + "/vocab.txt") == vocab)
    }

    @Test func malformedVocabFileNamesTheLine() throws {
        let path = TrainingFixtures.file("the 10\nbroken\n", name: "vocab.txt")
        #expect(throws: WordshiftError.malformedLine(path: path, line: 2, message: "expected `word count` with a non-negative integer count")) {
            try VocabularyFile.read(path)
        }
    }

    @Test func emptyCorpusAndNothingAboveMinCountAreClearErrors() throws {
        let empty = TrainingFixtures.file("  \n\n")
        #expect(throws: WordshiftError.emptyInput(path: empty, message: "the corpus has no tokens")) {
            _ = try GloVePipeline.train(corpus: [empty], out: empty + ".sqlite", config: TrainingFixtures.config())
        }
        let rare = TrainingFixtures.file("a b c\n")
        do {
            _ = try GloVePipeline.train(corpus: [rare], out: rare + ".sqlite", config: TrainingFixtures.config())
            Issue.record("expected an error")
        } catch let WordshiftError.emptyInput(_, message) {
            #expect(message.contains("--min-count"))
        }
        #expect(!FileManager.default.fileExists(atPath: rare + ".sqlite"))
    }
}
