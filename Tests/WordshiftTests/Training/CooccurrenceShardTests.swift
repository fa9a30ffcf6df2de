import Foundation
import Testing
@testable import Wordshift

@Suite("Training: co-occurrence shards")
struct CooccurrenceShardTests {
    /// A counted corpus: vocab.txt and cooccurrence.bin (+ manifest) in a fresh directory.
    static func counted(bytes: Int = 60_000) throws -> (dir: String, vocab: String, bin: String, config: GloVeConfig) {
        let corpus = try TrainingFixtures.wikiHead(bytes: bytes)
        let dir = TestData.scratchDirectory("wordshift-shards")
        var c = TrainingFixtures.config(threads: 2, iterations: 2)
        c.cooccurrence.temporaryDirectory = dir
        _ = try GloVePipeline.cooccurrences(corpus: [corpus], vocabulary: nil, out: dir + "/all.bin", vocabularyOut: dir + "/vocab.txt",
                                            config: c)
        return (dir, dir + "/vocab.txt", dir + "/all.bin", c)
    }

    static func bytes(_ path: String) -> [UInt8] { [UInt8](FileManager.default.contents(atPath: path) ?? Data()) }

    /// Writes `bytes` as a shard with a copy of `manifest` (records adjusted), or none.
    static func shard(_ path: String, _ bytes: ArraySlice<UInt8>, manifest: CooccurrenceManifest?) throws {
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        if var m = manifest {
            m.records = bytes.count / 16
            try m.write(for: path)
        }
    }

    static func record(_ w1: Int32, _ w2: Int32, _ x: Double) -> [UInt8] {
        var out: [UInt8] = []
        withUnsafeBytes(of: w1.littleEndian) { out += $0 }
        withUnsafeBytes(of: w2.littleEndian) { out += $0 }
        withUnsafeBytes(of: x.bitPattern.littleEndian) { out += $0 }
        return out
    }

    @Test func cooccurWritesAManifestThatDescribesTheFile() throws {
        let (_, vocabPath, bin, c) = try Self.counted()
        let m = try #require(try CooccurrenceManifest.read(for: bin))
        let vocab = try VocabularyFile.read(vocabPath)
        #expect(m.records * 16 == System.fileSize(bin))
        #expect(m.sorted && m.vocabularySize == vocab.count && m.vocabularySHA256 == vocab.fingerprint)
        #expect(m.window == c.cooccurrence.window && m.symmetric && m.distanceWeighting && m.tokenizer == "unicode")
        #expect(m.producer == "wordshift train cooccur")
    }

    /// The sorted file cut into three shards (disjoint keys) trains to the very same vectors as
    /// the file itself; directories of shards work too.
    @Test func shardsMergeToTheSameVectorsAsOneFile() throws {
        let (dir, vocab, bin, c) = try Self.counted()
        let all = Self.bytes(bin), m = try CooccurrenceManifest.read(for: bin)
        let n = all.count / 16
        let cut1 = n / 3 * 16, cut2 = 2 * n / 3 * 16
        let shardDir = dir + "/parts"
        try FileManager.default.createDirectory(atPath: shardDir, withIntermediateDirectories: true)
        try Self.shard(shardDir + "/part-00000.bin", all[0..<cut1], manifest: m)
        try Self.shard(shardDir + "/part-00001.bin", all[cut1..<cut2], manifest: m)
        try Self.shard(shardDir + "/part-00002.bin", all[cut2...], manifest: nil)  // a reference-tools file: no manifest
        let one = try GloVePipeline.train(vocabularyFile: vocab, cooccurrenceFiles: [bin], out: dir + "/one.sqlite", config: c)
        let three = try GloVePipeline.train(vocabularyFile: vocab, cooccurrenceFiles: [shardDir], out: dir + "/three.sqlite",
                                            config: c)
        #expect(three.pairs == one.pairs && one.pairs == n)
        let a = try TrainingFixtures.vectors(dir + "/one.sqlite"), b = try TrainingFixtures.vectors(dir + "/three.sqlite")
        #expect(a.count > 100)
        #expect(a == b)
    }

    /// Overlapping shards (the same pair counted in two parts) are summed by the merge.
    @Test func mergeSumsAPairFoundInSeveralShards() throws {
        let dir = TestData.scratchDirectory("wordshift-shards")
        let vocab = Vocabulary(words: ["a", "b", "c"], counts: [9, 8, 7])
        let a = Self.record(1, 1, 0.5) + Self.record(1, 3, 2) + Self.record(3, 2, 1)
        let b = Self.record(1, 1, 0.25) + Self.record(2, 2, 4) + Self.record(3, 2, 1.5)
        try Self.shard(dir + "/a.bin", a[...], manifest: nil)
        try Self.shard(dir + "/b.bin", b[...], manifest: nil)
        let shards = try CooccurrenceShards.check([dir + "/a.bin", dir + "/b.bin"], vocabulary: vocab, vocabularyPath: "v")
        var got: [String] = []
        try shards.read { w1, w2, x in got.append("\(w1) \(w2) \(x)") }
        #expect(got == ["0 0 0.75", "0 2 2.0", "1 1 4.0", "2 1 2.5"])
    }

