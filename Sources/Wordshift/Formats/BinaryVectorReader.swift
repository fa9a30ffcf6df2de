/// Reads word2vec binary vectors: header `N D\n`, then per row the word, one space,
/// D little-endian float32 and an optional newline. A file that ends before N rows is an
/// error naming the byte offset; NaN and infinite values are errors too.
enum BinaryVectorReader {
    static func read<S: VectorSink>(path: String, options: LoadOptions, into sink: inout S) throws -> LoadReport {
        var report = LoadReport(path: path, format: .word2vecBinary)
        let input = BufferedInput(try ByteReader(path: path))
        guard let header = try input.readLine(max: 256) else {
            throw WordshiftError.emptyInput(path: path, message: "the file is empty")
        }
        guard let (declared, dimension) = FormatDetector.parseHeader(header) else {
            throw WordshiftError.malformedBinary(path: path, byteOffset: 0, message: "expected a header \"<count> <dimension>\\n\"")
        }
        report.declaredCount = declared
        report.dimension = dimension
        let wanted = min(declared, options.limit ?? Int.max)
        // A row is at least a one-byte word, a space and `dimension` float32s: memory is sized
        // from the dimension, so one row must fit in what follows. (Rows are read as they come,
        // so a count that overstates them fails where the file ends, naming that row.)
        try DeclaredSize.require(dimension, of: "vectors of dimension \(dimension)", atLeast: 4, available: input.remainingBound) {
            WordshiftError.malformedBinary(path: path, byteOffset: 0, message: $0)
        }
        let rowBytes = dimension * 4
        // The count is only a hint for the sink's memory: never more rows than the bytes left
        // can hold (a 15-byte file declaring 62 million rows of dimension 1 once made the table
        // reserve 256 MB of words).
        let fit = input.remainingBound / (rowBytes + 2)
        try sink.begin(dimension: dimension, expectedCount: min(wanted, fit))
        // Batches of at most 16 MB, so memory follows the rows actually read.
        let batchRows = max(1, min(4096, ReadBufferSize.bytes(16 << 20) / rowBytes))
        var words: [String] = []; words.reserveCapacity(batchRows)
        var values = [Float](repeating: 0, count: batchRows * dimension)
        var filled = 0
        var seen = Set<String>()
        seen.reserveCapacity(min(wanted, fit))
        for _ in 0..<wanted {
            try input.skip(byte: 10)
            let wordOffset = input.offset
            guard let wordBytes = try input.readUntilSpace(max: 1 << 16) else {
                throw WordshiftError.malformedBinary(path: path, byteOffset: wordOffset,
                    message: "file ends after \(report.rows + filled + report.duplicates) of \(declared) vectors (truncated?)")
            }
            // A control byte in a word means the rows are misaligned (a wrong dimension, or
            // not a binary file at all): stop rather than read junk.
            if wordBytes.isEmpty || wordBytes.contains(where: { $0 < 0x20 }) {
                let what = wordBytes.isEmpty ? "an empty word" : "a word with a control byte (\(Quote.bytes(wordBytes)))"
                throw WordshiftError.malformedBinary(path: path, byteOffset: wordOffset,
                    message: "row \(report.rows + filled + report.duplicates + 1) starts with \(what): rows are misaligned "
                        + "(is the header's dimension \(dimension) right?) or this is not a word2vec binary file")
            }
            let word: String
            if let valid = String(validating: wordBytes, as: UTF8.self) {
                word = valid
            } else {
                if options.utf8 == .strict {
                    throw WordshiftError.malformedBinary(path: path, byteOffset: wordOffset, message: "invalid UTF-8 in a word")
                }
                word = String(decoding: wordBytes, as: UTF8.self)
                report.replacedUTF8Lines += 1
            }
            let valueOffset = input.offset
            // A duplicate's row is read into the next free slot and then not kept.
            try values.withUnsafeMutableBytes { raw in
                guard let start = raw.baseAddress else { return }
                try input.readExactly(into: start + filled * rowBytes, count: rowBytes, what: "the vector of \(Quote.word(word))")
            }
            if !seen.insert(word).inserted { report.duplicates += 1; continue }
            // Stored little-endian; this machine is little-endian, so the bytes are the value.
            if let j = Self.firstNonFinite(values, from: filled * dimension, count: dimension) {
                let v = values[filled * dimension + j]
                throw WordshiftError.malformedBinary(path: path, byteOffset: valueOffset + 4 * j,
                    message: "value \(j + 1) of \(Quote.word(word)) is \(v.isNaN ? "NaN" : "infinite")")
            }
            words.append(word)
            filled += 1
            if filled == batchRows {
                try sink.add(words: words, values: consume values)
                report.rows += filled
                words.removeAll(keepingCapacity: true); filled = 0
                // The sink keeps the old one; every slot of the new one is read into before use.
                values = [Float](unsafeUninitializedCapacity: batchRows * dimension) { $1 = batchRows * dimension }
            }
        }
        if filled > 0 {
            try sink.add(words: words, values: Array(values.prefix(filled * dimension)))
            report.rows += filled
        }
        if report.rows == 0 { throw WordshiftError.emptyInput(path: path, message: "no vectors found") }
        if wanted == declared {
            try input.skip(byte: 10)
            if try input.hasMore() {
                report.warnings.append("\(path): data continues after the \(declared) vectors the header declares; it was ignored")
            }
        }
        report.finishWarnings()
        return report
    }

