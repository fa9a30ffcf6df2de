#if canImport(Glibc)
import Glibc
#endif

/// Paths of temporary files that must not outlive the process: store files under
/// construction, co-occurrence spill runs. They are removed on success and failure by their
/// owners, and on SIGINT/SIGTERM/SIGHUP by `SignalCleanup`.
package enum TemporaryFiles {
    /// Registers `path`: it is removed on SIGINT/SIGTERM/SIGHUP until it is unregistered
    /// (`SignalCleanup`: async-signal-safe, no limit on the number of files).
    package static func register(_ path: String) {
        SignalCleanup.add(path)
    }

    package static func unregister(_ path: String) {
        SignalCleanup.remove(path)
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
