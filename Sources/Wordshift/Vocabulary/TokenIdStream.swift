#if canImport(Glibc)
import Glibc
#endif

/// The corpus as a sequence of provisional token ids (UInt32), with `documentEnd` between
/// documents: written during the counting pass, so that the co-occurrence pass neither re-reads
/// nor re-tokenizes the corpus (and standard input can be used). Lives in a temporary file that
/// is unlinked as soon as it is open, so no end of the process (kill -9 included) leaves it behind.
final class TokenIdStream {
    static let documentEnd = UInt32.max
    let path: String
    private var file: UnsafeMutablePointer<FILE>?
    private var buffer: [UInt32] = []
    private(set) var count = 0

    init(directory: String) throws {
        path = TemporaryFileOwner.scratch(in: directory, kind: "tokens.ids")
        guard let f = fopen(path, "w+bx") else {
            throw WordshiftError.io(path: path, message: "cannot create temporary file: \(System.errnoString())")
        }
        unlink(path)
        file = f
        buffer.reserveCapacity(1 << 16)
    }

    deinit { close() }

    func close() {
        if let file { fclose(file) }
        file = nil
    }

    @inline(__always)
    func append(_ id: UInt32) throws {
        buffer.append(id)
        count += 1
        if buffer.count == 1 << 16 { try flush() }
    }

    func flush() throws {
        guard let file, !buffer.isEmpty else { return }
        let written = buffer.withUnsafeBufferPointer { fwrite($0.baseAddress, 4, $0.count, file) }
        if written != buffer.count {
            throw WordshiftError.io(path: path, message: "cannot write temporary token stream: \(System.errnoString())")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Reads the whole stream from the start, in blocks.
    func forEachBlock(_ body: (UnsafeBufferPointer<UInt32>) throws -> Void) throws {
        try flush()
        guard let file else { return }
        if fflush(file) != 0 { throw WordshiftError.io(path: path, message: "cannot write: \(System.errnoString())") }
        rewind(file)
        var block = [UInt32](repeating: 0, count: 1 << 16)
        while true {
            let n = block.withUnsafeMutableBufferPointer { fread($0.baseAddress, 4, $0.count, file) }
            if n == 0 { break }
            try block.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[0..<n])) }
        }
        if ferror(file) != 0 { throw WordshiftError.io(path: path, message: "cannot read temporary token stream") }
    }
}
