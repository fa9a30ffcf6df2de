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
        try sink.begin(dimension: dimension, expectedCount: wanted)
        let batchRows = 4096
        var words: [String] = []; words.reserveCapacity(batchRows)
        var values = [Float](repeating: 0, count: batchRows * dimension)
        var filled = 0
        var seen = Set<String>()
        let rowBytes = dimension * 4
        for _ in 0..<wanted {
            try input.skip(byte: 10)
            let wordOffset = input.offset
            guard let wordBytes = try input.readUntilSpace(max: 1 << 16) else {
                throw WordshiftError.malformedBinary(path: path, byteOffset: wordOffset,
                    message: "file ends after \(report.rows + filled + report.duplicates) of \(declared) vectors (truncated?)")
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
                try input.readExactly(into: raw.baseAddress! + filled * rowBytes, count: rowBytes, what: "the vector of \"\(word)\"")
            }
            if !seen.insert(word).inserted { report.duplicates += 1; continue }
            for j in 0..<dimension {
                // Stored little-endian; this machine is little-endian, so the bytes are the value.
                let v = values[filled * dimension + j]
                if !v.isFinite {
                    throw WordshiftError.malformedBinary(path: path, byteOffset: valueOffset + 4 * j,
                        message: "value \(j + 1) of \"\(word)\" is \(v.isNaN ? "NaN" : "infinite")")
                }
            }
            words.append(word)
            filled += 1
            if filled == batchRows {
                try sink.add(words: words, values: values)
                report.rows += filled
                words.removeAll(keepingCapacity: true); filled = 0
                values = [Float](repeating: 0, count: batchRows * dimension)  // the sink keeps the old one
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
}

/// A read buffer over a `ByteReader` for formats that mix text tokens and raw bytes.
final class BufferedInput {
    let reader: ByteReader
    private var buffer: UnsafeMutableRawBufferPointer
    private var start = 0, end = 0
    private var eof = false
    private var consumed = 0

    init(_ reader: ByteReader, capacity: Int = 1 << 22) {
        self.reader = reader
        buffer = .allocate(byteCount: capacity, alignment: 64)
    }

    deinit { buffer.deallocate() }

    /// Offset in the input of the next unread byte.
    var offset: Int { consumed + start }

    private var base: UnsafeMutableRawPointer { buffer.baseAddress! }

    /// Makes at least `n` unread bytes available unless the input ends first.
    private func fill(atLeast n: Int) throws -> Bool {
        if end - start >= n { return true }
        if eof { return false }
        if start > 0 {
            if end > start { base.copyMemory(from: base + start, byteCount: end - start) }
            consumed += start; end -= start; start = 0
        }
        if n > buffer.count {
            let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: max(n, 2 * buffer.count), alignment: 64)
            bigger.baseAddress!.copyMemory(from: base, byteCount: end)
            buffer.deallocate()
            buffer = bigger
        }
        while end < n && !eof {
            let got = try reader.read(into: base + end, count: buffer.count - end)
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

    func readExactly(into dst: UnsafeMutableRawPointer, count: Int, what: String) throws {
        let startOffset = offset
        guard try fill(atLeast: count) else {
            throw WordshiftError.malformedBinary(path: reader.path, byteOffset: startOffset + (end - start),
                                                 message: "file ends inside \(what) (truncated?)")
        }
        dst.copyMemory(from: base + start, byteCount: count)
        start += count
    }
}
