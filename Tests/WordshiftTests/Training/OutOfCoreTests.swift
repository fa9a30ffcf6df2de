import Foundation
import Testing
@testable import Wordshift

@Suite("Training: out of core")
struct OutOfCoreTests {
    /// A memory budget far below the pairs sends them to stratum spill files; training from
    /// there gives bit-identical vectors (the order is a function of seed and pairs only), on
    /// one thread and on two, and leaves no file behind.
    @Test(arguments: [1, 2]) func outOfCoreGivesTheSameVectorsAsInMemory(threads: Int) throws {
        let path = try TrainingFixtures.wikiHead(bytes: 60_000)
        let temp = TestData.scratchDirectory("wordshift-ooc")
        var config = TrainingFixtures.config(threads: threads, iterations: 2)
        config.cooccurrence.temporaryDirectory = temp
        let inMemory = try GloVePipeline.train(corpus: [path], out: path + ".mem\(threads).sqlite", config: config)
        config.cooccurrence.memoryBytes = 96 << 10
        let onDisk = try GloVePipeline.train(corpus: [path], out: path + ".disk\(threads).sqlite", config: config)
        #expect(inMemory.pairStorage == "memory")
        #expect(onDisk.pairStorage == "disk")
        #expect(onDisk.pairs == inMemory.pairs && onDisk.pairs > 10_000)
        #expect(onDisk.iterations.map(\.cost) == inMemory.iterations.map(\.cost))
        let a = try TrainingFixtures.vectors(path + ".mem\(threads).sqlite")
        #expect(a.count > 100)
        #expect(a == (try TrainingFixtures.vectors(path + ".disk\(threads).sqlite")))
        #expect(TrainingFixtures.listing(temp).isEmpty, "\(TrainingFixtures.listing(temp))")
    }

    @Test func pairOrderSortsByKeyAndOnlyPermutes() {
        var rng = SeededRandom(seed: 11)
        var pairs: [TrainingPair] = []
        for i in 0..<30_000 {
            // Some exact duplicates and some same-pair records with other values.
            let w = Int32(rng.next(below: 200)), c = Int32(rng.next(below: 200))
            pairs.append(TrainingPair(word: w, context: c, logValue: Float(i % 7), weight: 0.5))
        }
        let order = PairOrder(seed: 5)
        let before = pairs.map { "\($0.word) \($0.context) \($0.logValue)" }.sorted()
        pairs.withUnsafeMutableBufferPointer { b in if let base = b.baseAddress { order.sort(base, count: b.count) } }
        #expect(pairs.map { "\($0.word) \($0.context) \($0.logValue)" }.sorted() == before)
        for i in 1..<pairs.count { #expect(!order.precedes(pairs[i], pairs[i - 1])) }
        // Another seed, another order.
        var again = pairs
        again.withUnsafeMutableBufferPointer { b in if let base = b.baseAddress { PairOrder(seed: 6).sort(base, count: b.count) } }
        #expect(again.map(\.word) != pairs.map(\.word))
    }

    /// A stratum larger than the sort budget is split by the key's top bits into part files
    /// (recursively when a part is still too large); the result equals the in-memory sort.
    @Test func splittingAStratumKeepsTheInMemoryOrder() throws {
        let temp = TestData.scratchDirectory("wordshift-split")
        var rng = SeededRandom(seed: 21)
        var pairs: [TrainingPair] = []
        for _ in 0..<200_000 {
            pairs.append(TrainingPair(word: Int32(rng.next(below: 5000)), context: Int32(rng.next(below: 5000)),
                                      logValue: Float(rng.nextUnitFloat()), weight: 1))
        }
        let order = PairOrder(seed: 9)
        let files = try StratumFiles(directory: temp, strata: 1, bufferBytes: 1 << 16)
        for p in pairs { try files.append(p, stratum: 0) }
        // 65,536 pairs of buffer: parts of about 32K pairs, one level of split.
        try files.sort(order: order, sortBytes: 12 << 16, workers: 1) { _ in }
        #expect(files.sizes == [pairs.count])
        var streamed: [TrainingPair] = []
        try files.stream(stratum: 0, reader: PairChunkReader(chunkPairs: 7777)) { p, n in
            streamed.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
        }
        pairs.withUnsafeMutableBufferPointer { b in if let base = b.baseAddress { order.sort(base, count: b.count) } }
        #expect(streamed == pairs)
        // The stratum file and this process's owner lock (TemporaryFileOwner) only: the parts are gone.
        #expect(TrainingFixtures.listing(temp).filter { !$0.hasSuffix(".lock") }.count == 1)
        files.removeAll()
        #expect(TrainingFixtures.listing(temp).isEmpty)
    }

    /// Pairs spilling onto a 512 KB tmpfs that fills up: a clear I/O error naming the spill
    /// file, no store, and no file left in the temporary directory.
    @Test(.enabled(if: TinyFilesystem.canMount)) func fullDiskWhileSpillingPairsIsClear() throws {
        let path = try TrainingFixtures.wikiHead(bytes: 120_000)
        let dir = TestData.scratchDirectory("wordshift-ooc-full")
        var c = TrainingFixtures.config()
        c.minCount = 1
        c.cooccurrence.window = 10
        _ = try GloVePipeline.cooccurrences(corpus: [path], vocabulary: nil, out: dir + "/c.bin", vocabularyOut: dir + "/v.txt",
                                            config: c)
        guard let fs = TinyFilesystem(kilobytes: 512) else { return }
        defer { fs.unmount() }
        c.cooccurrence.memoryBytes = 64 << 10
        c.cooccurrence.temporaryDirectory = fs.path
        var caught: Error?
        do {
            _ = try GloVePipeline.train(vocabularyFile: dir + "/v.txt", cooccurrenceFiles: [dir + "/c.bin"], out: dir + "/o.sqlite",
                                        config: c)
        } catch { caught = error }
        guard case .io(let p, let message)? = caught as? WordshiftError else {
            Issue.record("expected an I/O error, got \(String(describing: caught))")
            return
        }
        #expect(p.hasPrefix(fs.path + "/wordshift-tmp-") && p.hasSuffix(".strat"), "\(p): \(message)")
        #expect(message.contains("disk full"), "\(message)")
        #expect(TrainingFixtures.listing(fs.path).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: dir + "/o.sqlite"))
    }
}
