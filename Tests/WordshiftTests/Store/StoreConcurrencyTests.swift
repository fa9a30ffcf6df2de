import Foundation
import Testing
@testable import Wordshift
#if canImport(Glibc)
import Glibc
#endif

/// Readers and writers of one store in separate processes (issue 12 §4, §5): an update killed
/// at its commit never locks the store, readers never fail because of a writer, writers wait
/// their turn, and a store at rest is one file. Writers are held inside their transaction
/// with the debug-build hook `WORDSHIFT_TEST_PAUSE_BEFORE_COMMIT` (Support/TestHooks.swift).
@Suite struct StoreConcurrencyTests {
    /// A directory with a 2,000-word store `s.sqlite` and labelled text `train.tsv` over its words.
    struct Fixture {
        let dir: String
        var store: String { dir + "/s.sqlite" }
        var train: String { dir + "/train.tsv" }
        /// Hook files live apart from the store, so that the store's directory shows only the store.
        let control = TestData.scratchDirectory("wordshift-hooks")
        var marker: String { control + "/paused" }

        init(dimension: Int = 16) throws {
            dir = TestData.scratchDirectory("wordshift-concurrency")
            let table = Scratch.table(2_000, dimension)
            let w = try StoreWriter(path: dir + "/s.sqlite", dimension: dimension)
            for i in 0..<table.count {
                try Array(table.vector(i)).withUnsafeBufferPointer { try w.add(word: table.words[i], count: nil, vector: $0) }
            }
            try w.finish()
            var lines = ""
            for i in 0..<80 {
                let label = i % 2 == 0 ? "pos" : "neg"
                let base = i % 2 == 0 ? 0 : 1_000
                lines += "\(label)\tw\(base + i) w\(base + i + 1) w\(base + i + 2)\n"
            }
            _ = Scratch.write(lines, name: "train.tsv", in: dir)
        }

        /// Files in the directory other than the training data.
        var storeFiles: [String] { Scratch.contents(dir).filter { $0 != "train.tsv" } }