    /// The position of the first NaN or infinity among `count` values from `start`, or nil.
    /// The common case (all finite) is one branch-free pass the compiler vectorizes: the
    /// largest exponent field reaches all ones only if some value is not finite.
    static func firstNonFinite(_ values: [Float], from start: Int, count: Int) -> Int? {
        values.withUnsafeBufferPointer { v in
            let exponent: UInt32 = 0x7F80_0000
            var largest: UInt32 = 0
            for j in start..<(start + count) { largest = max(largest, v[j].bitPattern & exponent) }
            guard largest == exponent else { return nil }
            return (0..<count).first { !v[start + $0].isFinite }
        }
    }
}

/// A read buffer over a `ByteReader` for formats that mix text tokens and raw bytes.
final class BufferedInput {
    let reader: ByteReader
    /// The buffer (owned: allocated here, freed in deinit) and its size in bytes.
    private var base: UnsafeMutableRawPointer
    private var capacity: Int
    private var start = 0, end = 0
    private var eof = false
    private var consumed = 0

    init(_ reader: ByteReader, capacity: Int = ReadBufferSize.bytes(1 << 22)) {
        self.reader = reader
        self.capacity = max(1, capacity)
        base = .allocate(byteCount: self.capacity, alignment: 64)
    }

    deinit { base.deallocate() }

    /// Offset in the input of the next unread byte.
    var offset: Int { consumed + start }

    /// An upper bound on the bytes still to come, buffered ones included.
    var remainingBound: Int { DeclaredSize.sum(reader.remainingBound, end - start) }

    /// Makes at least `n` unread bytes available unless the input ends first.
    private func fill(atLeast n: Int) throws -> Bool {
        if end - start >= n { return true }
        if eof { return false }
        if start > 0 {
            if end > start { base.copyMemory(from: base + start, byteCount: end - start) }
            consumed += start; end -= start; start = 0
        }
        if n > capacity {
            let grown = max(n, capacity.multipliedReportingOverflow(by: 2).overflow ? n : 2 * capacity)
            let bigger = UnsafeMutableRawPointer.allocate(byteCount: grown, alignment: 64)
            bigger.copyMemory(from: base, byteCount: end)
            base.deallocate()
            base = bigger
            capacity = grown
        }
        while end < n && !eof {
            let got = try reader.read(into: base + end, count: capacity - end)
            if got == 0 { eof = true }
            end += got
        }
        return end - start >= n
    }

    func hasMore() throws -> Bool { try fill(atLeast: 1) }

    /// Skips any number of `byte`.
    func skip(byte: UInt8) throws {
        while try fill(atLeast: 1), base.load(fromByteOffset: start, as: UInt8.self) == byte { start += 1 }
    }

    /// Bytes up to (not including) the next newline, which is consumed; nil at the end.
    func readLine(max: Int) throws -> [UInt8]? { try readUntil(10, max: max, allowEnd: true) }

    /// Bytes up to the next space, which is consumed; nil if the input ends first.
    func readUntilSpace(max: Int) throws -> [UInt8]? { try readUntil(32, max: max, allowEnd: false) }

    private func readUntil(_ stop: UInt8, max: Int, allowEnd: Bool) throws -> [UInt8]? {
        var scanned = 0
        while true {
            if let hit = memchrIndex(base + start + scanned, count: end - start - scanned, byte: Int32(stop)) {
                let length = scanned + hit
                if length > max { break }
                let out = [UInt8](UnsafeRawBufferPointer(start: base + start, count: length))
                start += length + 1
                return out
            }
            scanned = end - start
            if scanned > max { break }
            guard try fill(atLeast: scanned + 1) else {
                guard allowEnd, scanned > 0 else { return nil }
                let out = [UInt8](UnsafeRawBufferPointer(start: base + start, count: scanned))
                start = end
                return out
            }
        }
        throw WordshiftError.malformedBinary(path: reader.path, byteOffset: offset,
                                             message: "no separator within \(max) bytes (not a word2vec binary file?)")
    }

    /// Copies the next `count` bytes to `dst` (through the buffer, which never grows for it);
    /// a file that ends first is an error at the offset where it ended.
    func readExactly(into dst: UnsafeMutableRawPointer, count: Int, what: @autoclosure () -> String) throws {
        let startOffset = offset
        var done = 0
        while done < count {
            if start == end {
                guard try fill(atLeast: 1) else {
                    throw WordshiftError.malformedBinary(path: reader.path, byteOffset: startOffset + done,
                                                         message: "file ends inside \(what()) (truncated?)")
                }
            }
            let n = min(end - start, count - done)
            (dst + done).copyMemory(from: base + start, byteCount: n)
            start += n
            done += n
        }
    }

    /// Reads one integer's bytes as they are in the file (the caller converts from little-endian).
    func readInteger<T: FixedWidthInteger>(what: String) throws -> T {
        var v: T = 0
        try withUnsafeMutableBytes(of: &v) { raw in
            guard let start = raw.baseAddress else { return }
            try readExactly(into: start, count: raw.count, what: what)
        }
        return v
    }

    /// Reads `count` little-endian float32s. Memory grows with the bytes actually read (16M
    /// values at a time), so a header that overstates a compressed file's content fails where
    /// the data ends instead of allocating the whole claim first.
    func readFloats(_ count: Int, what: String) throws -> [Float] {
        let step = 1 << 24
        var out: [Float] = []
        out.reserveCapacity(min(count, step))
        while out.count < count {
            let old = out.count, n = min(step, count - old)
            out.append(contentsOf: repeatElement(0, count: n))
            try out.withUnsafeMutableBytes { raw in
                guard let base = raw.baseAddress else { return }
                try readExactly(into: base + old * 4, count: n * 4, what: what)
            }
        }
        return out  // little-endian on disk and on every platform Wordshift builds for
    }
}
