import Foundation
import Testing
@testable import Wordshift
#if canImport(Glibc)
import Glibc
#endif

@Suite("Training: pairs, long lines, full disk")
struct TrainingLimitsTests {
    @Test func trainingPairIsTwelveBytesAndDecodesItsFields() {
        #expect(MemoryLayout<TrainingPair>.stride == 12)
        let top = Int32(TrainingPair.maximumVocabulary - 1)
        for (w, c) in [(Int32(0), Int32(0)), (top, 0), (0, top), (top, top), (12345, 678_901)] {
            let p = TrainingPair(word: w, context: c, value: 3.5, xMax: 10, alpha: 0.75)
            #expect(p.word == w && p.context == c)
            #expect(p.logValue == Float(log(3.5)))
        }
        // The weight keeps 11 significant bits over every value a corpus or a file can give.
        var x = 1e-9
        while x < 1e4 {
            for alpha in [0.75, 1.0, 0.5] {
                let p = TrainingPair(word: 7, context: 9, value: x, xMax: 10, alpha: alpha)
                let exact = x >= 10 ? 1.0 : pow(x / 10, alpha)
                #expect(abs(Double(p.weight) - exact) <= exact * 0x1.01p-11, "x \(x) alpha \(alpha)")
                #expect(p.weight <= 1)
            }
            x *= 1.37
        }
        #expect(TrainingPair(word: 1, context: 2, value: 10, xMax: 10, alpha: 0.75).weight == 1)
        #expect(TrainingPair(word: 1, context: 2, value: 9.9999999, xMax: 10, alpha: 0.75).weight == 1)  // rounds up to 1 exactly
    }

    @Test func pairCollectorKeepsEveryPairInOrderAcrossChunks() throws {
        let n = PairCollector.chunkPairs + 1000
        let collector = PairCollector()
        for i in 0..<n {
            try collector.append(TrainingPair(word: Int32(i & 0xFFFF), context: Int32(i >> 4), logValue: Float(i), weight: 0.5))
        }
        #expect(collector.count == n)
        let all = collector.finish()
        #expect(all.count == n && collector.count == 0)
        for i in [0, 1, PairCollector.chunkPairs - 1, PairCollector.chunkPairs, n - 1] {
            #expect(all[i].word == Int32(i & 0xFFFF) && all[i].context == Int32(i >> 4) && all[i].logValue == Float(i))
        }
        #expect(PairCollector().finish().isEmpty)
    }

    /// A 20 MB line without any newline streams through counting (the issue's "1 GB line", scaled
    /// down): every token is counted, the arena holds only the distinct words, and a 4 MB token
    /// without separators is cut at 999 bytes.
    @Test func aLongLineWithoutNewlineStreams() throws {
        var unit = [UInt8]()
        for i in 0..<100 { unit += Array("w\(i) ".utf8) }  // 100 tokens, 390 bytes
        let repeats = 20_000_000 / unit.count
        var bytes = [UInt8]()
        bytes.reserveCapacity(repeats * unit.count + 4_000_010)
        for _ in 0..<repeats { bytes += unit }
        bytes += [UInt8](repeating: 0x7A, count: 4_000_000)  // one 4 MB token, then end of file
        let path = TrainingFixtures.file(bytes: bytes)
        for kind in [TokenizerKind.whitespace, .unicode] {
            let source = try CorpusSource(inputs: [path])
            let counted = try VocabularyCounter.count(source: source, tokenizer: TokenizerOptions(kind: kind), keepStream: false,
                                                      temporaryDirectory: NSTemporaryDirectory(), progress: ProgressReporter(nil))
            #expect(counted.tokens == repeats * 100 + 1)
            #expect(counted.interner.count == 101)
            #expect(counted.bytes == bytes.count)
            let long = (0..<counted.interner.count).map { counted.interner.bytes($0).count }.max()
            #expect(long == maximumTokenBytes)
        }
    }

    /// Spills onto a 512 KB tmpfs that fills up: a clear I/O error, and no temporary file is left
    /// (neither spill runs nor the token stream). Needs root to mount; skipped otherwise.
    @Test(.enabled(if: TinyFilesystem.canMount)) func fullDiskDuringSpillIsAClearErrorAndLeavesNoFiles() throws {
        let path = try TrainingFixtures.wikiHead(bytes: 200_000)
        guard let fs = TinyFilesystem(kilobytes: 512) else { return }
        defer { fs.unmount() }
        var c = TrainingFixtures.config()
        c.minCount = 1
        c.cooccurrence.window = 15
        c.cooccurrence.memoryBytes = 64 << 10
        c.cooccurrence.maximumOpenRuns = 3
        c.cooccurrence.temporaryDirectory = fs.path
        var caught: Error?
        do {
            _ = try GloVePipeline.train(corpus: [path], out: path + ".sqlite", config: c)
        } catch { caught = error }
        guard case .io(let p, let message)? = caught as? WordshiftError else {
            Issue.record("expected an I/O error, got \(String(describing: caught))")
            return
        }
        #expect(p.hasPrefix(fs.path + "/wordshift-tmp-") && p.hasSuffix(".run"), "\(p): \(message)")
        #expect(message.contains("disk full"), "\(message)")
        #expect(TrainingFixtures.listing(fs.path).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: path + ".sqlite"))
    }
}

/// A private tmpfs of a given size (root only), for full-disk tests.
struct TinyFilesystem {
    let path: String

    static var canMount: Bool { geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/bin/mount") }

    init?(kilobytes: Int) {
        path = TestData.scratchDirectory("wordshift-tinyfs")
        guard TinyFilesystem.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(kilobytes)k", "tmpfs", path]) else { return nil }
    }

    func unmount() {
        _ = TinyFilesystem.run("/bin/umount", [path])
        try? FileManager.default.removeItem(atPath: path)
    }

    private static func run(_ tool: String, _ arguments: [String]) -> Bool {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = arguments
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }
}

@Suite("Training: vector math")
struct TrainingVectorMathTests {
    @Test func vectorSquareRootEqualsTheStandardLibrary() {
        var rng = SeededRandom(seed: 5)
        for _ in 0..<10_000 {
            var v = SIMD8<Float>()
            for i in 0..<8 { v[i] = Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()) & 0x7FFF_FFFF) }
            let a = KernelMath.squareRoot(v), b = v.squareRoot()
            for i in 0..<8 { #expect(a[i].bitPattern == b[i].bitPattern || (a[i].isNaN && b[i].isNaN)) }
        }
        #expect(KernelMath.squareRoot(SIMD8(repeating: 4)) == SIMD8(repeating: 2))
    }
}
