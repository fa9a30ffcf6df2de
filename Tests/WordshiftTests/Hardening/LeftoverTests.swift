import Foundation
import Testing
@testable import Wordshift
#if canImport(Glibc)
import Glibc
#endif

/// Issue 12 §6: temporary files honour `$TMPDIR` or sit next to their output, and what a
/// process killed with SIGKILL left behind is removed by the next process working in the same
/// directory, while files of live processes are never touched (liveness is a flock, not a pid).
/// Processes are paused at debug-build hooks (Support/TestHooks.swift) and killed there.
@Suite("Hardening: leftovers")
struct LeftoverTests {
    /// A tag of a process that does not exist, and one that reuses a live pid (this one's).
    static let deadTag = "999999999-00000000000000aa"
    static var reusedPidTag: String { "\(getpid())-00000000000000bb" }

    func touch(_ path: String) { _ = FileManager.default.createFile(atPath: path, contents: Data("x".utf8)) }

    @Test func namesCarryTheProcessTag() {
        let sibling = TemporaryFileOwner.sibling(of: "/d/out.sqlite")
        #expect(sibling.hasPrefix("/d/out.sqlite.wordshift-tmp-\(getpid())-"))
        #expect(TemporaryFileOwner.tag(inName: sibling) == TemporaryFileOwner.tag)
        #expect(TemporaryFileOwner.tag(inName: "wordshift-tmp-\(Self.deadTag)-3-cooc-0.run") == Self.deadTag)
        #expect(TemporaryFileOwner.tag(inName: "a.wordshift-tmp-\(Self.deadTag)-2-journal") == Self.deadTag)
        for name in ["out.sqlite.tmp-12-345", "wordshift-tmp-12-xyz", "wordshift-tmp--00000000000000aa",
                     "wordshift-tmp-1-00000000000000aaa", "wordshift-tmp-1-00000000000000AA", "notes.txt"] {
            #expect(TemporaryFileOwner.tag(inName: name) == nil, "\(name)")
        }
    }

    @Test func theSweepRemovesFilesOfDeadOwnersOnly() throws {
        let dir = TestData.scratchDirectory("wordshift-sweep")
        let dead = ["s.sqlite.wordshift-tmp-\(Self.deadTag)-1", "s.sqlite.wordshift-tmp-\(Self.deadTag)-1-journal",
                    "wordshift-tmp-\(Self.deadTag).lock", "wordshift-tmp-\(Self.deadTag)-2-stdin"]
        // A live pid (this process) with another random part and no lock: a reused pid.
        let reused = ["v.txt.wordshift-tmp-\(Self.reusedPidTag)-1", "wordshift-tmp-\(Self.reusedPidTag).lock"]
        // Held: an owner that holds its lock file (a separate open file: flock conflicts).
        let liveTag = "12345-00000000000000cc"
        let live = ["x.bin.wordshift-tmp-\(liveTag)-4", "wordshift-tmp-\(liveTag).lock"]
        let foreign = ["out.sqlite.tmp-1-2", "wordshift-tmp-1-zz", "keep.txt"]
        for name in dead + reused + live + foreign { touch(dir + "/" + name) }
        try FileManager.default.createDirectory(atPath: dir + "/wordshift-tmp-\(Self.deadTag)-9", withIntermediateDirectories: false)
        let held = open(dir + "/wordshift-tmp-\(liveTag).lock", O_RDONLY)
        #expect(held >= 0 && flock(held, LOCK_EX | LOCK_NB) == 0)
        defer { close(held) }

        let removed = TemporaryFileOwner.removeStaleFiles(in: dir)
        #expect(removed == (dead + reused).sorted())
        #expect(Scratch.contents(dir) == (live + foreign + ["wordshift-tmp-\(Self.deadTag)-9"]).sorted())
    }

    @Test func aProcessHoldsOneLockFilePerDirectoryWhileItHasTemporaryFiles() throws {
        let dir = TestData.scratchDirectory("wordshift-owner")
        let lock = "wordshift-tmp-\(TemporaryFileOwner.tag).lock"
        let a = TemporaryFileOwner.sibling(of: dir + "/a.sqlite"), b = TemporaryFileOwner.scratch(in: dir, kind: "b.run")
        TemporaryFiles.register(a)
        TemporaryFiles.register(b)
        touch(a); touch(b)
        #expect(Scratch.contents(dir).contains(lock))
        // Another process sweeping now finds the lock held: a separate open file cannot take it.
        let probe = open(dir + "/" + lock, O_RDONLY)
        #expect(probe >= 0 && flock(probe, LOCK_EX | LOCK_NB) != 0)
        close(probe)
        try TemporaryFiles.moveIntoPlace(a, to: dir + "/a.sqlite")
        #expect(Scratch.contents(dir).contains(lock), "b is still registered")
        TemporaryFiles.remove(b)
        #expect(Scratch.contents(dir) == ["a.sqlite"], "the lock file goes with the last temporary file")
    }

