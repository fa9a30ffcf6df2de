import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A `wordshift` process for tests between processes (kill a writer, run readers beside it).
/// Spawned with default dispositions for every signal it may receive (a test runner started in
/// the background ignores SIGINT, and children would inherit that), output to files so that
/// nothing blocks on a full pipe.
final class LiveProcess {
    let pid: pid_t
    let arguments: [String]
    private let stdoutPath: String
    private let stderrPath: String
    private(set) var exitStatus: Int32?
    private(set) var signal: Int32?

    /// Starts `wordshift arguments` with `environment` added to this process's environment and
    /// the file `stdin` as standard input.
    init(_ arguments: [String], environment: [String: String] = [:], stdin: String = "/dev/null",
         binary: String = TestData.cliBinary) throws {
        self.arguments = arguments
        let dir = TestData.scratchDirectory("wordshift-child")
        stdoutPath = dir + "/stdout"
        stderrPath = dir + "/stderr"
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        let argv = ([binary] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in argv { free(p) }; for p in envp { free(p) } }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigdefault(&attr, &defaults)
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigmask(&attr, &unblocked)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        var child: pid_t = 0
        let rc = posix_spawn(&child, binary, &actions, &attr, argv, envp)
        guard rc == 0 else { throw WordshiftTestError("posix_spawn \(binary): \(String(cString: strerror(rc)))") }
        pid = child
    }

    deinit {
        if exitStatus == nil && signal == nil {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
    }

    /// True once the process has exited (reaps it).
    var hasExited: Bool {
        if exitStatus != nil || signal != nil { return true }
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return false }
        record(status)
        return true
    }

    private func record(_ status: Int32) {
        if status & 0x7f == 0 { exitStatus = (status >> 8) & 0xff } else { signal = status & 0x7f }
    }

    func send(_ sig: Int32) { kill(pid, sig) }

    /// Waits for the process to end (at most `seconds`, then kills it and fails).
    @discardableResult
    func wait(seconds: Double = 120, sourceLocation: SourceLocation = #_sourceLocation) -> LiveProcess {
        if !Poll.until(seconds: seconds, { self.hasExited }) {
            Issue.record("\(arguments.joined(separator: " ")) did not finish in \(seconds) s", sourceLocation: sourceLocation)
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            record(status)
        }
        return self
    }

    var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// Runs `wordshift arguments` to completion.
    @discardableResult
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> LiveProcess {
        try LiveProcess(arguments, environment: environment).wait()
    }
}

/// Waiting for a condition between processes: poll, never sleep-and-hope.
enum Poll {
    /// Polls `condition` every 5 ms for at most `seconds`; true if it became true.
    static func until(seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(5_000)
        }
        return condition()
    }

    /// Waits until `path` exists; records an issue if it does not within `seconds`.
    @discardableResult
    static func forFile(_ path: String, seconds: Double = 120, while child: LiveProcess? = nil,
                        sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let ok = until(seconds: seconds) { FileManager.default.fileExists(atPath: path) || (child?.hasExited ?? false) }
            && FileManager.default.fileExists(atPath: path)
        if !ok {
            Issue.record("\(path) did not appear\(child.map { " (process ended: \($0.exitStatus.map(String.init) ?? "signal"), stderr: \($0.stderr))" } ?? "")",
                         sourceLocation: sourceLocation)
        }
        return ok
    }
}

struct WordshiftTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
