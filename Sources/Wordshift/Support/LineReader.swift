/// Hands out the lines of a `ByteReader` as byte slices, without copying them into strings.
/// A final line without a newline is still a line; `\r` before `\n` is stripped.
package final class LineReader {
    package let reader: ByteReader
    private var buffer: UnsafeMutableRawBufferPointer
    private var start = 0, end = 0
    private var eof = false
    /// 1-based number of the line most recently returned.
    package private(set) var lineNumber = 0

    package init(_ reader: ByteReader, bufferSize: Int = 1 << 22) {
        self.reader = reader
        buffer = .allocate(byteCount: bufferSize, alignment: 64)
    }

    package convenience init(path: String) throws { self.init(try ByteReader(path: path)) }

    deinit { buffer.deallocate() }

    package var path: String { reader.path }

    /// An upper bound on the bytes still to come, buffered ones included (see
    /// `ByteReader.remainingBound`).
    package var remainingBound: Int { DeclaredSize.sum(reader.remainingBound, end - start) }

    /// Calls `body` with the next line (without its terminator). Returns false at the end.
    @inline(__always)
    package func nextLine<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) throws -> R? {
        guard let (lo, hi) = try nextRange() else { return nil }
        let base = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var len = hi - lo
        if len > 0 && base[lo + len - 1] == 13 { len -= 1 }
        return try body(UnsafeBufferPointer(start: base + lo, count: len))
    }

    private func nextRange() throws -> (Int, Int)? {
        while true {
            if start < end {
                let base = buffer.baseAddress!
                if let nl = memchrIndex(base + start, count: end - start) {
                    let lo = start
                    start = lo + nl + 1
                    lineNumber += 1
                    return (lo, lo + nl)
                }
            }
            if eof {
                guard start < end else { return nil }
                let lo = start
                start = end
                lineNumber += 1
                return (lo, end)
            }
            try refill()
        }
    }

    private func refill() throws {
        let pending = end - start
        if start > 0 {
            if pending > 0 { buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + start, byteCount: pending) }
            start = 0; end = pending
        }
        if end == buffer.count {  // a line longer than the buffer: grow it
            let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: buffer.count * 2, alignment: 64)
            bigger.baseAddress!.copyMemory(from: buffer.baseAddress!, byteCount: end)
            buffer.deallocate()
            buffer = bigger
        }
        let n = try reader.read(into: buffer.baseAddress! + end, count: buffer.count - end)
        if n == 0 { eof = true }
        end += n
    }
}

#if canImport(Glibc)
import Glibc
#endif

@inline(__always)
func memchrIndex(_ p: UnsafeRawPointer, count: Int, byte: Int32 = 10) -> Int? {
    guard let hit = memchr(p, byte, count) else { return nil }
    return UnsafeRawPointer(hit) - p
}
