import Foundation
import Testing
@testable import Wordshift

/// Issue 12 §7: a `nan` gold score made `evaluate similarity` report Spearman −1 (a NaN has no
/// rank, and sorting with it scrambles the order), and lines that were not pairs were skipped
/// without a word. Now a line needs two words and a finite score; others are skipped, counted
/// and listed by number, in the JSON and on standard error.
@Suite("Hardening: similarity gold scores")
struct SimilarityGoldTests {
    static let index = EmbeddingIndex(words: ["a", "b", "c", "d"], dimension: 2, vectors: [1, 0, 1, 0.2, 1, 0.6, 0, 1])
    /// Gold order agrees with the cosine order on every good line.
    static let good = "a\tb\t9\na\tc\t6\na\td\t1\nb\td\t2\n"

    @Test(arguments: ["nan", "NaN", "inf", "-inf", "1e999", "high", ""])
    func aScoreThatIsNotAFiniteNumberIsSkippedAndCounted(score: String) throws {
        let file = Scratch.write("c\td\t\(score)\n" + Self.good)
        let r = try SimilarityEvaluation.run(index: Self.index, file: file)
        #expect(r.pairs == 4 && r.used == 4)
        #expect(r.invalidLines == 1 && r.firstInvalidLines == [1])
        #expect(abs(r.spearman - 1) < 1e-12, "\(r.spearman)")
        #expect(r.spearmanAllPairs.isFinite)
    }

    @Test func correlationsOfNonFiniteValuesAreNaN() {
        #expect(Correlation.spearman([1, .nan, 3], [1, 2, 3]).isNaN)
        #expect(Correlation.pearson([1, 2, 3], [1, .infinity, 3]).isNaN)
        #expect(Correlation.spearman([1, 2, 3], [1, 2, 3]) == 1)
    }

    @Test func onlyTheFirstSkippedLinesAreListedAndAFileOfNothingButSkipsIsRefused() throws {
        let junk = (0..<25).map { "junk line x\($0)" }.joined(separator: "\n") + "\n"
        let r = try SimilarityEvaluation.run(index: Self.index, file: Scratch.write(Self.good + junk))
        #expect(r.invalidLines == 25 && r.firstInvalidLines == Array(5...14))
        let none = Scratch.write("a\tb\tnan\nx y z\n")
        #expect(throws: WordshiftError.emptyInput(path: none, message: "no word pairs found (lines of two words and a finite score; "
                                                  + "2 lines were not, the first at line 1)")) {
            _ = try SimilarityEvaluation.run(index: Self.index, file: none)
        }
    }

    @Test func theCLIShowsSkippedLines() throws {
        let dir = TestData.scratchDirectory("wordshift-similarity")
        let vectors = Scratch.write("4 2\na 1 0\nb 1 0.2\nc 1 0.6\nd 0 1\n", name: "v.txt", in: dir)
        #expect(ChildProcess.wordshift(["import", vectors, "--out", dir + "/s.sqlite", "--quiet"]).status == 0)
        let file = Scratch.write(Self.good + "c\td\tnan\nnot a pair\n", name: "sim.txt", in: dir)
        let text = ChildProcess.wordshift(["evaluate", "similarity", dir + "/s.sqlite", file])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stderr.contains("skipped 2 lines without two words and a finite score (lines 5, 6)"), "\(text.stderr)")
        #expect(text.stdout.contains("1.0000") && !text.stdout.contains("-1.0000"), "\(text.stdout)")
        let json = ChildProcess.wordshift(["evaluate", "similarity", dir + "/s.sqlite", file, "--json", "--quiet"])
        let results = (try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["results"] as? [[String: Any]]
        #expect(results?.first?["invalid_lines"] as? Int == 2)
        #expect(results?.first?["first_invalid_lines"] as? [Int] == [5, 6])
        #expect(results?.first?["spearman"] as? Double == 1)
    }
}