    // MARK: real processes, killed with SIGKILL

    struct Dirs {
        let out = TestData.scratchDirectory("wordshift-leftover-out")
        let temp = TestData.scratchDirectory("wordshift-leftover-tmp")
        let control = TestData.scratchDirectory("wordshift-leftover-hooks")
        var marker: String { control + "/paused" }

        /// Runs `arguments` with `$TMPDIR` = `temp`, paused at `point`, and kills it there with SIGKILL.
        func killAt(_ point: String, _ arguments: [String], stdin: String = "/dev/null") throws -> pid_t? {
            try? FileManager.default.removeItem(atPath: marker)
            let p = try LiveProcess(arguments, environment: ["TMPDIR": temp, "WORDSHIFT_TEST_PAUSE_" + point: marker], stdin: stdin)
            guard Poll.forFile(marker, while: p) else { return nil }
            p.send(SIGKILL)
            p.wait()
            #expect(p.signal == SIGKILL)
            return p.pid
        }

        func run(_ arguments: [String], stdin: String = "/dev/null") throws {
            let p = try LiveProcess(arguments, environment: ["TMPDIR": temp], stdin: stdin).wait()
            #expect(p.exitStatus == 0, "\(arguments): \(p.stderr)")
        }
    }

    func vectors(in dir: String) throws -> String {
        try Scratch.file(Scratch.table(3_000, 8), format: .word2vecText, name: "v.txt", dir: dir)
    }

    func tagged(_ dir: String, pid: pid_t) -> [String] {
        Scratch.contents(dir).filter { $0.contains("wordshift-tmp-\(pid)-") }
    }

    @Test func aKilledImportLeavesNothingOnceTheNextOneRan() throws {
        let d = Dirs()
        let input = try vectors(in: d.out)
        guard let pid = try d.killAt("STORE_ROWS", ["import", input, "--out", d.out + "/s.sqlite", "--quiet"]) else { return }
        // The killed process left its store under construction and its lock file (the test can fail).
        #expect(tagged(d.out, pid: pid).count == 2, "\(Scratch.contents(d.out))")
        try d.run(["import", input, "--out", d.out + "/s.sqlite", "--quiet"])
        #expect(Scratch.contents(d.out) == ["s.sqlite", "v.txt"])
        #expect(Scratch.contents(d.temp).isEmpty)
    }

    @Test func standardInputIsSpooledUnderTMPDIRAndCleanedUpAfterACrash() throws {
        let d = Dirs()
        let input = try vectors(in: d.control)
        guard let pid = try d.killAt("SPOOLED", ["import", "-", "--out", d.out + "/s.sqlite", "--quiet"], stdin: input) else { return }
        let spool = tagged(d.temp, pid: pid)
        #expect(spool.contains { $0.hasSuffix("-stdin") }, "\(spool)")
        #expect(tagged("/tmp", pid: pid).isEmpty, "nothing in /tmp when $TMPDIR is set")
        try d.run(["import", "-", "--out", d.out + "/t.sqlite", "--quiet"], stdin: input)
        #expect(Scratch.contents(d.temp).isEmpty, "\(Scratch.contents(d.temp))")
        #expect(Scratch.contents(d.out) == ["t.sqlite"], "\(Scratch.contents(d.out))")
    }

    @Test func killedTrainingLeavesNoTokenStreamAndItsSpillFilesGoNextTime() throws {
        let d = Dirs()
        // About 1,000 distinct words: far more pairs than 64 KB holds.
        var rng = SeededRandom(seed: 3)
        var text = ""
        for _ in 0..<400 { text += (0..<20).map { _ in "w\(rng.next(below: 1_000))" }.joined(separator: " ") + "\n" }
        let corpus = Scratch.write(text, name: "c.txt", in: d.control)
        let args = ["train", "--corpus", corpus, "--dim", "4", "--min-count", "2", "--iter", "1", "--memory", "64K",
                    "--threads", "1", "--quiet"]
        guard let pid = try d.killAt("TRAINING", args + ["--out", d.out + "/s.sqlite"]) else { return }
        let left = tagged(d.temp, pid: pid)
        #expect(left.contains { $0.hasSuffix(".strat") }, "pairs out of core: \(left)")
        #expect(!left.contains { $0.contains("tokens") }, "the token stream is unlinked while in use: \(left)")
        #expect(Scratch.contents(d.temp) == left)
        try d.run(args + ["--out", d.out + "/t.sqlite"])
        #expect(Scratch.contents(d.temp).isEmpty, "\(Scratch.contents(d.temp))")
        #expect(Scratch.contents(d.out) == ["t.sqlite"], "\(Scratch.contents(d.out))")
    }
}
