#if canImport(Glibc)
import Glibc
#endif

/// Paths of temporary files that must not outlive the process: store files under
/// construction, co-occurrence spill runs. They are removed on success and failure by their
/// owners, on SIGINT/SIGTERM by the handler installed here, and after a kill -9 or a crash by
/// the next process that registers a file in the same directory (`TemporaryFileOwner`). Name
/// them with `TemporaryFileOwner.sibling(of:)` or `scratch(in:kind:)`.
package enum TemporaryFiles {
    nonisolated(unsafe) private static var paths: [UnsafeMutablePointer<CChar>?] = Array(repeating: nil, count: 4096)
    nonisolated(unsafe) private static var lock = pthread_mutex_t()
    nonisolated(unsafe) private static var installed = false

    /// Registers `path` (before creating it): it is removed on SIGINT/SIGTERM, and its
    /// directory's owner lock is held until it is removed or moved into place.
    @discardableResult
    package static func register(_ path: String) -> Int {
        if let lockFile = TemporaryFileOwner.claim(path) { track(lockFile) }
        return track(path)
    }

    @discardableResult
    private static func track(_ path: String) -> Int {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        if !installed { installHandlers(); installed = true }
        for i in 0..<paths.count where paths[i] == nil {
            paths[i] = strdup(path)
            return i
        }
        return -1
    }

    package static func unregister(_ path: String) {
        untrack(path)
        if let lockFile = TemporaryFileOwner.release(path) { untrack(lockFile) }
    }

    private static func untrack(_ path: String) {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        for i in 0..<paths.count {
            if let p = paths[i], strcmp(p, path) == 0 { free(p); paths[i] = nil }
        }
    }

    /// Renames a finished temporary file over its destination (atomic on one file system)
    /// and forgets it.
    package static func moveIntoPlace(_ temporary: String, to destination: String) throws {
        try System.rename(temporary, to: destination)
        unregister(temporary)
    }

    /// Removes a file and forgets it.
    package static func remove(_ path: String) {
        unlink(path)
        unregister(path)
    }

    private static func installHandlers() {
        let handler: @convention(c) (Int32) -> Void = { sig in
            for p in TemporaryFiles.paths { if let p { unlink(p) } }
            signal(sig, SIG_DFL)
            raise(sig)
        }
        signal(SIGINT, handler)
        signal(SIGTERM, handler)
    }
}
