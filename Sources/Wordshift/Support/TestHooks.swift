#if canImport(Glibc)
import Glibc
#endif

/// Points where tests of real processes (kill a writer mid-commit, writers queueing behind
/// each other) need to know where a process is, or to hold it there. Debug builds only: in a
/// release build every hook is an empty function and the variables are never read.
///
/// - `WORDSHIFT_TEST_MARK_<POINT>=<file>`: the process creates `<file>` when it reaches the point.
/// - `WORDSHIFT_TEST_PAUSE_<POINT>=<file>`: the process creates `<file>` (holding its pid) when
///   it reaches the point, then waits there until a test deletes `<file>` (or kills it).
///
/// Points: `WAITING_FOR_LOCK` (a connection found the store locked and starts waiting),
/// `BEFORE_COMMIT` (`StoreUpdate` has written everything and is about to commit),
/// `STORE_ROWS` (a `StoreWriter` has written its first row into its temporary file),
/// `SPOOLED` (standard input has been copied to a temporary file),
/// `TRAINING` (GloVe pairs are shuffled, on disk when out of core, and iterations are about to start).
enum TestHooks {
    enum Point: String {
        case waitingForLock = "WAITING_FOR_LOCK", beforeCommit = "BEFORE_COMMIT", storeRows = "STORE_ROWS", spooled = "SPOOLED"
        case training = "TRAINING"
    }

    static func mark(_ point: Point) {
        #if DEBUG
        if let file = value("WORDSHIFT_TEST_MARK_" + point.rawValue) { create(file) }
        #endif
    }

    static func pause(_ point: Point) {
        #if DEBUG
        guard let file = value("WORDSHIFT_TEST_PAUSE_" + point.rawValue) else { return }
        create(file)
        while access(file, F_OK) == 0 { usleep(5_000) }
        #endif
    }

    #if DEBUG
    private static func value(_ name: String) -> String? {
        guard let raw = getenv(name), let s = String(validatingCString: raw), !s.isEmpty else { return nil }
        return s
    }

    private static func create(_ file: String) {
        let fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        var text = "\(getpid())\n"
        text.withUTF8 { _ = write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }
    #endif
}
