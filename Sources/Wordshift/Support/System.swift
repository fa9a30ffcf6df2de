#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small facts about the running process and machine.
package enum System {
    package static var coreCount: Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

    /// Physical memory of the machine in bytes (0 if unknown).
    package static var physicalMemoryBytes: Int {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, size > 0 else { return 0 }
        return pages.multipliedReportingOverflow(by: size).overflow ? Int.max : pages * size
    }

    /// Peak resident set size of this process in bytes.
    package static var peakRSSBytes: Int {
        var usage = rusage()
        #if canImport(Glibc)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        return Int(usage.ru_maxrss) * 1024
    }

    /// Monotonic clock in seconds.
    package static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    package static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    package static func fileExists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    package static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    package static func fileSize(_ path: String) -> Int? {
        var st = stat()
        return stat(path, &st) == 0 ? Int(st.st_size) : nil
    }

    /// Atomically replaces `destination` with `source` (same file system).
    package static func rename(_ source: String, to destination: String) throws {
        if Glibc.rename(source, destination) != 0 {
            throw WordshiftError.io(path: destination, message: "cannot rename \(source) into place: \(errnoString())")
        }
    }

    package static func errnoString() -> String { String(cString: strerror(errno)) }

    /// A unique temporary path next to `path`, so that a final rename stays on one file system
    /// (named so that `TemporaryFileOwner` can clean it up after a crash).
    package static func temporarySibling(of path: String) -> String { TemporaryFileOwner.sibling(of: path) }
}
