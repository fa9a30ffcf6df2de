import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs the `wordshift` binary as a separate process and reports what a user would see: exit
/// status (or the signal that killed it), standard output and error, and its peak resident
/// memory (from `wait4`, so the figure is that one process's own).
enum ChildProcess {
    struct Result {
        var status: Int32
        /// The signal that ended the process, if one did (a crash).
        var signal: Int32?
        var stdout: String
        var stderr: String
        var peakRSSBytes: Int
        var seconds: Double
        /// This (test) process's own peak RSS when it spawned the child. posix_spawn shares the
        /// parent's memory until exec, and Linux records that memory's high-water mark in the
        /// child's peak: a child's figure up to this value may be the test runner's, not its own.
        var inheritedRSSBytes = 0
        var crashed: Bool { signal != nil }

        /// Whether the child's own peak RSS stayed below `limit` (as far as wait4 can tell: a
        /// figure no larger than the inherited one says the child never went past the runner's).
        func peakRSSBelow(_ limit: Int) -> Bool { peakRSSBytes < limit || peakRSSBytes <= inheritedRSSBytes }
    }

    /// Runs `wordshift args…` in `directory` with `stdin` (a file path) as standard input.
    static func wordshift(_ args: [String], stdin: String? = nil, directory: String? = nil) -> Result {
        run([TestData.cliBinary] + args, stdin: stdin, directory: directory)
    }

    static func run(_ argv: [String], stdin: String? = nil, directory: String? = nil) -> Result {
        let dir = TestData.scratchDirectory("wordshift-child")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let outPath = dir + "/stdout", errPath = dir + "/stderr"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin ?? "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        // A shell `cd` keeps this portable (posix_spawn_file_actions_addchdir_np is recent).
        let command = directory.map { ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", $0] + argv } ?? argv
        var cArgs = command.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        var pid: pid_t = 0
        var own = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &own)
        let inherited = Int(own.ru_maxrss) * 1024
        let started = Date()
        let rc = posix_spawn(&pid, command[0], &actions, nil, &cArgs, environ)
        guard rc == 0 else {
            return Result(status: -1, signal: nil, stdout: "", stderr: "spawn failed: \(rc)", peakRSSBytes: 0, seconds: 0)
        }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let seconds = Date().timeIntervalSince(started)
        let out = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        let signaled = (status & 0x7F) != 0 && (status & 0x7F) != 0x7F
        return Result(status: signaled ? -1 : (status >> 8) & 0xFF, signal: signaled ? status & 0x7F : nil,
                      stdout: out, stderr: err, peakRSSBytes: Int(usage.ru_maxrss) * 1024, seconds: seconds,
                      inheritedRSSBytes: inherited)
    }
}
