import CZlib
#if canImport(Glibc)
import Glibc
#endif

/// Streams the bytes of a file, a gzip file (detected by its magic bytes, not its name) or
/// standard input (`-`). Never loads the whole input. A gzip stream that is corrupt or ends
/// before its end marker (a truncated download, a half-copied file) is an error naming the
/// file and the offset, never a silent end of input.
package final class ByteReader {
    package let path: String
    private var gz: gzFile?
    private var plainFD: Int32 = -1
    /// Uncompressed bytes handed out so far.
    package private(set) var offset: Int = 0
    /// Size of the file on disk (compressed for gzip), or nil for a pipe or terminal.
    private var sizeOnDisk: Int?

    /// Deflate's largest possible expansion: one compressed byte never yields more than 1032.
    static let maximumGzipRatio = 1032

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
        var st = stat()
        if fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG { sizeOnDisk = Int(st.st_size) }
        // Plain files are read with read(2) directly; gzip goes through zlib.
        var magic: [UInt8] = [0, 0]
        let peeked = path == "-" ? 0 : pread(fd, &magic, 2, 0)
        if path != "-" && !(peeked == 2 && magic == [0x1F, 0x8B]) {
            plainFD = fd
            return
        }
        gz = gzdopen(fd, "rb")
        guard let gz else { close(fd); throw WordshiftError.io(path: path, message: "cannot open: \(System.errnoString())") }
        gzbuffer(gz, UInt32(ReadBufferSize.bytes(1 << 18)))
    }

    /// An upper bound on the uncompressed bytes still to come (`Int.max` when unknown: a
    /// pipe). Exact for a plain file; for gzip, the compressed size times deflate's largest
    /// ratio. Readers check sizes declared in a header against it before allocating.
    package var remainingBound: Int {
        guard let size = sizeOnDisk else { return .max }
        if plainFD >= 0 { return max(0, size - offset) }
        let (bound, overflow) = size.multipliedReportingOverflow(by: Self.maximumGzipRatio)
        return overflow ? .max : max(0, bound - offset)
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
            if n < 0 { throw gzipError(gz) }
            if n == 0 {
                // zlib reports a stream that ends early only through gzerror (Z_BUF_ERROR).
                var code: Int32 = 0
                _ = gzerror(gz, &code)
                if code != Z_OK { throw gzipError(gz) }
                break
            }
            total += Int(n)
        }
        offset += total
        return total
    }

    /// The error for a gzip stream that failed: where in the compressed file and after how
    /// many decompressed bytes, and what zlib found.
    private func gzipError(_ gz: gzFile) -> WordshiftError {
        var code: Int32 = 0
        var detail = gzerror(gz, &code).map { String(cString: $0) } ?? "read error"
        // zlib prefixes its messages with the name it was given ("<fd:3>: ").
        if detail.hasPrefix("<fd:"), let colon = detail.firstIndex(of: ":"), let space = detail[colon...].firstIndex(of: " ") {
            detail = String(detail[detail.index(after: space)...])
        }
        let compressed = Int(gzoffset(gz)), decompressed = Int(gztell(gz))
        let what: String
        switch code {
        case Z_BUF_ERROR: what = "the gzip stream ends early (truncated file?)"
        case Z_DATA_ERROR: what = "corrupt gzip data (\(detail))"
        case Z_MEM_ERROR: what = "out of memory while decompressing"
        case Z_ERRNO: what = "read error: \(System.errnoString())"
        default: what = "gzip error: \(detail)"
        }
        return .malformedBinary(path: path, byteOffset: compressed,
                                message: "\(what), after \(decompressed) decompressed bytes")
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
