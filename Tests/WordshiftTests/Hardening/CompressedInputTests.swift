import Foundation
import Testing
@testable import Wordshift

/// Issue 12 §2: a truncated or corrupt gzip stream is an error naming the file and the offset,
/// for every reader — never a silent end of input (a `.gz` cut in half used to import 37 of
/// its 76 rows with exit 0).
@Suite("Hardening: truncated and corrupt gzip")
struct CompressedInputTests {
    /// A gzip file of `text` in `dir`, plus a copy cut at 60% and a copy with one byte flipped.
    func damaged(_ text: String, in dir: String, name: String) throws -> (full: String, cut: String, corrupt: String) {
        let full = try HostileInput.gzip(text, in: dir, name: name)
        let cut = try HostileInput.truncated(full, keeping: 0.6, name: "cut-" + name)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: full)))
        bytes[bytes.count / 2] ^= 0xFF
        let corrupt = Scratch.write(bytes: bytes, name: "bad-" + name, in: dir)
        return (full, cut, corrupt)
    }

    /// Runs `body` on the damaged copies; each must throw a `malformedBinary` naming that file.
    func expectGzipErrors(_ files: (full: String, cut: String, corrupt: String), reader: String,
                          _ body: (String) throws -> Void) throws {
        try body(files.full)
        for path in [files.cut, files.corrupt] {
            do {
                try body(path)
                Issue.record("\(reader): \(path) was read without an error")
            } catch let WordshiftError.malformedBinary(p, offset, message) {
                #expect(p == path && offset > 0, "\(reader): \(p) \(offset)")
                #expect(message.contains("gzip"), "\(reader): \(message)")
            } catch {
                Issue.record("\(reader): \(path): unexpected \(error)")
            }
        }
    }

    @Test func everyReaderRefusesDamagedGzip() throws {
        let dir = TestData.scratchDirectory("wordshift-gzip")
        var rows = "300 4\n"
        for i in 0..<300 { rows += "w\(i) \(Float(i) * 0.25) -1.5 \(i % 7) 0.125\n" }
        try expectGzipErrors(try damaged(rows, in: dir, name: "v.txt.gz"), reader: "vectors") {
            _ = try VectorFileReader.load(path: $0)
        }
        var corpus = ""
        for i in 0..<2000 { corpus += "the quick brown fox \(i % 50) jumps over the lazy dog \(i % 13)\n" }
        try expectGzipErrors(try damaged(corpus, in: dir, name: "c.txt.gz"), reader: "corpus") {
            let source = try CorpusSource(inputs: [$0])
            try source.stream(chunk: { _ in }, endOfFile: {})
        }
        var labeled = ""
        for i in 0..<2000 { labeled += (i % 2 == 0 ? "pos" : "neg") + "\tdocument number \(i) with some words\n" }
        try expectGzipErrors(try damaged(labeled, in: dir, name: "l.tsv.gz"), reader: "labeled") {
            _ = try LabeledDataReader.read($0)
        }
        try expectGzipErrors(try damaged(labeled, in: dir, name: "u.txt.gz"), reader: "unlabeled text") {
            _ = try LabeledDataReader.readText($0)
        }
        var vocab = ""
        for i in 0..<2000 { vocab += "word\(i) \(5000 - i)\n" }
        try expectGzipErrors(try damaged(vocab, in: dir, name: "vocab.txt.gz"), reader: "vocab.txt") {
            _ = try VocabularyFile.read($0)
        }
        var pairs = ""
        for i in 0..<2000 { pairs += "word\(i % 40)\tword\(i % 37)\t\(i % 10)\n" }
        try expectGzipErrors(try damaged(pairs, in: dir, name: "sim.txt.gz"), reader: "similarity") {
            _ = try SimilarityEvaluation.readPairs($0)
        }
    }

    /// The user's view: the command fails, names the file and the offset, writes nothing.
    @Test func cliRefusesTruncatedGzipIncludingStandardInput() throws {
        let dir = TestData.scratchDirectory("wordshift-gzip")
        var rows = "76 4\n"
        for i in 0..<76 { rows += "w\(i) \(Float(i) * 0.25) -1.5 \(i % 7) 0.125\n" }
        let full = try HostileInput.gzip(rows, in: dir, name: "v.txt.gz")
        let half = try HostileInput.truncated(full, keeping: 0.5, name: "half.gz")
        let r = ChildProcess.wordshift(["import", half, "--out", dir + "/s.sqlite"])
        #expect(r.status == 1 && r.stderr.contains("half.gz: at byte") && r.stderr.contains("truncated"), "\(r.stderr)")
        let piped = ChildProcess.wordshift(["import", "-", "--out", dir + "/s.sqlite"], stdin: half)
        #expect(piped.status == 1 && piped.stderr.contains("-: at byte") && piped.stderr.contains("truncated"), "\(piped.stderr)")
        var corpus = ""
        for i in 0..<3000 { corpus += "the quick brown fox \(i % 50) jumps over the lazy dog \(i % 13)\n" }
        let c = try HostileInput.truncated(try HostileInput.gzip(corpus, in: dir, name: "c.gz"), keeping: 0.7, name: "cut.gz")
        let t = ChildProcess.wordshift(["train", "--corpus", c, "--out", dir + "/t.sqlite", "--dim", "4", "--min-count", "1", "--quiet"])
        #expect(t.status == 1 && t.stderr.contains("cut.gz: at byte") && t.stderr.contains("truncated"), "\(t.stderr)")
        let stdinCorpus = ChildProcess.wordshift(["train", "vocab", "--corpus", "-", "--out", dir + "/v.txt", "--quiet"], stdin: c)
        #expect(stdinCorpus.status == 1 && stdinCorpus.stderr.contains("truncated"), "\(stdinCorpus.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/s.sqlite") && !FileManager.default.fileExists(atPath: dir + "/t.sqlite"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/v.txt"))
    }

    /// The content bound a reader checks header claims against.
    @Test func remainingBoundIsExactForPlainFilesAndSafeForGzip() throws {
        let dir = TestData.scratchDirectory("wordshift-gzip")
        let plain = Scratch.write(String(repeating: "x", count: 1000), name: "p.txt", in: dir)
        let reader = try ByteReader(path: plain)
        #expect(reader.remainingBound == 1000)
        var buffer = [UInt8](repeating: 0, count: 300)
        _ = try buffer.withUnsafeMutableBytes { try reader.read(into: $0.baseAddress!, count: 300) }
        #expect(reader.remainingBound == 700)
        let text = String(repeating: "0 ", count: 200_000)
        let gz = try HostileInput.gzip(text, in: dir, name: "z.gz")
        let zipped = try ByteReader(path: gz)
        #expect(zipped.remainingBound >= text.utf8.count)
        #expect(zipped.remainingBound <= (System.fileSize(gz) ?? 0) * ByteReader.maximumGzipRatio)
    }
}
