import Foundation
import Testing
@testable import Wordshift

/// Issue 12 leftovers (found by the Spark work): "5K" spelled with U+212A KELVIN SIGN and "5K"
/// are different bytes but one Swift string (canonical equivalence). Both used to pass
/// --min-count as separate words, and the vocab.txt written then failed to load ("duplicate
/// word"). Counting now merges them as loading compares them.
@Suite("Hardening: canonically equivalent words")
struct CanonicalWordsTests {
    @Test func kelvinSignAndLetterKAreOneWordThatLoadsBack() throws {
        let kelvin = "5\u{212A}", plain = "5K"
        #expect(Array(kelvin.utf8) != Array(plain.utf8) && kelvin == plain)
        let dir = TestData.scratchDirectory("wordshift-canonical")
        // 7 × Kelvin, 5 × plain, 6 × "café" in NFC and 5 × in NFD; min-count 5 keeps each spelling by its bytes.
        var lines: [String] = []
        for _ in 0..<7 { lines.append("the \(kelvin) a") }
        for _ in 0..<5 { lines.append("the \(plain) b") }
        for _ in 0..<6 { lines.append("caf\u{E9} x") }
        for _ in 0..<5 { lines.append("cafe\u{301} y") }
        let corpus = Scratch.write(lines.joined(separator: "\n") + "\n", name: "corpus.txt")
        let vocabPath = dir + "/vocab.txt"
        let r = ChildProcess.wordshift(["train", "vocab", "--tokenizer", "whitespace", "--min-count", "5",
                                        "--corpus", corpus, "--out", vocabPath, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let text = try String(contentsOfFile: vocabPath, encoding: .utf8)
        let entries = text.split(separator: "\n").map { $0.split(separator: " ") }
        // One entry each, with the summed count, spelled as the more frequent spelling.
        let five = entries.filter { String($0[0]) == plain }
        #expect(five.count == 1 && five.first.map { Array($0[0].utf8) == Array(kelvin.utf8) && $0[1] == "12" } == true, "\(text)")
        let cafe = entries.filter { String($0[0]) == "caf\u{E9}" }
        #expect(cafe.count == 1 && cafe.first.map { Array($0[0].utf8) == Array("caf\u{E9}".utf8) && $0[1] == "11" } == true, "\(text)")
        // The file loads, and the co-occurrence count takes it as the vocabulary.
        let vocab = try VocabularyFile.read(vocabPath)
        #expect(vocab.words.filter { $0 == plain }.count == 1)
        let c = ChildProcess.wordshift(["train", "cooccur", "--tokenizer", "whitespace", "--corpus", corpus,
                                        "--vocab", vocabPath, "--out", dir + "/c.bin", "--quiet"])
        #expect(c.status == 0, "\(c.stderr)")
    }

    @Test func invalidUTF8ThatDecodesAlikeIsOneWord() throws {
        // 0xFF and 0xFE both decode to U+FFFD: one word "a\u{FFFD}" counted 4 + 3 = 7.
        let dir = TestData.scratchDirectory("wordshift-canonical")
        var bytes: [UInt8] = []
        for _ in 0..<4 { bytes += Array("x a".utf8) + [0xFF] + [0x0A] }
        for _ in 0..<3 { bytes += Array("x a".utf8) + [0xFE] + [0x0A] }
        let corpus = Scratch.write(bytes: bytes, name: "bad.txt")
        let r = ChildProcess.wordshift(["train", "vocab", "--tokenizer", "whitespace", "--min-count", "2",
                                        "--corpus", corpus, "--out", dir + "/vocab.txt", "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let vocab = try VocabularyFile.read(dir + "/vocab.txt")
        #expect(vocab.words == ["a\u{FFFD}", "x"] && vocab.counts == [7, 7], "\(vocab.words) \(vocab.counts)")
    }
}
