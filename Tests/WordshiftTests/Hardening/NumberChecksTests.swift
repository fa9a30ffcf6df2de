import Foundation
import Testing
@testable import Wordshift

/// Issue 12 §1: every number from a flag or a file header is checked before use. Each probe is
/// the command line that crashed, hung or blew up memory before, run as a real process.
@Suite("Hardening: numbers from flags and headers")
struct NumberChecksTests {
    /// Flags whose value is refused at parse time: exit 64, the flag named, no crash.
    @Test func outOfRangeFlagsAreRefusedBeforeWork() throws {
        let (dir, s) = try HostileInput.store()
        let corpus = HostileInput.corpus(in: dir)
        let labeled = HostileInput.labeled(in: dir)
        let questions = Scratch.write(": s\nw1 w2 w3 w4\n", name: "q.txt", in: dir)
        let probes: [([String], String)] = [
            (["analogy", s, "w1", "w2", "w3", "-k=-5", "--method", "3cosmul"], "-k"),
            (["analogy", s, "w1", "w2", "w3", "-k", "0"], "-k"),
            (["analogy", s, "w1", "w2", "w3", "-k=-1"], "-k"),
            (["nearest", s, "w1", "-k", "0"], "-k"),
            (["nearest", s, "w1", "--restrict-vocab=-1"], "--restrict-vocab"),
            (["analogy", s, "w1", "w2", "w3", "--restrict-vocab=-1"], "--restrict-vocab"),
            (["evaluate", "analogies", s, questions, "--restrict-vocab=-1"], "--restrict-vocab"),
            (["evaluate", "misspellings", s, "-k", "0"], "-k"),
            (["import", corpus, "--out", dir + "/x.sqlite", "--threads", "0"], "--threads"),
            (["import", corpus, "--out", dir + "/x.sqlite", "--limit", "0"], "--limit"),
            (["train", "--corpus", corpus, "--out", dir + "/x.sqlite", "--memory=99999999999G"], "--memory"),
            (["train", "--corpus", corpus, "--out", dir + "/x.sqlite", "--memory", "lots"], "--memory"),
            (["train", "--corpus", corpus, "--out", dir + "/x.sqlite", "--iter", "0"], "--iter"),
            (["train", "--corpus", corpus, "--out", dir + "/x.sqlite", "--eta", "inf"], "--eta"),
            (["train", "--corpus", corpus, "--out", dir + "/x.sqlite", "--eta", "nan"], "--eta"),
            (["train", "--corpus", corpus, "--out", dir + "/x.sqlite", "--x-max", "-1"], "--x-max"),
            (["train", "--corpus", corpus, "--out", dir + "/x.sqlite", "--dim", "9223372036854775807"], "--dim"),
            (["train", "--corpus", corpus, "--out", dir + "/x.sqlite", "--window", "9223372036854775807"], "--window"),
            (["train", "--corpus", corpus, "--out", dir + "/x.sqlite", "--init-from", s, "--mu", "inf"], "--mu"),
            (["classify", "train", s, "--train", labeled, "--name", "h", "--buckets", "9223372036854775807"], "--buckets"),
            (["classify", "train", s, "--train", labeled, "--name", "h", "--lr", "inf"], "--lr"),
            (["classify", "train", s, "--train", labeled, "--name", "h", "--hidden", "-1"], "--hidden"),
            (["classify", "train", s, "--train", labeled, "--name", "h", "--valid-fraction", "1"], "--valid-fraction"),
            (["classify", "predict", s, "--name", "h", "-k", "0"], "-k"),
            (["classify", "predict", s, "--name", "h", "--threshold", "nan"], "--threshold"),
            (["subword", "fit", s, "--lr", "nan"], "--lr"),
            (["subword", "fit", s, "--buckets", "0"], "--buckets"),
            (["subword", "fit", s, "--min-n", "5", "--max-n", "3"], "--max-n"),
            (["subword", "train", "--corpus", corpus, "--out", dir + "/t.json", "--vocab-size", "0"], "--vocab-size"),
        ]
        for (args, flag) in probes {
            let r = ChildProcess.wordshift(args)
            #expect(!r.crashed && r.status == 64, "\(args): status \(r.status) signal \(String(describing: r.signal)) \(r.stderr)")
            #expect(r.stderr.contains(flag), "\(args): \(r.stderr)")
        }
        #expect(Scratch.contents(dir) == ["c.txt", "l.tsv", "q.txt", "s.sqlite"])
    }

