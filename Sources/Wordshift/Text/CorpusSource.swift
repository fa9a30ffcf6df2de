import Foundation

/// The corpus as one stream of bytes: files, directories (their regular files, recursively, in
/// byte order of the path), `.gz` files (detected by content) and `-` for standard input. It is
/// read in chunks, never whole, and each chunk ends on a UTF-8 character boundary, so a
/// character never straddles two chunks. The SHA-256 of all uncompressed bytes, in order, is
/// the corpus checksum.
package final class CorpusSource {
    /// The input files in reading order (`-` stands for standard input).
    package let files: [String]
    /// Uncompressed bytes read so far.
    package private(set) var bytesRead = 0
    private let hasher = SHA256Hasher()
    let chunkSize: Int

    package convenience init(inputs: [String]) throws { try self.init(inputs: inputs, chunkSize: 1 << 20) }

    /// `chunkSize` (≥ 8) only matters to tests of chunk boundaries.
    init(inputs: [String], chunkSize: Int) throws {
        self.chunkSize = max(8, chunkSize)
        guard !inputs.isEmpty else { throw WordshiftError.invalidArgument("no corpus given (use --corpus PATH, or - for stdin)") }
        var files: [String] = []
        for input in inputs {
            if input == "-" { files.append(input); continue }
            if System.isDirectory(input) {
                files.append(contentsOf: try CorpusSource.regularFiles(under: input))
            } else if System.fileExists(input) {
                files.append(input)
            } else {
                throw WordshiftError.io(path: input, message: "no such file or directory")
            }
        }
        if files.isEmpty { throw WordshiftError.emptyInput(path: inputs.joined(separator: " "), message: "no files in the corpus") }
        self.files = files
    }

    /// Total size on disk of the named files (compressed size for `.gz`); nil if any is stdin.
    package var sizeOnDisk: Int? {
        var total = 0
        for f in files {
            guard f != "-", let s = System.fileSize(f) else { return nil }
            total += s
        }
        return total
    }

    /// True when some input is gzip-compressed or stdin, so the byte total is not known ahead.
    package var hasUnknownLength: Bool {
        files.contains { f in
            if f == "-" { return true }
            guard let h = FileHandle(forReadingAtPath: f) else { return true }
            defer { try? h.close() }
            let magic = h.readData(ofLength: 2)
            return magic.count == 2 && magic[magic.startIndex] == 0x1f && magic[magic.startIndex + 1] == 0x8b
        }
    }

    /// SHA-256 (hex) of every byte streamed so far; call after the whole corpus was read.
    package func checksum() -> String { hasher.finalize() }

    /// Streams every file: `chunk` gets consecutive pieces of a file, `endOfFile` follows each file.
    package func stream(chunk: (UnsafeRawBufferPointer) throws -> Void, endOfFile: () throws -> Void) throws {
        let capacity = chunkSize
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity + 8, alignment: 16)
        defer { buffer.deallocate() }
        for path in files {
            let reader = try ByteReader(path: path)
            var carry = 0
            while true {
                let n = try reader.read(into: buffer + carry, count: capacity - carry)
                if n > 0 { hasher.update(UnsafeRawBufferPointer(start: buffer + carry, count: n)) }
                bytesRead += n
                let filled = carry + n
                if n == 0 {
                    if filled > 0 { try chunk(UnsafeRawBufferPointer(start: buffer, count: filled)) }
                    break
                }
                let usable = UTF8Boundary.lastCompleteEnd(UnsafeRawBufferPointer(start: buffer, count: filled))
                if usable > 0 { try chunk(UnsafeRawBufferPointer(start: buffer, count: usable)) }
                carry = filled - usable
                if carry > 0 { memmove(buffer, buffer + usable, carry) }
            }
            try endOfFile()
        }
    }

    private static func regularFiles(under directory: String) throws -> [String] {
        guard let e = FileManager.default.enumerator(atPath: directory) else {
            throw WordshiftError.io(path: directory, message: "cannot list directory")
        }
        var out: [String] = []
        while let rel = e.nextObject() as? String {
            let full = directory.hasSuffix("/") ? directory + rel : directory + "/" + rel
            if !System.isDirectory(full) && !rel.split(separator: "/").contains(where: { $0.hasPrefix(".") }) {
                out.append(full)
            }
        }
        return out.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }
}

enum UTF8Boundary {
    /// Length of the longest prefix of `bytes` that does not end inside a multi-byte character.
    static func lastCompleteEnd(_ bytes: UnsafeRawBufferPointer) -> Int {
        let n = bytes.count
        var i = n - 1
        let lowest = max(0, n - 4)
        while i >= lowest {
            let b = bytes[i]
            if b < 0x80 { return n }
            if b >= 0xC0 {
                let need = b >= 0xF0 ? 4 : (b >= 0xE0 ? 3 : 2)
                return i + need > n ? i : n
            }
            i -= 1
        }
        return n
    }
}
