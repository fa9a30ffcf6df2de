#if canImport(Glibc)
import Glibc
#endif

/// Facts about a SQLite database file read straight from disk, for decisions SQLite cannot
/// make before it opens the file.
enum SQLiteFile {
    /// True if the file's header says it is in WAL mode (bytes 18 and 19 are 2).
    static func isWAL(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var header = [UInt8](repeating: 0, count: 20)
        let n = header.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 20, 0) }
        let magic = Array("SQLite format 3".utf8) + [0]
        return n == 20 && Array(header[0..<16]) == magic && header[18] == 2 && header[19] == 2
    }

    /// The directory holding `path` ("." for a bare file name).
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let dir = String(path[..<slash])
        return dir.isEmpty ? "/" : dir
    }

    /// `path` for a SQLite `file:` URI: every byte that is not plain ASCII, and `%`, `?`
    /// and `#`, percent-encoded.
    static func uriEscaped(_ path: String) -> String {
        var out: [UInt8] = []
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in path.utf8 {
            if byte >= 0x80 || byte < 0x20 || byte == UInt8(ascii: "%") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "#") {
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
