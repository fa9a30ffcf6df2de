#if canImport(Glibc)
import Glibc
#endif

/// Paths of temporary files that must not outlive the process: store files under
/// construction, co-occurrence spill runs. They are removed on success and failure by their
/// owners, on SIGINT/SIGTERM/SIGHUP by `SignalCleanup`, and after a kill -9 or a crash by the
/// next process that registers a file in the same directory (`TemporaryFileOwner`). Name them
/// with `TemporaryFileOwner.sibling(of:)` or `scratch(in:kind:)`.
package enum TemporaryFiles {
    /// Registers `path` (before creating it): it is removed on SIGINT/SIGTERM/SIGHUP until it is
    /// unregistered (`SignalCleanup`: async-signal-safe, no limit on the number of files), and its
    /// directory's owner lock is held until it is removed or moved into place.
    package static func register(_ path: String) {
        if let lockFile = TemporaryFileOwner.claim(path) { SignalCleanup.add(lockFile) }
        SignalCleanup.add(path)
    }

    /// Takes `path` back from the signal cleanup and releases its directory's owner lock when it
    /// was the last file there.
    package static func unregister(_ path: String) {
        SignalCleanup.remove(path)
        if let lockFile = TemporaryFileOwner.release(path) { SignalCleanup.remove(lockFile) }
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
}
