import Foundation
import Testing
@testable import Wordshift
#if canImport(Glibc)
import Glibc
#endif

/// The import's source hash: computed by an idle-priority thread and finished by the caller.
@Suite struct BackgroundFileHashTests {
    /// A file of `megabytes` MiB of seeded bytes (several 1 MiB blocks, so both threads can take part).
    func file(megabytes: Int, in dir: String) throws -> String {
        var rng = SeededRandom(seed: 11)
        var bytes = [UInt8](repeating: 0, count: megabytes << 20)
        for i in bytes.indices { bytes[i] = UInt8(truncatingIfNeeded: rng.next()) }
        let path = dir + "/data.bin"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The digest equals the one-thread SHA-256 whether the idle thread did all, some or none of
    /// the blocks before the caller took over, and a second call gives it again.
    @Test func digestIsTheFilesSHA256WheneverTheCallerTakesOver() throws {
        let dir = TestData.scratchDirectory()
        let path = try file(megabytes: 9, in: dir)
        let expected = try SHA256Hasher.hashFile(path)
        #expect(try BackgroundFileHash(path: path).result() == expected)  // at once: the caller does (almost) all
        let later = BackgroundFileHash(path: path)
        usleep(20_000)
        #expect(try later.result() == expected)
        #expect(try later.result() == expected)
    }

    /// A missing file is the caller's error, named, when it asks; dropping an unfinished hash
    /// returns (the idle thread stops after its block).
    @Test func missingFileFailsWhenAskedAndDroppingDoesNotHang() throws {
        let dir = TestData.scratchDirectory()
        do {
            _ = try BackgroundFileHash(path: dir + "/missing.bin").result()
            Issue.record("a missing file gave a digest")
        } catch let error as WordshiftError {
            #expect("\(error)".contains("missing.bin"))
        }
        let path = try file(megabytes: 4, in: dir)
        for _ in 0..<5 { _ = BackgroundFileHash(path: path) }
    }

    /// The job runs under SCHED_IDLE on Linux, and waiting twice returns.
    @Test func idleThreadRunsItsJobAtIdlePriority() {
        let policy = Locked<Int32>(-1)
        let thread = IdleThread {
            #if os(Linux)
            policy.withLock { $0 = sched_getscheduler(0) }
            #endif
        }
        thread.wait()
        thread.wait()
        #if os(Linux)
        #expect(policy.value == 5)  // SCHED_IDLE
        #endif
    }
}
