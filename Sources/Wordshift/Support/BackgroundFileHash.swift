/// The SHA-256 of a file, computed on an idle-priority thread (`IdleThread`) while the caller
/// does other work, and finished on the caller's thread when it asks for the result.
///
/// `wordshift import` hashes its source this way: the hash takes the cycles the parser and the
/// writer leave, above all the core that idles while SQLite builds the word index on one thread
/// (BENCHMARKS.md §1). The file is read in 1 MiB blocks under a lock; `result()` stops the idle
/// thread after its current block and hashes the rest itself, at the caller's priority, so the
/// hash never waits for idle cycles that other work does not leave.
package final class BackgroundFileHash: @unchecked Sendable {
    private let state: Locked<State>
    private var thread: IdleThread?

    /// Opens `path` and starts hashing it; a file that cannot be opened is reported by `result()`.
    package init(path: String) {
        let digest = FileDigest(path: path)
        state = Locked(State(digest: digest))
        let state = self.state
        thread = IdleThread {
            while state.withLock({ $0.takenOver ? false : $0.digest.step() }) {}
        }
    }

    /// Unfinished (the caller failed before asking): the idle thread stops after its block.
    deinit {
        state.withLock { $0.takenOver = true }
        thread?.wait()
    }

    /// The digest as lower-case hex: stops the idle thread after its current block, hashes what
    /// is left on this thread, and closes the file.
    package func result() throws -> String {
        let digest: Result<String, any Error> = state.withLock { s in
            s.takenOver = true
            while s.digest.step() {}
            return Result { try s.digest.result() }
        }
        thread?.wait()
        return try digest.get()
    }

    /// Owned by the lock: the file being hashed, and whether the caller has taken it over.
    private final class State {
        let digest: FileDigest
        var takenOver = false
        init(digest: FileDigest) { self.digest = digest }
    }
}