    /// A huge -k is a correct answer (every other word, ranked), not a crash.
    @Test func hugeKListsEveryWord() throws {
        let (_, s) = try HostileInput.store(60, 6)
        let r = ChildProcess.wordshift(["nearest", s, "w1", "-k", "9223372036854775807", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let parsed = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]]
        #expect((parsed?.first?["neighbors"] as? [Any])?.count == 59)
        let a = ChildProcess.wordshift(["analogy", s, "w1", "w2", "w3", "-k", "9223372036854775807", "--method", "3cosmul", "--json"])
        #expect(a.status == 0, "\(a.stderr)")
        // The library itself never traps on any k or restriction.
        let index = try VectorStore(path: s).loadIndex()
        for k in [Int.min, -1, 0, 1, 59, 60, Int.max] {
            for restrict in [nil, Int.min, -1, 0, 3, Int.max] as [Int?] {
                let n = index.nearest(to: index.unitVector(1), k: k, excluding: [1], restrict: restrict)
                let limit = max(0, min(60, restrict ?? 60))
                let available = limit > 1 ? limit - 1 : limit  // row 1 is excluded when searched
                #expect(n.count == (k <= 0 ? 0 : min(k, available)), "k \(k) restrict \(String(describing: restrict))")
                _ = index.analogy(a: 1, b: 2, c: 3, k: k, method: .mul, restrict: restrict)
                _ = index.nearestBatch(queries: index.unitVector(1), k: k, excluding: [[1]], restrict: restrict)
            }
        }
    }

