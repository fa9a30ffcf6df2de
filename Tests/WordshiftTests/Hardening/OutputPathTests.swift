import Foundation
import Testing
@testable import Wordshift

/// Issue 12 §3: no writing command replaces an existing file without `--force`, none ever
/// writes over one of its own inputs (compared by device and inode), and the output directory
/// is checked before any work.
@Suite("Hardening: outputs")
struct OutputPathTests {
    func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    @Test func existingOutputsNeedForce() throws {
        let (dir, s) = try HostileInput.store()
        let corpus = HostileInput.corpus(in: dir)
        let before = bytes(s)
        let vocab = Scratch.write("the 10\ncat 5\n", name: "vocab.txt", in: dir)
        let other = Scratch.write("keep me\n", name: "other.txt", in: dir)
        let probes: [[String]] = [
            ["export", s, "--format", "glove", "--out", other],
            ["train", "--corpus", corpus, "--out", s, "--dim", "4", "--min-count", "2"],
            ["train", "vocab", "--corpus", corpus, "--out", s],
            ["train", "cooccur", "--corpus", corpus, "--out", s],
            ["train", "cooccur", "--corpus", corpus, "--out", dir + "/new.bin", "--write-vocab", other],
            ["train", "glove", "--vocab", vocab, "--cooccur", dir + "/missing.bin", "--out", s],
            ["import", other, "--out", s],
            ["subword", "train", "--corpus", corpus, "--out", other.replacingOccurrences(of: ".txt", with: ".json")],
        ]
        _ = Scratch.write("{}", name: "other.json", in: dir)
        for args in probes {
            let r = ChildProcess.wordshift(args + ["--quiet"])
            #expect(r.status == 1 && r.stderr.contains("exists; pass --force"), "\(args): \(r.stderr)")
        }
        #expect(bytes(s) == before)
        #expect(bytes(other) == Data("keep me\n".utf8))
        // --force replaces (atomically) the file that was there.
        let forced = ChildProcess.wordshift(["export", s, "--format", "glove", "--out", other, "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(bytes(other)?.starts(with: Data("w0 ".utf8)) == true)
    }

    @Test func aCommandNeverWritesOverItsOwnInput() throws {
        let (dir, s) = try HostileInput.store()
        let corpus = HostileInput.corpus(in: dir)
        try FileManager.default.linkItem(atPath: corpus, toPath: dir + "/hard.txt")
        try FileManager.default.createSymbolicLink(atPath: dir + "/soft.sqlite", withDestinationPath: s)
        let storeBefore = bytes(s), corpusBefore = bytes(corpus)
        let probes: [[String]] = [
            ["export", s, "--format", "glove", "--out", s, "--force"],            // the store becomes text
            ["export", s, "--format", "glove", "--out", dir + "/./s.sqlite", "--force"],
            ["export", dir + "/soft.sqlite", "--format", "glove", "--out", s, "--force"],
            ["train", "--corpus", corpus, "--out", corpus, "--force"],
            ["train", "--corpus", dir + "/hard.txt", "--out", corpus, "--force"],  // another name for it
            ["train", "--corpus", dir, "--out", corpus, "--force"],                // inside a corpus directory
            ["train", "vocab", "--corpus", corpus, "--out", dir + "/hard.txt", "--force"],
            ["train", "--corpus", corpus, "--out", s, "--init-from", s, "--force"],
            ["import", s, "--out", dir + "/soft.sqlite", "--force"],
        ]
        for args in probes {
            let r = ChildProcess.wordshift(args + ["--quiet"])
            #expect(r.status == 1 && r.stderr.contains("is one of this command's inputs"), "\(args): \(r.stderr)")
        }
        #expect(bytes(s) == storeBefore && bytes(corpus) == corpusBefore)
        #expect(Scratch.contents(dir) == ["c.txt", "hard.txt", "s.sqlite", "soft.sqlite"])
    }

    /// A missing or read-only directory is reported at once, before any work, naming the
    /// output (not a temporary file).
    @Test func theOutputDirectoryIsCheckedFirst() throws {
        let dir = TestData.scratchDirectory("wordshift-out")
        let corpus = HostileInput.corpus(in: dir, lines: 5000)
        let missing = dir + "/no/such/dir/out.sqlite"
        let r = ChildProcess.wordshift(["train", "--corpus", corpus, "--out", missing, "--dim", "4", "--min-count", "1"])
        #expect(r.status == 1 && r.stderr.contains("\(missing): cannot write here: the directory \(dir)/no/such/dir does not exist"), "\(r.stderr)")
        #expect(!r.stderr.contains("wordshift-tmp-") && !r.stderr.contains("vocabulary:"), "work started: \(r.stderr)")
        if getuid() != 0 {  // root may write anywhere
            try FileManager.default.createDirectory(atPath: dir + "/ro", withIntermediateDirectories: false)
            chmod(dir + "/ro", 0o555)
            let ro = ChildProcess.wordshift(["train", "vocab", "--corpus", corpus, "--out", dir + "/ro/v.txt"])
            #expect(ro.status == 1 && ro.stderr.contains("not writable"), "\(ro.stderr)")
        }
        let isDir = ChildProcess.wordshift(["train", "vocab", "--corpus", corpus, "--out", dir, "--force"])
        #expect(isDir.status == 1 && isDir.stderr.contains("is a directory"), "\(isDir.stderr)")
    }

    /// A second `demo` queries what the first trained instead of replacing it.
    @Test func aSecondDemoReusesTheFirstOnesStore() throws {
        let dir = TestData.scratchDirectory("wordshift-out")
        let corpus = HostileInput.corpus(in: dir)
        let args = ["demo", "--corpus", corpus, "--out", dir + "/demo.sqlite", "--dim", "8", "--iter", "2", "--threads", "1",
                    "--query", "cat", "--quiet"]
        let first = ChildProcess.wordshift(args)
        #expect(first.status == 0 && first.stdout.contains("Training"), "\(first.stderr)")
        let stored = bytes(dir + "/demo.sqlite")
        let second = ChildProcess.wordshift(args)
        #expect(second.status == 0 && second.stdout.contains("Using the vectors trained earlier") && second.stdout.contains("cat:"),
                "\(second.stdout) \(second.stderr)")
        #expect(bytes(dir + "/demo.sqlite") == stored)
    }

    @Test func outputPathRules() throws {
        let dir = TestData.scratchDirectory("wordshift-out")
        let a = Scratch.write("x", name: "a.txt", in: dir)
        #expect(throws: WordshiftError.self) { try OutputPath.check(a, force: false) }
        try OutputPath.check(a, force: true)
        try OutputPath.check(dir + "/new.txt", force: false, inputs: [a, "-", dir + "/absent"])
        #expect(throws: WordshiftError.self) { try OutputPath.check("-", force: true) }
        #expect(throws: WordshiftError.self) { try OutputPath.checkDistinct([("--a", dir + "/x"), ("--b", dir + "/./x")]) }
        try OutputPath.checkDistinct([("--a", dir + "/x"), ("--b", dir + "/y")])
        #expect(OutputPath.parent(of: "x.txt") == "." && OutputPath.parent(of: "/x") == "/" && OutputPath.parent(of: "a/b/c") == "a/b")
    }
}
