import Foundation
import Testing
@testable import Wordshift

@Suite("Training: co-occurrence")
struct TrainingCooccurrenceTests {
    struct Record: Equatable { let w1: Int32, w2: Int32, x: Double }

    /// Counts a corpus with the given options; returns the vocabulary and the sorted records.
    private func count(_ path: String, window: Int, memory: Int, maxOpen: Int = 64, symmetric: Bool = true,
                       weighting: Bool = true, tempDir: String? = nil) throws -> (Vocabulary, [Record]) {
        var opts = CooccurrenceOptions()
        opts.window = window
        opts.memoryBytes = memory
        opts.maximumOpenRuns = maxOpen
        opts.symmetric = symmetric
        opts.distanceWeighting = weighting
        if let tempDir { opts.temporaryDirectory = tempDir }
        let source = try CorpusSource(inputs: [path])
        let counted = try VocabularyCounter.count(source: source, tokenizer: TokenizerOptions(kind: .whitespace), keepStream: true,
                                                  temporaryDirectory: opts.temporaryDirectory, progress: ProgressReporter(nil))
        defer { counted.stream?.close() }
        let (vocab, rank) = Vocabulary.build(from: counted.interner, minCount: 1, maxVocab: nil)
        var out: [Record] = []
        guard let stream = counted.stream else { return (vocab, out) }
        _ = try CooccurrencePass.count(stream: stream, rank: rank, vocabularySize: vocab.count, options: opts, progress: ProgressReporter(nil)) {
            out.append(Record(w1: $0, w2: $1, x: $2))
        }
        return (vocab, out)
    }

    @Test func handCountedWindow() throws {
        let path = TrainingFixtures.file("a b c\nc a\n")
        let (vocab, records) = try count(path, window: 2, memory: 1 << 20)
        #expect(vocab.words == ["a", "c", "b"])
        let map = Dictionary(uniqueKeysWithValues: records.map { ("\(vocab.words[Int($0.w1)])\(vocab.words[Int($0.w2)])", $0.x) })
        // a b c: (a,b) 1, (b,c) 1, (a,c) 1/2, both directions; then c a: (c,a) 1 both ways.
        #expect(map == ["ab": 1, "ba": 1, "bc": 1, "cb": 1, "ac": 1.5, "ca": 1.5])
        let (_, left) = try count(path, window: 2, memory: 1 << 20, symmetric: false, weighting: false)
        #expect(left.count == 4)  // (a,b), (b,c), (a,c) from line 1, (c,a) from line 2
        #expect(left.allSatisfy { $0.x == 1 })
    }

    @Test func tinyBudgetGivesExactlyTheInMemoryCounts() throws {
        let path = try TrainingFixtures.wikiHead(bytes: 200_000)
        let tmp = TestData.scratchDirectory("wordshift-spill")
        let (_, big) = try count(path, window: 15, memory: 1 << 30, tempDir: tmp)
        // 64 KB: a tiny dense table, 512-entry buffers, many spill files, merged 3 at a time.
        let (_, small) = try count(path, window: 15, memory: 64 << 10, maxOpen: 3, tempDir: tmp)
        #expect(big.count > 50_000)
        #expect(big == small)
        #expect(TrainingFixtures.listing(tmp).isEmpty)
    }

