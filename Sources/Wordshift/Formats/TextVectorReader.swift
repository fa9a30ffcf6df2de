/// Reads word2vec / GloVe / fastText text vectors. Lines are gathered serially into batches
/// (words decoded and de-duplicated in order) and their numbers parsed by all threads.
enum TextVectorReader {
    private struct PendingRow { var start: Int; var end: Int; var line: Int }
    /// One line as the serial pass sees it: its word and where its values went in the batch.
    private enum Line { case blank, bad(WordshiftError), row(String, Int, Int) }

    static func read<S: VectorSink>(path: String, format: VectorFormat, options: LoadOptions, into sink: inout S) throws -> LoadReport {
        var report = LoadReport(path: path, format: format)
        let lines = try LineReader(path: path)
        var dimension = 0
        if format.hasHeader {
            guard let header = try lines.nextLine({ Array($0) }) else {
                throw WordshiftError.emptyInput(path: path, message: "the file is empty")
            }
            guard let (count, dim) = FormatDetector.parseHeader(header) else {
                throw WordshiftError.malformedLine(path: path, line: 1, message: "expected a header \"<count> <dimension>\"")
            }
            // Every value takes at least two bytes (a digit and a separator).
            try DeclaredSize.require(dim, of: "vectors of dimension \(dim)", atLeast: 2, available: lines.remainingBound) {
                WordshiftError.malformedLine(path: path, line: 1, message: $0)
            }
            report.declaredCount = count
            dimension = dim
        }
        var seen = Set<String>()
        var batch = [UInt8](); batch.reserveCapacity(ReadBufferSize.bytes(1 << 23))
        var rows: [PendingRow] = []; rows.reserveCapacity(1 << 14)
        var words: [String] = []; words.reserveCapacity(1 << 14)
        var dataLines = 0
        var begun = false
        let limit = options.limit ?? Int.max

        func flush() throws {
            guard !rows.isEmpty else { return }
            if !begun {
                // The header's count is only a hint (a wrong one is a warning): never reserve
                // more rows than the bytes left can hold.
                let fit = lines.remainingBound / max(1, 2 * dimension + 1) + rows.count
                try sink.begin(dimension: dimension, expectedCount: report.declaredCount.map { min($0, fit) })
                begun = true
            }
            let values = try parse(batch, rows, dimension: dimension, path: path, threads: options.threads)
            try sink.add(words: words, values: consume values)
            report.rows += rows.count
            batch.removeAll(keepingCapacity: true); rows.removeAll(keepingCapacity: true); words.removeAll(keepingCapacity: true)
        }

        while dataLines < limit, let pending = try lines.nextLine({ line -> Line in
            var lo = 0, hi = line.count
            while lo < hi, Tokens.isSpace(line[lo]) { lo += 1 }
            while hi > lo, Tokens.isSpace(line[hi - 1]) { hi -= 1 }
            if lo == hi { return .blank }
            var wordEnd = lo
            while wordEnd < hi, !Tokens.isSpace(line[wordEnd]) { wordEnd += 1 }
            let wordBytes = UnsafeBufferPointer(rebasing: line[lo..<wordEnd])
            // A control character (C0, DEL or C1) in a word is refused: it would end up in the
            // store and in every listing of the word.
            if let bad = TextVectorReader.controlCharacter(in: wordBytes) {
                let hex = String(bad.scalar, radix: 16, uppercase: true)
                let what = bad.scalar == 0 ? "a NUL byte" : "a control character (U+\(String(repeating: "0", count: max(0, 4 - hex.count)) + hex))"
                return .bad(.malformedLine(path: path, line: lines.lineNumber,
                    message: "the word \(Quote.bytes(wordBytes)) holds \(what) (byte \(lo + bad.offset + 1) of the line)"))
            }
            // `dimension` values need at least 2·dimension bytes: a shorter row is refused before
            // anything is allocated for it.
            if dimension > 0 && hi - wordEnd < 2 * dimension {
                let found = Tokens.split(Array(line[wordEnd..<hi])).count
                if found != dimension { return .bad(.dimensionMismatch(path: path, line: lines.lineNumber, expected: dimension, found: found)) }
            }
            var word: String
            if let valid = String(validating: wordBytes, as: UTF8.self) {
                word = valid
            } else {
                if options.utf8 == .strict { return .bad(.invalidUTF8(path: path, line: lines.lineNumber)) }
                word = String(decoding: wordBytes, as: UTF8.self)
                report.replacedUTF8Lines += 1
            }
            if dimension == 0 {  // GloVe text: the first row fixes the dimension
                let fields = Tokens.split(Array(line[lo..<hi]))
                dimension = fields.count - 1
                guard dimension > 0 else {
                    throw WordshiftError.malformedLine(path: path, line: lines.lineNumber, message: "a word without any values")
                }
            }
            let start = batch.count
            batch.append(contentsOf: UnsafeBufferPointer(rebasing: line[wordEnd..<hi]))
            return .row(word, start, batch.count)
        }) {
            let word: String, start: Int, end: Int
            switch pending {
            case .blank: report.blankLines += 1; continue
            case .bad(let error): try flush(); throw error  // errors on earlier lines come first
            case let .row(w, s, e): (word, start, end) = (w, s, e)
            }
            dataLines += 1
            if !seen.insert(word).inserted {
                report.duplicates += 1
                batch.removeSubrange(start..<end)
                continue
            }
            rows.append(PendingRow(start: start, end: end, line: lines.lineNumber))
            words.append(word)
            if batch.count >= 1 << 22 || rows.count >= 1 << 14 { try flush() }
        }
        try flush()
        if report.rows == 0 {
            throw WordshiftError.emptyInput(path: path, message: "no vectors found")
        }
        report.dimension = dimension
        if let declared = report.declaredCount, declared != dataLines, dataLines < limit {
            let message = "\(path): header declares \(declared) vectors but the file holds \(dataLines)"
            if options.strictHeader { throw WordshiftError.malformedLine(path: path, line: 1, message: message) }
            report.warnings.append(message + "; the content was used")
        }
        report.finishWarnings()
        return report
    }