    /// Each bad shard is refused by name before training, and nothing is written.
    @Test func badShardsAreRefusedByName() throws {
        let (dir, vocabPath, bin, c) = try Self.counted(bytes: 30_000)
        let all = Self.bytes(bin), m = try #require(try CooccurrenceManifest.read(for: bin))
        let half = all.count / 32 * 16
        try Self.shard(dir + "/good.bin", all[0..<half], manifest: m)

        func refusal(_ shards: [String]) -> String? {
            do {
                _ = try GloVePipeline.train(vocabularyFile: vocabPath, cooccurrenceFiles: shards, out: dir + "/out.sqlite", config: c)
            } catch let e as WordshiftError {
                return e.description
            } catch {
                return "\(error)"
            }
            return nil
        }

        // Another vocabulary: same size, one word changed.
        var other = m
        other.vocabularySHA256 = String(repeating: "0", count: 64)
        try Self.shard(dir + "/othervocab.bin", all[half...], manifest: other)
        let vocabError = try #require(refusal([dir + "/good.bin", dir + "/othervocab.bin"]))
        #expect(vocabError.contains("othervocab.bin") && vocabError.contains("another vocabulary"), "\(vocabError)")

        // Truncated at a record boundary: only the manifest can tell.
        try Self.shard(dir + "/cut.bin", all[half...], manifest: m)
        let cut = Self.bytes(dir + "/cut.bin")
        _ = FileManager.default.createFile(atPath: dir + "/cut.bin", contents: Data(cut[0..<(cut.count - 160)]))
        let cutError = try #require(refusal([dir + "/good.bin", dir + "/cut.bin"]))
        #expect(cutError.contains("cut.bin") && cutError.contains("truncated"), "\(cutError)")

        // Truncated inside a record.
        _ = FileManager.default.createFile(atPath: dir + "/partial.bin", contents: Data(all[half..<(all.count - 5)]))
        let partialError = try #require(refusal([dir + "/good.bin", dir + "/partial.bin"]))
        #expect(partialError.contains("partial.bin") && partialError.contains("inside a 16-byte record"), "\(partialError)")

        // An id beyond the vocabulary (no manifest to compare).
        let vocabSize = try VocabularyFile.read(vocabPath).count
        let beyond = Self.record(1, 2, 1) + Self.record(2, Int32(vocabSize + 1), 1)
        try Self.shard(dir + "/beyond.bin", beyond[...], manifest: nil)
        let beyondError = try #require(refusal([dir + "/good.bin", dir + "/beyond.bin"]))
        #expect(beyondError.contains("beyond.bin") && beyondError.contains("at byte 16") && beyondError.contains("outside the vocabulary"),
                "\(beyondError)")

        // Unsorted records cannot be merged.
        let unsorted = Self.record(2, 2, 1) + Self.record(1, 2, 1)
        try Self.shard(dir + "/unsorted.bin", unsorted[...], manifest: nil)
        let unsortedError = try #require(refusal([dir + "/good.bin", dir + "/unsorted.bin"]))
        #expect(unsortedError.contains("unsorted.bin") && unsortedError.contains("not sorted"), "\(unsortedError)")

        // Other counting settings.
        var wide = m
        wide.window += 1
        try Self.shard(dir + "/wide.bin", all[half...], manifest: wide)
        let wideError = try #require(refusal([dir + "/good.bin", dir + "/wide.bin"]))
        #expect(wideError.contains("wide.bin") && wideError.contains("counted alike"), "\(wideError)")

        #expect(!FileManager.default.fileExists(atPath: dir + "/out.sqlite"))
        #expect(!TrainingFixtures.listing(dir).contains { $0.contains("wordshift-tmp-") }, "\(TrainingFixtures.listing(dir))")
    }
}

@Suite("CLI: train glove from shards")
struct TrainShardsCLITests {
    func run(_ args: [String]) throws -> (status: Int32, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: TestData.cliBinary)
        p.arguments = args
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: e, as: UTF8.self))
    }

    /// `train glove --cooccur A B --memory …` trains out of core from two shards; a shard of
    /// another vocabulary fails with its name and a non-zero status, writing nothing.
    @Test func trainGloveTakesSeveralShardsAndNamesABadOne() throws {
        let (dir, vocab, bin, _) = try CooccurrenceShardTests.counted(bytes: 30_000)
        let all = CooccurrenceShardTests.bytes(bin), m = try CooccurrenceManifest.read(for: bin)
        let half = all.count / 32 * 16
        try CooccurrenceShardTests.shard(dir + "/a.bin", all[0..<half], manifest: m)
        try CooccurrenceShardTests.shard(dir + "/b.bin", all[half...], manifest: m)
        let common = ["train", "glove", "--vocab", vocab, "--dim", "8", "--iter", "2", "--threads", "2",
                      "--memory", "64K", "--temp-dir", dir, "--quiet"]
        let ok = try run(common + ["--cooccur", dir + "/a.bin", dir + "/b.bin", "--out", dir + "/ok.sqlite"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir + "/ok.sqlite"))
        var other = m
        other?.vocabularySize += 1
        try CooccurrenceShardTests.shard(dir + "/c.bin", all[half...], manifest: other)
        let bad = try run(common + ["--cooccur", dir + "/a.bin", dir + "/c.bin", "--out", dir + "/bad.sqlite"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("c.bin") && bad.stderr.contains("another vocabulary"), "\(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/bad.sqlite"))
        #expect(!TrainingFixtures.listing(dir).contains { $0.hasPrefix("wordshift-") }, "\(TrainingFixtures.listing(dir))")
    }
}
