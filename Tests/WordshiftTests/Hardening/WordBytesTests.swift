import Foundation
import Testing
@testable import Wordshift

/// Issue 12 §7: a NUL inside a word used to truncate it silently (then a raw "UNIQUE constraint
/// failed" naming the temporary file); a 100 KB word in a binary file gave an error that dumped
/// raw bytes; a text file forced with `--format word2vec-binary` gave 22 junk words and exit 0.
/// Each is now a clear error, run through the CLI: exit 1, a short printable message naming the
/// file, and no store left behind.
@Suite("Hardening: odd bytes in words")
struct WordBytesTests {
    /// Runs `import file --out dir/out.sqlite extra…` and checks the failure the user sees.
    func refusedImport(_ file: String, _ extra: [String] = [], mentions: [String],
                       sourceLocation: SourceLocation = #_sourceLocation) {
        let dir = TestData.scratchDirectory("wordshift-wordbytes")
        let r = ChildProcess.wordshift(["import", file, "--out", dir + "/out.sqlite", "--quiet"] + extra)
        #expect(r.status == 1 && !r.crashed, "exit \(r.status): \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.utf8.count < 600, "bounded: \(r.stderr.utf8.count) bytes", sourceLocation: sourceLocation)
        #expect(!r.stderr.utf8.contains { $0 < 0x20 && $0 != 0x0A }, "printable: \(r.stderr.debugDescription)",
                sourceLocation: sourceLocation)
        #expect(r.stderr.contains(file), "names the file: \(r.stderr)", sourceLocation: sourceLocation)
        for m in mentions { #expect(r.stderr.contains(m), "\(m): \(r.stderr)", sourceLocation: sourceLocation) }
        #expect(!r.stderr.contains("UNIQUE") && !r.stderr.contains("wordshift-tmp-"), "\(r.stderr)", sourceLocation: sourceLocation)
        #expect(Scratch.contents(dir).isEmpty, "\(Scratch.contents(dir))", sourceLocation: sourceLocation)
    }

    @Test func aNulInsideAWordIsAnErrorInEveryTextLayout() {
        // After 64 KiB of ordinary rows, so detection has already said "text".
        var text = "3002 3\n"
        for i in 0..<3_000 { text += "w\(i) 1 2 3\n" }
        let late = Scratch.write(text + "a\u{0}b 1 2 3\na 1 2 3\n", name: "late.txt")
        refusedImport(late, mentions: [":3002:", "NUL"])
        refusedImport(late, ["--format", "word2vec-text"], mentions: [":3002:", "NUL"])
        let glove = Scratch.write("a\u{0}b 1 2 3\na 1 2 3\n", name: "g.txt")
        refusedImport(glove, ["--format", "glove"], mentions: [":1:", "NUL"])
    }

    @Test func aControlCharacterInATextWordIsAnErrorNamingFileAndLine() {
        // C0 (bell, escape), DEL and C1 (U+0085, U+009B) inside a word; tabs and CR stay separators.
        for (word, code) in [("a\u{7}b", "U+0007"), ("x\u{1B}[2J", "U+001B"), ("del\u{7F}", "U+007F"),
                             ("c1\u{85}", "U+0085"), ("\u{9B}31m", "U+009B")] {
            let w2v = Scratch.write("3 2\nok 1 2\n\(word) 3 4\nlast 5 6\n", name: "ctl.txt")
            refusedImport(w2v, mentions: [":3:", "control character", code])
            let glove = Scratch.write("ok 1 2\n\(word) 3 4\n", name: "ctl-glove.txt")
            refusedImport(glove, ["--format", "glove"], mentions: [":2:", "control character", code])
        }
        // A tab or a carriage return around the word is whitespace, not part of it.
        let dir = TestData.scratchDirectory("wordshift-wordbytes")
        let fine = Scratch.write("2 2\nok\t1 2\r\nalso 3 4\n", name: "fine.txt")
        let r = ChildProcess.wordshift(["import", fine, "--out", dir + "/s.sqlite", "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
    }

    @Test func aNulOrAControlByteInABinaryWordIsAnError() {
        for word in ["a\u{0}b", "x\u{1B}[2J"] {
            let bytes = HostileInput.binary(header: "2 2\n", rows: [(word, [1, 2]), ("a", [3, 4])])
            refusedImport(Scratch.write(bytes: bytes, name: "c.bin"), mentions: ["control byte", "misaligned"])
        }
    }

    @Test func aHundredKilobyteBinaryWordGivesAShortPrintableError() {
        for filler in [Array("x".utf8), [0x1B, 0x5B, 0x32, 0x4A], Array(128...255)] {
            var word: [UInt8] = []
            while word.count < 100_000 { word += filler }
            var bytes = Array("1 2\n".utf8) + word + [0x20]
            withUnsafeBytes(of: [Float(1), 2]) { bytes += $0 }
            refusedImport(Scratch.write(bytes: bytes + [0x0A], name: "long.bin"), mentions: ["no separator within"])
        }
    }

    @Test func aTextFileForcedAsBinaryIsRefused() {
        var text = "22 4\n"
        for i in 0..<22 { text += "word\(i) 0.1 0.2 0.3 0.4\n" }
        let w2v = Scratch.write(text, name: "t.txt")
        refusedImport(w2v, ["--format", "word2vec-binary"], mentions: ["word2vec text file", "--format"])
        refusedImport(Scratch.write("the 1 2 3 4\ncat 5 6 7 8\n", name: "glove.txt"), ["--format", "word2vec-binary"],
                      mentions: ["header"])
    }
}
