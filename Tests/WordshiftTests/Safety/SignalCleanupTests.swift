import Foundation
import Testing
@testable import Wordshift
#if canImport(Glibc)
import Glibc
#endif

/// Issue 12 §8: the SIGINT/SIGTERM/SIGHUP cleanup is async-signal-safe and never drops a
/// registration (it used to stop silently after 4,096 files).
@Suite("Signal cleanup")
struct SignalCleanupTests {
    @Test("more than 4,096 registrations are all kept, and all given back")
    func manyRegistrations() {
        // Other tests register files at the same time: count this test's own paths only.
        let paths = (0..<10_000).map { "/nonexistent-wordshift-test/\(UUID().uuidString)-\($0)" }
        for p in paths { TemporaryFiles.register(p) }
        #expect(SignalCleanup.published >= 10_000)
        #expect(paths.allSatisfy { SignalCleanup.contains($0) })
        for p in paths { TemporaryFiles.unregister(p) }
        #expect(!paths.contains { SignalCleanup.contains($0) })
    }

    @Test("threads registering and unregistering at once leave the table consistent")
    func concurrentRegistrations() {
        let threads = 4, each = 2_000
        let tag = UUID().uuidString
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            for i in 0..<each {
                TemporaryFiles.register("/nonexistent-wordshift-test/\(tag)-\(t)-\(i)")
                // Every other path is taken back at once: slots are freed and reused under way.
                if i % 2 == 1 { TemporaryFiles.unregister("/nonexistent-wordshift-test/\(tag)-\(t)-\(i)") }
            }
        }
        let kept = (0..<threads).flatMap { t in stride(from: 0, to: each, by: 2).map { "/nonexistent-wordshift-test/\(tag)-\(t)-\($0)" } }
        let dropped = (0..<threads).flatMap { t in stride(from: 1, to: each, by: 2).map { "/nonexistent-wordshift-test/\(tag)-\(t)-\($0)" } }
        #expect(kept.allSatisfy { SignalCleanup.contains($0) })
        #expect(!dropped.contains { SignalCleanup.contains($0) })
        for t in 0..<threads {
            for i in stride(from: 0, to: each, by: 2) { TemporaryFiles.unregister("/nonexistent-wordshift-test/\(tag)-\(t)-\(i)") }
        }
        #expect(!kept.contains { SignalCleanup.contains($0) })
    }

    @Test("a registered path is removed on the signal, and the process dies of that signal",
          arguments: [SIGTERM, SIGINT, SIGHUP])
    func signalRemovesFiles(_ sig: Int32) throws {
        let dir = TestData.scratchDirectory("wordshift-signal")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // 5,000 files (past the old 4,096 limit) while two threads churn the table.
        let probe = try LiveProcess([dir, "5000", "2"], binary: TestData.binary("wordshift-signal-probe"))
        guard Poll.forFile(dir + "/ready", seconds: 60, while: probe) else { return }
        let made = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix("temporary-") }
        #expect(made.count == 5_000)
        probe.send(sig)
        probe.wait(seconds: 30)
        #expect(probe.signal == sig, "exit \(String(describing: probe.exitStatus)), stderr: \(probe.stderr)")
        let left = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix("temporary-") }
        #expect(left.isEmpty, "\(left.count) temporary files left after signal \(sig)")
    }

    @Test("a signal the process ignores stays ignored")
    func ignoredSignalStaysIgnored() throws {
        // The test runner may itself run with SIGHUP ignored (nohup); the probe is spawned with
        // default dispositions, so this checks the handler's rule on a fresh process instead.
        let dir = TestData.scratchDirectory("wordshift-signal")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var ignore = sigaction()
        ignore.__sigaction_handler.sa_handler = SIG_IGN
        var previous = sigaction()
        sigaction(SIGHUP, &ignore, &previous)
        defer { sigaction(SIGHUP, &previous, nil) }
        // Spawned with SIGHUP ignored (posix_spawn keeps ignored signals unless told otherwise).
        let probe = try SpawnedIgnoringHangup(binary: TestData.binary("wordshift-signal-probe"), arguments: [dir, "10", "0"])
        guard Poll.until(seconds: 60, { FileManager.default.fileExists(atPath: dir + "/ready") }) else {
            Issue.record("probe did not start")
            probe.kill(SIGKILL)
            return
        }
        probe.kill(SIGHUP)
        usleep(200_000)
        #expect(probe.isRunning, "an ignored SIGHUP ended the process")
        probe.kill(SIGTERM)
        #expect(probe.waitSignal() == SIGTERM)
        let left = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix("temporary-") }
        #expect(left.isEmpty)
    }
}

/// A child spawned with this process's dispositions (SIGHUP ignored), unlike `LiveProcess`.
private final class SpawnedIgnoringHangup {
    let pid: pid_t
    private var status: Int32?

    init(binary: String, arguments: [String]) throws {
        let argv = ([binary] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigmask(&attr, &unblocked)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK))
        var child: pid_t = 0
        let rc = posix_spawn(&child, binary, nil, &attr, argv, environ)
        guard rc == 0 else { throw WordshiftTestError("posix_spawn \(binary): \(String(cString: strerror(rc)))") }
        pid = child
    }

    deinit { if status == nil { Glibc.kill(pid, SIGKILL); var s: Int32 = 0; waitpid(pid, &s, 0) } }

    func kill(_ sig: Int32) { Glibc.kill(pid, sig) }

    var isRunning: Bool {
        if status != nil { return false }
        var s: Int32 = 0
        if waitpid(pid, &s, WNOHANG) == pid { status = s; return false }
        return true
    }

    /// Waits for the end (at most 30 s); the signal that ended it, or nil after a normal exit.
    func waitSignal() -> Int32? {
        if !Poll.until(seconds: 30, { !self.isRunning }) { Glibc.kill(pid, SIGKILL); return nil }
        guard let s = status, s & 0x7f != 0 else { return nil }
        return s & 0x7f
    }
}
