#if canImport(Glibc)
import Glibc
#endif

/// Who owns a temporary file, so that what a dead process left behind (kill -9, a crash, a
/// power cut: nothing of the process runs to clean up) is removed by the next process that puts
/// temporary files in the same directory, and what a live process is writing is never touched.
///
/// - Every temporary name carries the owning process's tag, `wordshift-tmp-<pid>-<16 hex
///   digits>`, the digits drawn at random once per process: `out.sqlite.wordshift-tmp-<tag>-7`
///   next to an output, `wordshift-tmp-<tag>-3-cooc-0.run` in the temporary directory.
/// - While a process has registered temporary files in a directory, it holds an exclusive
///   `flock(2)` on `wordshift-tmp-<tag>.lock` there (one descriptor per directory, not per file),
///   and deletes that file with its last temporary file. The kernel drops the lock however the
///   process ends.
/// - The first registration in a directory sweeps it: files carrying another tag are stale when
///   that tag's lock file is missing or nobody holds its lock. Liveness is the lock, not the pid,
///   so a pid reused by an unrelated process keeps nothing alive, and a live process on another
///   machine sharing the directory is never mistaken for a dead one.
///
/// Only regular files owned by this user whose name carries a well-formed tag are ever removed.
package enum TemporaryFileOwner {
    /// The part every temporary name contains, followed by the tag.
    package static let marker = "wordshift-tmp-"

    /// This process's tag: `<pid>-<16 lowercase hex digits>`.
    package static let tag: String = {
        let digits = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        return "\(getpid())-" + String(repeating: "0", count: 16 - digits.count) + digits
    }()

    /// A temporary name next to `path` (same directory, so the final rename stays on one file system).
    package static func sibling(of path: String) -> String {
        "\(path).\(marker)\(tag)-\(nextSerial())"
    }

    /// A temporary name in `directory`; `kind` ends the name (e.g. `tokens.ids`).
    package static func scratch(in directory: String, kind: String) -> String {
        "\(directory)/\(marker)\(tag)-\(nextSerial())-\(kind)"
    }

    /// `$TMPDIR`, or `/tmp` when it is unset or empty.
    package static var defaultDirectory: String {
        if let t = getenv("TMPDIR"), let s = String(validatingCString: t), !s.isEmpty { return s }
        return "/tmp"
    }

    // MARK: ownership

    private struct DirectoryKey: Hashable { var device: UInt64; var inode: UInt64 }

    private struct Owned {
        var descriptor: Int32
        var lockPath: String
        var files: Set<String>
    }

    private struct State {
        var serial = 0
        var owned: [DirectoryKey: Owned] = [:]
        var directoryOf: [String: DirectoryKey] = [:]
        var swept: Set<DirectoryKey> = []
    }

    private static let state = Locked(State())

    private static func nextSerial() -> Int {
        state.withLock { s in
            s.serial += 1
            return s.serial
        }
    }

    /// Marks `path` (about to be created) as this process's: sweeps its directory the first
    /// time, and holds the directory's lock file while any registered file is in it. Best
    /// effort: when the directory cannot be used, creating the file fails with its own error.
    /// Returns the lock file when this call created it (the caller registers it for signals).
    static func claim(_ path: String) -> String? {
        let directory = OutputPath.parent(of: path)
        guard let key = directoryKey(directory) else { return nil }
        return state.withLock { s -> String? in
            if s.directoryOf[path] != nil { return nil }
            if s.owned[key] != nil {
                s.owned[key]?.files.insert(path)
                s.directoryOf[path] = key
                return nil
            }
            if s.swept.insert(key).inserted { removeStaleFiles(in: directory) }
            let lockPath = "\(directory)/\(marker)\(tag).lock"
            guard let fd = acquire(lockPath) else { return nil }
            s.owned[key] = Owned(descriptor: fd, lockPath: lockPath, files: [path])
            s.directoryOf[path] = key
            return lockPath
        }
    }

    /// Forgets `path`; with the directory's last file, deletes and unlocks its lock file.
    /// Returns that lock file when it was removed (the caller unregisters it).
    static func release(_ path: String) -> String? {
        state.withLock { s -> String? in
            guard let key = s.directoryOf.removeValue(forKey: path), var owned = s.owned[key] else { return nil }
            owned.files.remove(path)
            if !owned.files.isEmpty {
                s.owned[key] = owned
                return nil
            }
            s.owned[key] = nil
            unlink(owned.lockPath)
            close(owned.descriptor)
            return owned.lockPath
        }
    }

    /// Creates and locks `lockPath`. A sweeper of another process may delete a lock file it
    /// finds unlocked in the moment between creation and locking: then the path no longer
    /// names the locked file, and it is made again.
    private static func acquire(_ lockPath: String) -> Int32? {
        for _ in 0..<8 {
            let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
            guard fd >= 0 else { return nil }
            // A file system without flock (ENOLCK, EOPNOTSUPP) cannot be locked by sweepers
            // either; they keep what they cannot lock.
            var interrupted = true
            while interrupted {
                interrupted = flock(fd, LOCK_EX) != 0 && errno == EINTR
            }
            if sameFile(fd, lockPath) { return fd }
            close(fd)
        }
        return nil
    }

    private static func sameFile(_ fd: Int32, _ path: String) -> Bool {
        var a = stat(), b = stat()
        guard fstat(fd, &a) == 0, lstat(path, &b) == 0 else { return false }
        return a.st_dev == b.st_dev && a.st_ino == b.st_ino
    }

    private static func directoryKey(_ directory: String) -> DirectoryKey? {
        var st = stat()
        guard stat(directory, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else { return nil }
        return DirectoryKey(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
    }

    // MARK: sweeping

    /// The tag in a file name (`<pid>-<16 hex>` after the marker), if it has a well-formed one.
    package static func tag(inName name: String) -> String? {
        let bytes = Array(name.utf8), m = Array(marker.utf8)
        guard bytes.count >= m.count else { return nil }
        var start = 0
        while start + m.count <= bytes.count {
            if Array(bytes[start..<(start + m.count)]) == m, let t = parseTag(bytes, at: start + m.count) { return t }
            start += 1
        }
        return nil
    }

    private static func parseTag(_ b: [UInt8], at start: Int) -> String? {
        var i = start
        while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
        let pidDigits = i - start
        guard pidDigits >= 1, pidDigits <= 10, i < b.count, b[i] == 0x2D else { return nil }
        i += 1
        let hexStart = i
        while i < b.count, i - hexStart < 16, (b[i] >= 0x30 && b[i] <= 0x39) || (b[i] >= 0x61 && b[i] <= 0x66) { i += 1 }
        guard i - hexStart == 16 else { return nil }
        // The tag ends here: a name goes on with `-`, `.` or nothing.
        guard i == b.count || b[i] == 0x2D || b[i] == 0x2E else { return nil }
        return String(decoding: b[start..<i], as: UTF8.self)
    }

    /// Removes the temporary files in `directory` whose owner is gone (no lock file, or one
    /// nobody holds). Returns the names removed. Files of live processes, of other users, and
    /// anything that is not a regular file are left alone.
    @discardableResult
    package static func removeStaleFiles(in directory: String) -> [String] {
        guard let dir = opendir(directory) else { return [] }
        var byTag: [String: [String]] = [:]
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard let t = tag(inName: name), t != tag else { continue }
            byTag[t, default: []].append(name)
        }
        closedir(dir)
        var removed: [String] = []
        for (t, names) in byTag.sorted(by: { $0.key < $1.key }) {
            let lockName = "\(marker)\(t).lock"
            let lockPath = "\(directory)/\(lockName)"
            let fd = open(lockPath, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
            if fd < 0 {
                guard errno == ENOENT else { continue }
            } else {
                // Held by a live process (or not lockable here): keep everything of that tag.
                guard flock(fd, LOCK_EX | LOCK_NB) == 0, sameFile(fd, lockPath) else { close(fd); continue }
            }
            // Nobody owns these files; while the lock is ours nobody can start owning them.
            for name in names where name != lockName {
                if removeIfOurs("\(directory)/\(name)") { removed.append(name) }
            }
            if fd >= 0 {
                if removeIfOurs(lockPath) { removed.append(lockName) }
                close(fd)
            }
        }
        return removed.sorted()
    }

    private static func removeIfOurs(_ path: String) -> Bool {
        var st = stat()
        guard lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_uid == geteuid() else { return false }
        return unlink(path) == 0
    }
}
