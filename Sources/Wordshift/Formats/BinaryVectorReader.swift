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
                try values.withUnsafeBufferPointer { try sink.add(words: words, values: $0) }
                report.rows += filled
                words.removeAll(keepingCapacity: true); filled = 0
            }
        }
        if filled > 0 {
            try values.withUnsafeBufferPointer { try sink.add(words: words, values: UnsafeBufferPointer(rebasing: $0[0..<filled * dimension])) }
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
    private var buffer: [UInt8] = []
    private var position = 0
    private var eof = false
    private var consumed = 0

    init(_ reader: ByteReader) { self.reader = reader }

    /// Offset in the input of the next unread byte.
    var offset: Int { consumed + position }

    private func fill(atLeast n: Int) throws -> Bool {
        if buffer.count - position >= n { return true }
        if eof { return false }
        if position > 0 { buffer.removeSubrange(0..<position); consumed += position; position = 0 }
        let want = max(n - buffer.count, 1 << 20)
        let old = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: want))
        let got = try buffer.withUnsafeMutableBytes { try reader.read(into: $0.baseAddress! + old, count: want) }
        buffer.removeSubrange((old + got)...)
        if got < want { eof = true }
        return buffer.count - position >= n
    }

    func hasMore() throws -> Bool { try fill(atLeast: 1) }

    /// Skips any number of `byte`.
    func skip(byte: UInt8) throws {
        while try fill(atLeast: 1), buffer[position] == byte { position += 1 }
    }

    /// Bytes up to (not including) the next newline, which is consumed; nil at the end.
    func readLine(max: Int) throws -> [UInt8]? { try readUntil(10, max: max, allowEnd: true) }

    /// Bytes up to the next space, which is consumed; nil if the input ends first.
    func readUntilSpace(max: Int) throws -> [UInt8]? { try readUntil(32, max: max, allowEnd: false) }

    private func readUntil(_ stop: UInt8, max: Int, allowEnd: Bool) throws -> [UInt8]? {
        var out: [UInt8] = []
        while true {
            guard try fill(atLeast: 1) else {
                return allowEnd && !out.isEmpty ? out : nil
            }
            if buffer[position] == stop { position += 1; return out }
            out.append(buffer[position]); position += 1
            if out.count > max {
                throw WordshiftError.malformedBinary(path: reader.path, byteOffset: offset,
                                                     message: "no separator within \(max) bytes (not a word2vec binary file?)")
            }
        }
    }

    func readExactly(into dst: UnsafeMutableRawPointer, count: Int, what: String) throws {
        let start = offset
        guard try fill(atLeast: count) else {
            throw WordshiftError.malformedBinary(path: reader.path, byteOffset: start + (buffer.count - position),
                                                 message: "file ends inside \(what) (truncated?)")
        }
        buffer.withUnsafeBytes { src in dst.copyMemory(from: src.baseAddress! + position, byteCount: count) }
        position += count
    }
}
