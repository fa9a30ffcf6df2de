#if canImport(Glibc)
import Glibc
#endif
import Wordshift

/// Feeds inputs to one target through a scratch directory of its own (on /dev/shm when
/// present: one small write per input).
package final class FuzzRunner {
    package let target: FuzzTarget
    package let directory: String
    package let path: String

    package init(target: FuzzTarget) throws {
        self.target = target
        var base = "/dev/shm"
        var info = stat()
        if stat(base, &info) != 0 || (info.st_mode & S_IFMT) != S_IFDIR || access(base, W_OK) != 0 {
            base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        }
        // A directory of its own (mkdtemp), even beside other runners of the same target in
        // one process (the regression tests run side by side).
        var template = Array("\(base)/wordshift-fuzz-\(target.rawValue)-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ b in
            b.baseAddress.flatMap { mkdtemp($0) }.map { String(cString: $0) }
        }) else {
            throw WordshiftError.io(path: base, message: "cannot create a scratch directory: \(System.errnoString())")
        }
        directory = made
        path = "\(directory)/\(target.fileName)"
    }

    deinit {
        clean()
        rmdir(directory)
    }

    /// Runs one input. nil when the reader accepted it, else the reader's error message.
    @discardableResult
    package func run(_ bytes: UnsafeRawBufferPointer) -> String? {
        clean()
        guard let f = fopen(path, "wb") else { return "cannot write the input: \(System.errnoString())" }
        let written = bytes.count == 0 ? 0 : fwrite(bytes.baseAddress, 1, bytes.count, f)
        fclose(f)
        guard written == bytes.count else { return "cannot write the input" }
        do {
            _ = try target.read(path: path)
            return nil
        } catch {
            return "\(error)"
        }
    }

    package func run(_ bytes: [UInt8]) -> String? {
        bytes.withUnsafeBytes { run($0) }
    }

    /// Removes the input and whatever a reader left beside it (SQLite's -wal/-shm/-journal).
    private func clean() {
        for suffix in ["", "-wal", "-shm", "-journal"] { unlink(path + suffix) }
    }
}
