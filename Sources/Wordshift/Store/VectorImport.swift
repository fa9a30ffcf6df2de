import Dispatch

/// Imports a vector file into a new store and exports a store to a vector file.
public enum VectorImport {
    /// What an import did.
    public struct Summary: Codable, Sendable {
        /// The store written.
        public var store: String
        /// What the reader found: format, rows, dimension, skipped lines, warnings.
        public var report: LoadReport
        /// SHA-256 of the imported file (empty for standard input).
        public var sourceSHA256: String
        /// Wall-clock seconds of the call (format detection included).
        public var seconds: Double
        /// With ``importFile(_:to:quantize:training:options:progress:)``: how the vectors were
        /// re-encoded (its `source` is the imported file); nil for a float32 import.
        public var quantized: StoreQuantizer.Summary? = nil
    }

    /// Reads `file` (any supported format, detected unless `options.format` says; "-" reads
    /// standard input) and writes a store at `store`. The store appears only when complete.
    /// Reports an "import" stage counted in vectors to `progress`.
    public static func importFile(_ file: String, to store: String, options: LoadOptions = LoadOptions(),
                                  progress: ProgressHandler? = nil) throws -> Summary {
        let started = System.now()  // format detection included
        if file != "-", try (options.format ?? VectorFileReader.detectFormat(path: file)) == .fastTextBinary {
            var summary = try importFastText(file, to: store)
            summary.seconds = System.now() - started
            return summary
        }
        // The source's SHA-256 on an idle-priority thread, finished while SQLite builds the index.
        let hash = file == "-" ? nil : BackgroundFileHash(path: file)
        var sink = StoreSink(path: store, progress: ProgressReporter(progress))
        let report: LoadReport
        do {
            report = try VectorFileReader.read(path: file, options: options, into: &sink)
            try sink.drain()
        } catch {
            try? sink.drain()
            sink.writer?.abandon()
            throw error
        }
        guard let writer = sink.writer else { throw WordshiftError.emptyInput(path: file, message: "no vectors found") }
        writer.setMeta(MetaKey.sourcePath, file)
        writer.setMeta(MetaKey.sourceFormat, report.format.rawValue)
        writer.setMeta(MetaKey.vectorKind, "imported")
        var digest = ""
        try writer.finish(afterIndexing: {
            digest = try hash?.result() ?? ""
            writer.setMeta(MetaKey.sourceSHA256, digest)
        })
        sink.progress.end()
        return Summary(store: store, report: report, sourceSHA256: digest, seconds: System.now() - started)
    }

    /// Imports a fastText binary model: every word with its vector as fastText computes it
    /// (own row plus n-gram rows, averaged), and the n-gram table for unseen words.
    public static func importFastText(_ file: String, to store: String) throws -> Summary {
        let started = System.now()
        let hash = BackgroundFileHash(path: file)  // while the model is read and its vectors computed
        let model = try FastTextBinaryReader.read(path: file)
        guard !model.words.isEmpty else { throw WordshiftError.emptyInput(path: file, message: "the model has no words") }
        let writer = try StoreWriter(path: store, dimension: model.dimension)
        do {
            for (i, word) in model.words.enumerated() {
                try model.wordVector(i).withUnsafeBufferPointer { try writer.add(word: word, count: model.counts[i], vector: $0) }
            }
            if model.ngrams.buckets > 0 {
                let table = NgramTable(ngrams: model.ngrams, dimension: model.dimension, source: "fasttext",
                                       buckets: Array(0..<model.bucketCount),
                                       vectors: Array(model.input[(model.words.count * model.dimension)...]))
                try writer.withConnection { try table.write(to: $0) }
            }
            writer.setMeta(MetaKey.sourcePath, file)
            writer.setMeta(MetaKey.sourceFormat, "fasttext-bin")
            writer.setMeta(MetaKey.vectorKind, "fasttext")
            var sha = ""
            try writer.finish(afterIndexing: {
                sha = try hash.result()
                writer.setMeta(MetaKey.sourceSHA256, sha)
            })
            var report = LoadReport(path: file, format: .fastTextBinary)
            report.rows = model.words.count
            report.dimension = model.dimension
            return Summary(store: store, report: report, sourceSHA256: sha, seconds: System.now() - started)
        } catch {
            writer.abandon()
            throw error
        }
    }

