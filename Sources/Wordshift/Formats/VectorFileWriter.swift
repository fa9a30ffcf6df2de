import CZlib

/// Writes vectors in any supported format. Rows are buffered and (for text) formatted by all
/// threads; the file is written under a temporary name and renamed on `finish()`, so a failed
/// export leaves nothing behind. A path ending in `.gz` is gzip-compressed.
package final class VectorFileWriter {
    package let path: String
    package let format: VectorFormat
    package let dimension: Int
    private let count: Int
    private let temporaryPath: String
    private var file: gzFile?
    private var words: [String] = []
    private var values: [Float] = []
    private var written = 0
    private let threads: Int

    /// `count` must be the number of rows that will be written (it goes in the header).
    package init(path: String, format: VectorFormat, count: Int, dimension: Int, threads: Int = Parallel.defaultThreads) throws {
        guard format != .fastTextBinary else {
            throw WordshiftError.invalidArgument("writing fastText binary models is not supported; export word2vec-binary or fasttext-vec")
        }
        self.path = path
        self.format = format
        self.count = count
        self.dimension = dimension
        self.threads = threads
        temporaryPath = System.temporarySibling(of: path)
        TemporaryFiles.register(temporaryPath)
        let mode = path.hasSuffix(".gz") ? "wb6" : "wbT"
        guard let f = gzopen(temporaryPath, mode) else {
            TemporaryFiles.remove(temporaryPath)
            throw WordshiftError.io(path: path, message: "cannot create: \(System.errnoString())")
        }
        file = f
        gzbuffer(f, 1 << 20)
        if format.hasHeader { try emit(Array("\(count) \(dimension)\n".utf8)) }
    }

    deinit { if file != nil { abandon() } }

    package func write(word: String, vector: UnsafeBufferPointer<Float>) throws {
        precondition(vector.count == dimension)
        guard !word.isEmpty, !word.utf8.contains(where: { $0 == 32 || $0 == 10 || $0 == 9 || $0 == 13 }) else {
            throw WordshiftError.invalidArgument("cannot write the word \(Quote.word(word)): vector files cannot hold empty words or words with whitespace")
        }
        words.append(word)
        values.append(contentsOf: vector)
        if words.count >= 8192 { try flush() }
    }

    package func finish() throws {
        try flush()
        guard let f = file else { return }
        file = nil
        if gzclose(f) != Z_OK {
            TemporaryFiles.remove(temporaryPath)
            throw WordshiftError.io(path: path, message: "write failed: \(System.errnoString())")
        }
        if written != count {
            TemporaryFiles.remove(temporaryPath)
            throw WordshiftError.invalidArgument("wrote \(written) vectors but announced \(count)")
        }
        try TemporaryFiles.moveIntoPlace(temporaryPath, to: path)
    }

    package func abandon() {
        if let f = file { gzclose(f) }
        file = nil
        TemporaryFiles.remove(temporaryPath)
    }

    private func flush() throws {
        guard !words.isEmpty else { return }
        if format.isText {
            try emit(formatText())
        } else {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(words.count * (dimension * 4 + 16))
            for (r, word) in words.enumerated() {
                bytes.append(contentsOf: word.utf8)
                bytes.append(32)
                values.withUnsafeBytes { raw in
                    bytes.append(contentsOf: raw[(r * dimension * 4)..<((r + 1) * dimension * 4)])
                }
                bytes.append(10)
            }
            try emit(bytes)
        }
        written += words.count
        words.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
    }

    /// Formats the buffered rows as text lines using every thread; each float gets the
    /// shortest decimal that reads back to the same float32.
    private func formatText() -> [UInt8] {
        let t = min(threads, max(1, words.count / 256))
        var parts = [[UInt8]](repeating: [], count: t)
        let dim = dimension
        let rows = words, vals = values
        parts.withUnsafeMutableBufferPointer { out in
            guard let start = out.baseAddress else { return }
            let outPtr = SharedPointer(start)
            Parallel.run(threads: t) { w in
                let lo = rows.count * w / t, hi = rows.count * (w + 1) / t
                var bytes: [UInt8] = []
                bytes.reserveCapacity((hi - lo) * (dim * 11 + 16))
                for r in lo..<hi {
                    bytes.append(contentsOf: rows[r].utf8)
                    for j in 0..<dim {
                        bytes.append(32)
                        bytes.append(contentsOf: vals[r * dim + j].description.utf8)
                    }
                    bytes.append(10)
                }
                outPtr[w] = bytes
            }
        }
        return parts.flatMap { $0 }
    }

    private func emit(_ bytes: [UInt8]) throws {
        guard let f = file else { return }
        let n = bytes.withUnsafeBytes { gzwrite(f, $0.baseAddress, UInt32($0.count)) }
        if Int(n) != bytes.count {
            throw WordshiftError.io(path: path, message: "write failed: \(System.errnoString())")
        }
    }
}
