#if canImport(Glibc)
import Glibc
#endif

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
        let file = fopen(path, "rb")
        state = Locked(State(path: path, file: file))
        if file == nil {
            let message = "cannot open: \(System.errnoString())"
            state.withLock { $0.outcome = .failure(WordshiftError.io(path: path, message: message)) }
            return
        }
        let state = self.state
        thread = IdleThread {
            while state.withLock({ $0.takenOver ? false : $0.step() }) {}
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
            while s.step() {}
            return s.outcome ?? .failure(WordshiftError.io(path: s.path, message: "internal: the hash did not finish"))
        }
        thread?.wait()
        return try digest.get()
    }

    /// Owned by the lock: the open file, the running hash, and how it ended.
    private final class State {
        let path: String
        var file: UnsafeMutablePointer<FILE>?
        let hasher = SHA256Hasher()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
        var takenOver = false
        var outcome: Result<String, any Error>?

        init(path: String, file: UnsafeMutablePointer<FILE>?) {
            self.path = path
            self.file = file
        }

        deinit {
            close()
            buffer.deallocate()
        }

        /// Hashes the next block; false once the file is done (or failed).
        func step() -> Bool {
            guard outcome == nil, let file else { return false }
            let n = fread(buffer.baseAddress, 1, buffer.count, file)
            if n > 0 {
                hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
                return true
            }
            outcome = ferror(file) != 0
                ? .failure(WordshiftError.io(path: path, message: "read error: \(System.errnoString())"))
                : .success(hasher.finalize())
            close()
            return false
        }

        func close() {
            if let file { fclose(file) }
            file = nil
        }
    }
}