    /// The first control character in a word's bytes — U+0000–U+001F, U+007F, or U+0080–U+009F
    /// (UTF-8 C2 80–C2 9F) — with its byte offset, or nil.
    static func controlCharacter(in bytes: UnsafeBufferPointer<UInt8>) -> (offset: Int, scalar: UInt32)? {
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b < 0x20 || b == 0x7F { return (i, UInt32(b)) }
            if b == 0xC2, i + 1 < bytes.count, (0x80...0x9F).contains(bytes[i + 1]) { return (i, UInt32(bytes[i + 1])) }
            i += 1
        }
        return nil
    }

    /// Parses every pending row's numbers into a row-major array, in parallel.
    private static func parse(_ batch: [UInt8], _ rows: [PendingRow], dimension: Int, path: String, threads: Int) throws -> [Float] {
        var values = [Float](repeating: 0, count: rows.count * dimension)
        let threadCount = rows.count >= 512 ? Parallel.clampThreads(threads) : 1
        var errors = [WordshiftError?](repeating: nil, count: max(1, threadCount))
        batch.withUnsafeBufferPointer { bytes in
            values.withUnsafeMutableBufferPointer { out in
                guard let outStart = out.baseAddress else { return }
                let outBase = SharedPointer(outStart)
                errors.withUnsafeMutableBufferPointer { errs in
                    guard let errStart = errs.baseAddress else { return }
                    let errBase = SharedPointer(errStart)
                    let source = SharedBytes(bytes)
                    Parallel.run(threads: threadCount) { worker in
                        let lo = rows.count * worker / threadCount, hi = rows.count * (worker + 1) / threadCount
                        for r in lo..<hi {
                            if let e = parseRow(source.bytes, rows[r], into: outBase.base + r * dimension, dimension: dimension, path: path) {
                                errBase[worker] = e
                                return
                            }
                        }
                    }
                }
            }
        }
        if let first = errors.compactMap({ $0 }).first { throw first }
        return values
    }

    @inline(__always)
    private static func parseRow(_ bytes: UnsafeBufferPointer<UInt8>, _ row: PendingRow, into out: UnsafeMutablePointer<Float>,
                                 dimension: Int, path: String) -> WordshiftError? {
        guard let base = bytes.baseAddress else {
            return .dimensionMismatch(path: path, line: row.line, expected: dimension, found: 0)
        }
        var i = row.start
        var k = 0
        while true {
            while i < row.end, Tokens.isSpace(base[i]) { i += 1 }
            if i >= row.end { break }
            var j = i
            while j < row.end, !Tokens.isSpace(base[j]) { j += 1 }
            if k < dimension {
                guard let v = DecimalParser.parseFloat(base + i, j - i) else {
                    let token = String(decoding: UnsafeBufferPointer(start: base + i, count: min(j - i, 40)), as: UTF8.self)
                    return .malformedLine(path: path, line: row.line,
                                          message: "value \(k + 1) is not a finite float32 number: \"\(token)\"")
                }
                out[k] = v
            }
            k += 1
            i = j
        }
        if k != dimension { return .dimensionMismatch(path: path, line: row.line, expected: dimension, found: k) }
        return nil
    }
}

/// Read-only bytes shared by parsing threads.
struct SharedBytes: @unchecked Sendable {
    let bytes: UnsafeBufferPointer<UInt8>
    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }
}