    @Test func spillFilesAreRemovedWhenAConsumerFails() throws {
        let path = try TrainingFixtures.wikiHead(bytes: 60_000)
        let tmp = TestData.scratchDirectory("wordshift-spill")
        struct Stop: Error {}
        var opts = CooccurrenceOptions()
        opts.memoryBytes = 32 << 10
        opts.temporaryDirectory = tmp
        let source = try CorpusSource(inputs: [path])
        let counted = try VocabularyCounter.count(source: source, tokenizer: TokenizerOptions(kind: .whitespace), keepStream: true,
                                                  temporaryDirectory: tmp, progress: ProgressReporter(nil))
        let (vocab, rank) = Vocabulary.build(from: counted.interner, minCount: 1, maxVocab: nil)
        let stream = try #require(counted.stream)
        var seenSpills = false
        #expect(throws: Stop.self) {
            _ = try CooccurrencePass.count(stream: stream, rank: rank, vocabularySize: vocab.count, options: opts, progress: ProgressReporter(nil)) { _, _, _ in
                seenSpills = TrainingFixtures.listing(tmp).contains { $0.hasSuffix(".run") }
                throw Stop()
            }
        }
        #expect(seenSpills)
        counted.stream?.close()
        #expect(TrainingFixtures.listing(tmp).isEmpty)
    }

    @Test func missingTemporaryDirectoryIsAClearError() throws {
        let path = TrainingFixtures.file("a b a b\n")
        var c = TrainingFixtures.config()
        c.minCount = 1
        c.cooccurrence.temporaryDirectory = "/nonexistent-wordshift-dir"
        #expect(throws: WordshiftError.self) {
            _ = try GloVePipeline.train(corpus: [path], out: path + ".sqlite", config: c)
        }
    }

    @Test func cooccurrenceFileRoundTrip() throws {
        let dir = TestData.scratchDirectory("wordshift-train")
        let w = try CooccurrenceFile.Writer(path: dir + "/cooccurrence.bin")
        try w.add(0, 1, 2.5)
        try w.add(2, 0, 1.0 / 3)
        try w.finish()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: dir + "/cooccurrence.bin"))
        #expect(bytes.count == 32)
        #expect(Array(bytes.prefix(8)) == [1, 0, 0, 0, 2, 0, 0, 0])  // 1-based ids
        var back: [Record] = []
        try CooccurrenceFile.read(dir + "/cooccurrence.bin", vocabularySize: 3) { back.append(Record(w1: $0, w2: $1, x: $2)) }
        #expect(back == [Record(w1: 0, w2: 1, x: 2.5), Record(w1: 2, w2: 0, x: 1.0 / 3)])
        #expect(throws: WordshiftError.malformedBinary(path: dir + "/cooccurrence.bin", byteOffset: 16,
                                                       message: "word id 3 outside the vocabulary (1...2); was it counted with another vocab.txt?")) {
            try CooccurrenceFile.read(dir + "/cooccurrence.bin", vocabularySize: 2) { _, _, _ in }
        }
    }

    @Test func exactUnitsForEveryWindow() {
        for window in [1, 2, 10, 15, 22, 40] {
            let s = WeightScale(window: window, distanceWeighting: true)
            for d in 1...window where window <= 22 {
                #expect(s.value(s.units[d]) == 1.0 / Double(d))
            }
            #expect(s.units.count == window + 1)
        }
    }
}

@Suite("Training: entry sorting")
struct TrainingEntrySortingTests {
    @Test func radixSortAndCombineMatchesASimpleSum() {
        var rng = SeededRandom(seed: 3)
        let n = 20_000
        let entries = UnsafeMutablePointer<CooccurrenceEntry>.allocate(capacity: n)
        let scratch = UnsafeMutablePointer<CooccurrenceEntry>.allocate(capacity: n)
        defer { entries.deallocate(); scratch.deallocate() }
        var expected: [UInt64: Int64] = [:]
        for i in 0..<n {
            let e = CooccurrenceEntry(Int32(rng.next(below: 3000)), Int32(rng.next(below: 40)), units: Int64(rng.next(below: 9) + 1))
            entries[i] = e
            expected[e.key, default: 0] += e.units
        }
        let m = EntrySorting.sortAndCombine(entries, count: n, idBits: 12, scratch: scratch)
        let got = (0..<m).map { entries[$0] }
        #expect(got == expected.keys.sorted().map { CooccurrenceEntry(key: $0, units: expected[$0] ?? 0) })
    }
}
