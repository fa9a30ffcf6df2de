/// Hands out the lines of a `ByteReader` as byte slices, without copying them into strings.
/// A final line without a newline is still a line; `\r` before `\n` is stripped, and so is a
/// UTF-8 byte order mark at the start of the first line (editors on Windows write one; it would
/// otherwise become part of the first label, word or header).
package final class LineReader {
    package let reader: ByteReader
    /// The buffer (owned: allocated here, freed in deinit) and its size in bytes.
    private var base: UnsafeMutableRawPointer
    private var capacity: Int
    private var start = 0, end = 0
    private var eof = false
    /// 1-based number of the line most recently returned.
    package private(set) var lineNumber = 0

    package init(_ reader: ByteReader, bufferSize: Int = ReadBufferSize.bytes(1 << 22)) {
        self.reader = reader
        capacity = max(1, bufferSize)
        base = .allocate(byteCount: capacity, alignment: 64)
    }

    package convenience init(path: String) throws { self.init(try ByteReader(path: path)) }

    deinit { base.deallocate() }

    package var path: String { reader.path }

    /// An upper bound on the bytes still to come, buffered ones included (see
    /// `ByteReader.remainingBound`).
    package var remainingBound: Int { DeclaredSize.sum(reader.remainingBound, end - start) }

    /// Calls `body` with the next line (without its terminator). Returns false at the end.
    @inline(__always)
    package func nextLine<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) throws -> R? {
        guard let (first, hi) = try nextRange() else { return nil }
        var lo = first
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        if lineNumber == 1 && hi - lo >= 3 && bytes[lo] == 0xEF && bytes[lo + 1] == 0xBB && bytes[lo + 2] == 0xBF { lo += 3 }
        var len = hi - lo
        if len > 0 && bytes[lo + len - 1] == 13 { len -= 1 }
        return try body(UnsafeBufferPointer(start: bytes + lo, count: len))
    }

    private func nextRange() throws -> (Int, Int)? {
        while true {
            if start < end {
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
            if pending > 0 { base.copyMemory(from: base + start, byteCount: pending) }
            start = 0; end = pending
        }
        if end == capacity {  // a line longer than the buffer: grow it
            let (doubled, overflow) = capacity.multipliedReportingOverflow(by: 2)
            if overflow { throw WordshiftError.io(path: reader.path, message: "a line longer than \(capacity) bytes") }
            let bigger = UnsafeMutableRawPointer.allocate(byteCount: doubled, alignment: 64)
            bigger.copyMemory(from: base, byteCount: end)
            base.deallocate()
            base = bigger
            capacity = doubled
        }
        let n = try reader.read(into: base + end, count: capacity - end)
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