    /// `--threads 10000` is clamped (and says so) instead of growing without end.
    @Test func hugeThreadCountsAreClamped() throws {
        let dir = TestData.scratchDirectory("wordshift-hardening")
        let corpus = HostileInput.corpus(in: dir)
        let r = ChildProcess.wordshift(["train", "--corpus", corpus, "--out", dir + "/t.sqlite", "--dim", "8", "--iter", "2",
                                        "--min-count", "2", "--threads", "10000", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("note: 10000 threads requested; using \(Parallel.maximumThreads)"), "\(r.stderr)")
        #expect(r.peakRSSBelow(400 << 20), "peak RSS \(r.peakRSSBytes) (runner \(r.inheritedRSSBytes))")
        let summary = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect((summary?["threads"] as? Int ?? 0) <= Parallel.maximumThreads)
        let vectors = try Scratch.file(Scratch.table(20, 4), format: .word2vecText, dir: dir)
        let quiet = ChildProcess.wordshift(["import", vectors, "--out", dir + "/q.sqlite", "--threads", "10000", "--quiet"])
        #expect(quiet.status == 0 && !quiet.stderr.contains("note:"), "\(quiet.stderr)")
    }

    /// Training that diverges stops with an error and saves nothing (no NaN store, head or table).
    @Test func divergingTrainingIsAnErrorNotANaNStore() throws {
        let (dir, s) = try HostileInput.store(60, 6)
        let corpus = HostileInput.corpus(in: dir)
        // The kernel clips every step, so no --eta the CLI accepts can overflow; without the
        // clip, a huge rate does, and the run stops at the first non-finite cost.
        var config = GloVeConfig()
        (config.dimension, config.iterations, config.minCount, config.threads) = (8, 3, 2, 1)
        (config.eta, config.gradientClip) = (1e30, 3e38)
        #expect(throws: WordshiftError.self) {
            _ = try GloVePipeline.train(corpus: [corpus], out: dir + "/nan.sqlite", config: config)
        }
        do {
            _ = try GloVePipeline.train(corpus: [corpus], out: dir + "/nan.sqlite", config: config)
        } catch let WordshiftError.invalidArgument(message) {
            #expect(message.contains("diverged in iteration 1"), "\(message)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/nan.sqlite"))
        let big = ChildProcess.wordshift(["train", "--corpus", corpus, "--out", dir + "/big.sqlite", "--dim", "8", "--iter", "3",
                                          "--min-count", "2", "--threads", "1", "--eta", "1e30", "--quiet"])
        #expect(big.status == 0, "\(big.stderr)")
        let vectors = try VectorStore(path: dir + "/big.sqlite").loadIndex()
        #expect((0..<vectors.count).allSatisfy { vectors.vector($0).allSatisfy(\.isFinite) })
        let labeled = HostileInput.labeled(in: dir)
        let head = ChildProcess.wordshift(["classify", "train", s, "--train", labeled, "--name", "h", "--lr", "1e38", "--quiet"])
        #expect(head.status == 1 && head.stderr.contains("diverged"), "\(head.stderr)")
        #expect(try HeadStore.list(VectorStore(path: s)).isEmpty)
        let fit = ChildProcess.wordshift(["subword", "fit", s, "--lr", "1e38", "--buckets", "1000", "--quiet"])
        #expect(fit.status == 1 && fit.stderr.contains("diverged"), "\(fit.stderr)")
        #expect(try NgramTable.load(from: VectorStore(path: s)) == nil)
    }

    /// Header claims are checked against the bytes that follow before anything is allocated.
    @Test func headerClaimsAreCheckedAgainstTheFileSize() throws {
        let dir = TestData.scratchDirectory("wordshift-hardening")
        let cases: [(name: String, bytes: [UInt8])] = [
            ("count.bin", HostileInput.binary(header: "1 4611686018427387904\n", rows: [("a", [1])])),
            ("dim.bin", Array("1 100000\nword ".utf8) + [UInt8](repeating: 0, count: 16)),
            ("dim.txt", Array("3 9223372036854775807\na 1 2\n".utf8)),
            ("billion.txt", Array("1 1000000000\nw 0.1 0.2\n".utf8)),
            ("model.bin", HostileInput.fastTextHeader(dim: 100_000, bucket: 100_000_000)),
        ]
        for c in cases {
            let path = Scratch.write(bytes: c.bytes, name: c.name, in: dir)
            let r = ChildProcess.wordshift(["import", path, "--out", dir + "/o.sqlite"])
            #expect(!r.crashed && r.status == 1, "\(c.name): \(r.status) \(r.stderr)")
            #expect(r.stderr.contains(c.name) && r.stderr.contains("declares"), "\(c.name): \(r.stderr)")
            #expect(r.stderr.contains("bytes follow"), "\(c.name): \(r.stderr)")
            // The old build took 1.6 GB for dim.bin and 7.8 GB for billion.txt.
            #expect(r.peakRSSBelow(200 << 20), "\(c.name): peak RSS \(r.peakRSSBytes) (runner \(r.inheritedRSSBytes))")
            #expect(r.seconds < 10, "\(c.name): \(r.seconds) s")
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/o.sqlite"))
        // A count near 2⁶³ costs nothing: rows are read as they come, and the file ends first.
        let huge = Scratch.write(bytes: HostileInput.binary(header: "9223372036854775807 2\n", rows: [("a", [1, 2])]), name: "huge.bin", in: dir)
        let r = ChildProcess.wordshift(["import", huge, "--out", dir + "/o.sqlite"])
        #expect(r.status == 1 && r.stderr.contains("file ends after 1 of 9223372036854775807 vectors"), "\(r.stderr)")
    }

    /// A text row far shorter than the header's dimension is refused before its values are
    /// allocated, and the first bad line is the one reported.
    @Test func shortRowsAreRefusedInLineOrder() {
        let path = Scratch.write("3 400000\n" + "a " + String(repeating: "1 ", count: 400_000) + "\nb 1 2\nc x\n", name: "short.txt")
        var table = VectorTable()
        #expect(throws: WordshiftError.dimensionMismatch(path: path, line: 3, expected: 400_000, found: 2)) {
            _ = try VectorFileReader.read(path: path, into: &table)
        }
    }

    @Test func resumeWithFewerIterationsThanTheCheckpointIsRefused() throws {
        let dir = TestData.scratchDirectory("wordshift-hardening")
        let corpus = HostileInput.corpus(in: dir)
        try FileManager.default.createDirectory(atPath: dir + "/ck", withIntermediateDirectories: true)
        let common = ["train", "--corpus", corpus, "--dim", "8", "--min-count", "2", "--threads", "1", "--checkpoint-dir", dir + "/ck", "--quiet"]
        let first = ChildProcess.wordshift(common + ["--out", dir + "/a.sqlite", "--iter", "4"])
        #expect(first.status == 0, "\(first.stderr)")
        let fewer = ChildProcess.wordshift(common + ["--out", dir + "/b.sqlite", "--iter", "3", "--resume"])
        #expect(fewer.status == 1 && fewer.stderr.contains("completed 4 iterations") && fewer.stderr.contains("--iter 3"), "\(fewer.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/b.sqlite"))
        // Without --resume an earlier run's checkpoint is not silently replaced.
        let fresh = ChildProcess.wordshift(common + ["--out", dir + "/c.sqlite", "--iter", "2"])
        #expect(fresh.status == 1 && fresh.stderr.contains("--resume") && fresh.stderr.contains("--force"), "\(fresh.stderr)")
        let more = ChildProcess.wordshift(common + ["--out", dir + "/d.sqlite", "--iter", "5", "--resume"])
        #expect(more.status == 0, "\(more.stderr)")
        #expect(try VectorStore(path: dir + "/d.sqlite").meta["training.iter"] == "5")
    }

    @Test func memorySizesParseWithinBounds() throws {
        #expect(try CooccurrenceOptions.parseMemory("4G") == 4 << 30)
        #expect(try CooccurrenceOptions.parseMemory("1P") == 1 << 50)
        for bad in ["99999999999G", "2P", "1e300", "inf", "nan", "-1G", "0", "G"] {
            #expect(throws: WordshiftError.self, "\(bad)") { _ = try CooccurrenceOptions.parseMemory(bad) }
        }
    }

    @Test func declaredSizesNeverOverflow() {
        #expect(DeclaredSize.product(1 << 31, 1 << 31) == 1 << 62)
        #expect(DeclaredSize.product(1 << 32, 1 << 32) == nil)
        #expect(DeclaredSize.product(-1, 5) == nil)
        #expect(DeclaredSize.sum(.max, 1) == .max)
        #expect(throws: WordshiftError.self) {
            try DeclaredSize.require(.max, of: "x", atLeast: 2, available: .max) { .invalidArgument($0) }
        }
    }
}