        func heads() throws -> [String] {
            let r = try LiveProcess.run(["classify", "list", store, "--json"])
            #expect(r.exitStatus == 0, "classify list: \(r.stderr)")
            let list = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]] ?? []
            return list.compactMap { $0["name"] as? String }.sorted()
        }

        func hasSubwords() throws -> Bool {
            let r = try LiveProcess.run(["info", store, "--json"])
            #expect(r.exitStatus == 0, "info: \(r.stderr)")
            let info = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
            return (info?["meta"] as? [String: String])?["subword.kind"] != nil
        }

        func train(_ name: String, environment: [String: String] = [:]) throws -> LiveProcess {
            try LiveProcess(["classify", "train", store, "--train", train, "--name", name, "--epochs", "2", "--quiet"],
                             environment: environment)
        }
    }

    @Test func readersKeepWorkingWhileAnUpdateIsOpenAndTheStoreIsOneFileAfterwards() throws {
        // 300 dimensions: the n-gram table (~12 MB) outgrows SQLite's page cache, so a
        // rollback-journal writer would hold the exclusive lock from its first spill on.
        let f = try Fixture(dimension: 300)
        let writer = try LiveProcess(["subword", "fit", f.store, "--buckets", "5000", "--epochs", "1", "--quiet"],
                                      environment: ["WORDSHIFT_TEST_PAUSE_BEFORE_COMMIT": f.marker])
        guard Poll.forFile(f.marker, while: writer) else { return }
        // The writer has written its whole table and holds the write lock.
        for word in ["w1", "w2", "w3"] {
            let r = try LiveProcess.run(["nearest", f.store, word, "-k", "3", "--quiet"])
            #expect(r.exitStatus == 0, "nearest while a writer commits: \(r.stderr)")
        }
        #expect(try !f.hasSubwords(), "readers see the last committed state")
        try FileManager.default.removeItem(atPath: f.marker)
        writer.wait()
        #expect(writer.exitStatus == 0, "\(writer.stderr)")
        #expect(try f.hasSubwords())
        #expect(f.storeFiles == ["s.sqlite"], "a store at rest is one file")
        #expect(SQLiteFile.isWAL(f.store) == false, "the writer returned the store to a rollback journal")
    }

    @Test(arguments: [SIGKILL, SIGTERM, SIGINT])
    func aWriterKilledAtItsCommitLeavesTheStoreReadableAndUnchanged(signal: Int32) throws {
        let f = try Fixture()
        let writer = try f.train("killed", environment: ["WORDSHIFT_TEST_PAUSE_BEFORE_COMMIT": f.marker])
        guard Poll.forFile(f.marker, while: writer) else { return }
        writer.send(signal)
        writer.wait()
        #expect(writer.signal == signal, "the writer died of signal \(signal)")
        #expect(try f.heads() == [], "the interrupted update is rolled back")
        let near = try LiveProcess.run(["nearest", f.store, "w5", "-k", "2", "--quiet"])
        #expect(near.exitStatus == 0, "\(near.stderr)")
        #expect(f.storeFiles == ["s.sqlite"], "the first reader cleaned up after the killed writer")
        try? FileManager.default.removeItem(atPath: f.marker)
        let again = try f.train("kept").wait()
        #expect(again.exitStatus == 0, "\(again.stderr)")
        #expect(try f.heads() == ["kept"])
    }

    @Test func writersWaitTheirTurnAndNoTrainingIsLostAtCommit() throws {
        let f = try Fixture()
        let first = try f.train("first", environment: ["WORDSHIFT_TEST_PAUSE_BEFORE_COMMIT": f.marker])
        guard Poll.forFile(f.marker, while: first) else { return }
        let waiting = f.control + "/waiting"
        let second = try f.train("second", environment: ["WORDSHIFT_TEST_MARK_WAITING_FOR_LOCK": waiting])
        // The second writer has trained and now waits for the lock the first one holds.
        guard Poll.forFile(waiting, while: second) else { return }
        #expect(!second.hasExited)
        // Readers are not held up by either.
        let near = try LiveProcess.run(["nearest", f.store, "w7", "-k", "2", "--quiet"])
        #expect(near.exitStatus == 0, "\(near.stderr)")
        try FileManager.default.removeItem(atPath: f.marker)
        first.wait(); second.wait()
        #expect(first.exitStatus == 0, "\(first.stderr)")
        #expect(second.exitStatus == 0, "\(second.stderr)")
        #expect(try f.heads() == ["first", "second"])
        #expect(f.storeFiles == ["s.sqlite"])
    }

    @Test func concurrentWritersAndAReaderLoopAllSucceed() throws {
        let f = try Fixture()
        let writers = try (0..<4).map { try f.train("h\($0)") }
        var readerFailures: [String] = []
        while !writers.allSatisfy(\.hasExited) {
            let r = try LiveProcess.run(["nearest", f.store, "w9", "-k", "1", "--quiet"])
            if r.exitStatus != 0 { readerFailures.append(r.stderr) }
        }
        for w in writers { w.wait(); #expect(w.exitStatus == 0, "\(w.stderr)") }
        #expect(readerFailures == [])
        #expect(try f.heads() == ["h0", "h1", "h2", "h3"])
        #expect(f.storeFiles == ["s.sqlite"])
    }

    @Test func aWriterThatCannotGetTheLockSaysWhyWithoutTouchingTheStore() throws {
        let f = try Fixture()
        let holder = try LiveProcess(["subword", "fit", f.store, "--buckets", "5000", "--epochs", "1", "--quiet"],
                                      environment: ["WORDSHIFT_TEST_PAUSE_BEFORE_COMMIT": f.marker])
        guard Poll.forFile(f.marker, while: holder) else { return }
        let impatient = try f.train("impatient", environment: ["WORDSHIFT_LOCK_TIMEOUT": "0.2"]).wait()
        #expect(impatient.exitStatus != 0)
        #expect(impatient.stderr.contains("locked by another process"), "\(impatient.stderr)")
        try FileManager.default.removeItem(atPath: f.marker)
        holder.wait()
        #expect(holder.exitStatus == 0, "\(holder.stderr)")
        #expect(try f.heads() == [])
        #expect(try f.hasSubwords())
    }

    /// What kill -9 leaves behind a writer in rollback-journal mode (the mode of every store at
    /// rest, and of stores written by earlier versions): the store file with some pages
    /// already overwritten and a hot `-journal`. A copy of both files taken inside the
    /// transaction is exactly that state.
    @Test func aHotJournalIsRolledBackByTheNextReader() throws {
        let f = try Fixture()
        let before = try VectorStore(path: f.store).loadWords().words
        let crashed = f.dir + "/crashed"
        try FileManager.default.createDirectory(atPath: crashed, withIntermediateDirectories: true)
        do {
            let db = try SQLiteConnection(path: f.store, mode: .writer)
            try db.execute("PRAGMA journal_mode=DELETE; PRAGMA cache_size=2")
            try db.execute("BEGIN IMMEDIATE")
            try db.execute("DELETE FROM words WHERE id < 1000; UPDATE meta SET value = 'x' WHERE key = 'dimension'")
            try db.execute("CREATE TABLE filler(x BLOB); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200) INSERT INTO filler SELECT zeroblob(4000) FROM n")
            #expect(FileManager.default.fileExists(atPath: f.store + "-journal"))
            for name in ["s.sqlite", "s.sqlite-journal"] {
                try FileManager.default.copyItem(atPath: f.dir + "/" + name, toPath: crashed + "/" + name)
            }
            try db.execute("ROLLBACK")
        }
        let store = try VectorStore(path: crashed + "/s.sqlite")
        #expect(store.dimension == 16)
        #expect(try store.loadWords().words == before)
        #expect(!FileManager.default.fileExists(atPath: crashed + "/s.sqlite-journal"))
    }

    @Test func aHotJournalThatCannotBeRolledBackIsExplained() throws {
        guard UnprivilegedRun.isPossible else { return }
        let f = try Fixture()
        let ro = f.dir + "/ro"
        try FileManager.default.createDirectory(atPath: ro, withIntermediateDirectories: true)
        do {
            let db = try SQLiteConnection(path: f.store, mode: .writer)
            try db.execute("PRAGMA journal_mode=DELETE; PRAGMA cache_size=2; BEGIN IMMEDIATE; DELETE FROM words WHERE id < 1000")
            try db.execute("CREATE TABLE filler(x BLOB); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200) INSERT INTO filler SELECT zeroblob(4000) FROM n")
            for name in ["s.sqlite", "s.sqlite-journal"] { try FileManager.default.copyItem(atPath: f.dir + "/" + name, toPath: ro + "/" + name) }
            try db.execute("ROLLBACK")
        }
        try UnprivilegedRun.makeReadOnly(ro)
        let r = try UnprivilegedRun.wordshift(["info", ro + "/s.sqlite"])
        #expect(r.exitStatus != 0)
        #expect(r.stderr.contains("interrupted update") && r.stderr.contains("write access"), "\(r.stderr)")
    }

    /// A store whose header says WAL (left by an update that had readers beside it at its end)
    /// copied into a directory nobody may write: SQLite cannot create the `-shm` file, and the
    /// reader must still answer.
    @Test func aWALStoreInAReadOnlyDirectoryIsReadable() throws {
        guard UnprivilegedRun.isPossible else { return }
        let f = try Fixture()
        do {
            let db = try SQLiteConnection(path: f.store, mode: .writer)
            #expect(try db.pragmaString("journal_mode=WAL") == "wal")
        }
        #expect(SQLiteFile.isWAL(f.store))
        let ro = f.dir + "/ro"
        try FileManager.default.createDirectory(atPath: ro, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: f.store, toPath: ro + "/s.sqlite")
        try UnprivilegedRun.makeReadOnly(ro)
        let r = try UnprivilegedRun.wordshift(["nearest", ro + "/s.sqlite", "w3", "-k", "2", "--json"])
        #expect(r.exitStatus == 0, "\(r.stderr)")
        #expect(r.stdout.contains("w3"))
        #expect(Scratch.contents(ro) == ["s.sqlite"])
    }
}

/// Running the CLI without write permission on a directory. As root, permissions do not bind,
/// so the process drops to `nobody` through `setpriv`; otherwise `chmod` is enough.
enum UnprivilegedRun {
    static let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].first { FileManager.default.isExecutableFile(atPath: $0) }

    static var isPossible: Bool {
        let ok = getuid() != 0 || setpriv != nil
        if !ok { Issue.record("running as root without setpriv: cannot test a read-only directory here") }
        return ok
    }

    /// Runs `wordshift arguments` to completion without root's powers.
    static func wordshift(_ arguments: [String]) throws -> LiveProcess {
        guard getuid() == 0, let setpriv else { return try LiveProcess.run(arguments) }
        return try LiveProcess(["--reuid=65534", "--regid=65534", "--clear-groups", TestData.cliBinary] + arguments,
                                binary: setpriv).wait()
    }

    /// Makes `dir` and its files read-only.
    static func makeReadOnly(_ dir: String) throws {
        for name in Scratch.contents(dir) { chmod(dir + "/" + name, 0o444) }
        chmod(dir, 0o555)
    }
}