    /// Writes every vector of `store` (original lengths restored) to `file` in `format` and
    /// returns how many. Reports an "export" stage counted in vectors to `progress`.
    public static func export(store: VectorStore, to file: String, format: VectorFormat,
                              progress handler: ProgressHandler? = nil) throws -> Int {
        let writer = try VectorFileWriter(path: file, format: format, count: store.count, dimension: store.dimension)
        let progress = ProgressReporter(handler)
        progress.begin("export", total: Double(store.count), unit: " vectors")
        do {
            let words = try store.loadWords().words
            var row = [Float](repeating: 0, count: store.dimension)
            var n = 0
            try store.layout.scan(store.connection, path: store.path, count: words.count, rowBytes: store.rowBytes) { id, norm, blob in
                guard row.withUnsafeMutableBufferPointer({ r in r.baseAddress.map { store.decodeRow(blob, into: $0) } ?? false }) else {
                    throw WordshiftError.notAStore(path: store.path, message: "vector row \(id) has \(blob.count) bytes")
                }
                // In double with the stored double norm: one rounding, within one ulp of the original.
                for j in 0..<row.count { row[j] = Float(Double(row[j]) * norm) }
                try row.withUnsafeBufferPointer { try writer.write(word: words[id], vector: $0) }
                n += 1
                if n & 0x3FFF == 0 { progress.update(Double(n)) }
            }
            try writer.finish()
            progress.end()
            return n
        } catch {
            writer.abandon()
            throw error
        }
    }
}

/// Streams loaded vectors into a `StoreWriter`, created once the dimension is known. Rows are
/// inserted on a background thread so that parsing the next batch overlaps with SQLite.
struct StoreSink: VectorSink {
    let path: String
    let progress: ProgressReporter
    var writer: StoreWriter?
    private let worker = BackgroundWorker(depth: 2)

    init(path: String, progress: ProgressReporter) {
        self.path = path
        self.progress = progress
    }

    mutating func begin(dimension: Int, expectedCount: Int?) throws {
        writer = try StoreWriter(path: path, dimension: dimension)
        progress.begin("import", total: expectedCount.map(Double.init), unit: " vectors")
    }

    /// Normalizes the rows here, on the reader's thread, so that the writer's thread only
    /// inserts (the two are about even that way).
    mutating func add(words: [String], values: consuming [Float]) throws {
        guard let writer else { return }
        var units = consume values
        let d = writer.dimension
        guard units.count == words.count * d else {
            throw WordshiftError.invalidArgument("a batch of \(words.count) words came with \(units.count) values, not \(words.count * d)")
        }
        var norms = [Double](repeating: 0, count: words.count)
        try units.withUnsafeMutableBufferPointer { v in
            for (i, word) in words.enumerated() {
                norms[i] = try StoreWriter.normalize(UnsafeMutableBufferPointer(rebasing: v[(i * d)..<((i + 1) * d)]), word: word)
            }
        }
        let job = InsertJob(writer: writer, words: words, units: units, norms: norms, progress: progress)
        try worker.submit { try job.run() }
    }

    /// Waits until every row is in the store.
    func drain() throws { try worker.drain() }
}

private struct InsertJob: @unchecked Sendable {
    let writer: StoreWriter
    let words: [String]
    let units: [Float]
    let norms: [Double]
    let progress: ProgressReporter

    func run() throws {
        try units.withUnsafeBufferPointer { u in
            try norms.withUnsafeBufferPointer { n in try writer.add(words: words, units: u, norms: n) }
        }
        progress.update(Double(writer.count))
    }
}
