import CZlib
#if canImport(Glibc)
import Glibc
#endif

/// Streams the bytes of a file, a gzip file (detected by its magic bytes, not its name) or
/// standard input (`-`). Never loads the whole input.
package final class ByteReader {
    package let path: String
    private var gz: gzFile?
    private var plainFD: Int32 = -1
    /// Uncompressed bytes handed out so far.
    package private(set) var offset: Int = 0

    package init(path: String) throws {
        self.path = path
        var fd: Int32 = 0
        if path == "-" {
            fd = dup(0)
        } else {
            if System.isDirectory(path) {
                throw WordshiftError.io(path: path, message: "is a directory, expected a file")
            }
            guard System.fileExists(path) else {
                throw WordshiftError.io(path: path, message: "no such file")
            }
            fd = open(path, O_RDONLY)
        }
        guard fd >= 0 else { throw WordshiftError.io(path: path, message: "cannot open: \(System.errnoString())") }
        // Plain files are read with read(2) directly; gzip goes through zlib.
        var magic: [UInt8] = [0, 0]
        let peeked = path == "-" ? 0 : pread(fd, &magic, 2, 0)
        if path != "-" && !(peeked == 2 && magic == [0x1F, 0x8B]) {
            plainFD = fd
            return
        }
        gz = gzdopen(fd, "rb")
        guard let gz else { close(fd); throw WordshiftError.io(path: path, message: "cannot open: \(System.errnoString())") }
        gzbuffer(gz, 1 << 18)
    }

    deinit {
        if let gz { gzclose(gz) }
        if plainFD >= 0 { close(plainFD) }
    }

    /// Reads up to `count` bytes into `buffer`; returns 0 at the end of input.
    package func read(into buffer: UnsafeMutableRawPointer, count: Int) throws -> Int {
        if plainFD >= 0 { return try readPlain(into: buffer, count: count) }
        guard let gz else { return 0 }
        var total = 0
        while total < count {
            let want = UInt32(min(count - total, 1 << 30))
            let n = gzread(gz, buffer + total, want)
            if n < 0 {
                var code: Int32 = 0
                let message = gzerror(gz, &code).map { String(cString: $0) } ?? "read error"
                throw WordshiftError.malformedBinary(path: path, byteOffset: offset + total, message: message)
            }
            if n == 0 { break }
            total += Int(n)
        }
        offset += total
        return total
    }

    private func readPlain(into buffer: UnsafeMutableRawPointer, count: Int) throws -> Int {
        var total = 0
        while total < count {
            let n = Glibc.read(plainFD, buffer + total, count - total)
            if n < 0 {
                if errno == EINTR { continue }
                throw WordshiftError.io(path: path, message: "read error at byte \(offset + total): \(System.errnoString())")
            }
            if n == 0 { break }
            total += n
        }
        offset += total
        return total
    }

    /// Reads exactly `count` bytes or throws a truncation error that names the offset.
    package func readExactly(into buffer: UnsafeMutableRawPointer, count: Int, what: String) throws {
        let start = offset
        let n = try read(into: buffer, count: count)
        if n != count {
            throw WordshiftError.malformedBinary(path: path, byteOffset: start + n,
                                                 message: "file ends inside \(what) (truncated?)")
        }
    }

}
