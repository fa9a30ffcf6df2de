/// Writes a quantized copy of a store (`wordshift quantize`): the same file with its main
/// vectors re-encoded as float16 or int8 (``VectorEncoding``, format version 3) or as product-
/// quantization codes with their codebooks (``ProductQuantizer``, format version 4), so that
/// older readers refuse it instead of misreading it. Subword n-grams, heads and vector sets are
/// copied as they are; an approximate-search index is dropped (rebuild it on the copy).
public enum StoreQuantizer {
    /// What a quantization did.
    public struct Summary: Codable, Sendable, Equatable {
        /// The float32 store read.
        public var source: String
        /// The quantized store written.
        public var out: String
        /// The encoding of its vectors.
        public var encoding: VectorEncoding
        /// Vectors re-encoded.
        public var rows: Int
        /// File sizes before and after.
        public var sourceBytes: Int
        /// Size of the quantized store.
        public var outBytes: Int
        /// Wall time.
        public var seconds: Double
        /// Whether the source had an approximate-search index, which the copy does not carry.
        public var droppedApproximateIndex: Bool
        /// For `pq`: subquantizers (code bytes per row), nil otherwise.
        public var subquantizers: Int?
        /// For `pq`: how the codebooks were learned, nil otherwise.
        public var training: ProductQuantizer.TrainingOptions?
        /// For `pq`: seconds spent learning the codebooks and encoding every row.
        public var trainSeconds: Double?
        /// For `pq`: seconds spent encoding every row.
        public var encodeSeconds: Double?
    }

    /// Writes `source` with its vectors in `encoding` to `out` (atomically: a temporary file next
    /// to it, renamed when complete; removed on failure). The caller checks that `out` may be
    /// written. For `pq`, `training` says how the codebooks are learned (bad settings throw before
    /// anything is written). Reports a "quantize" stage counted in vectors (for `pq`: "loading",
    /// "k-means", "encode" and "quantize").
    public static func quantize(_ source: String, to encoding: VectorEncoding, out: String,
                                training: ProductQuantizer.TrainingOptions = ProductQuantizer.TrainingOptions(),
                                progress handler: ProgressHandler? = nil) throws -> Summary {
        let started = System.now()
        let store = try VectorStore(path: source)
        guard store.encoding == .float32 else {
            throw WordshiftError.invalidArgument("\(source) is already quantized (\(store.encoding.rawValue)); quantize its float32 original")
        }
        guard encoding != .float32 else { throw WordshiftError.invalidArgument("choose float16, int8 or pq to quantize to") }
        let progress = ProgressReporter(handler)
        let hadIndex = try store.database.tableExists("ann_index")
        var product: ProductCode?
        if encoding == .pq { product = try ProductCode.learn(store: store, training: training, handler: handler) }
        let temporary = System.temporarySibling(of: out)
        TemporaryFiles.register(temporary)
        do {
            // A consistent snapshot of everything, even while another process updates the store.
            // (The reader connection is query-only; VACUUM INTO writes only the new file.)
            let target = temporary.replacingOccurrences(of: "'", with: "''")
            try store.database.execute("PRAGMA query_only=0; VACUUM INTO '\(target)'; PRAGMA query_only=1")
            try rewrite(temporary, from: store, encoding: encoding, product: product, progress: progress)
            try TemporaryFiles.moveIntoPlace(temporary, to: out)
        } catch {
            TemporaryFiles.remove(temporary)
            throw error
        }
        return Summary(source: source, out: out, encoding: encoding, rows: store.count, sourceBytes: System.fileSize(source) ?? 0,
                       outBytes: System.fileSize(out) ?? 0, seconds: System.now() - started, droppedApproximateIndex: hadIndex,
                       subquantizers: product?.quantizer.subquantizers, training: product?.training,
                       trainSeconds: product?.trainSeconds, encodeSeconds: product?.encodeSeconds)
    }

    /// Codebooks learned from a store's rows and the codes of every row.
    private struct ProductCode {
        var quantizer: ProductQuantizer
        var training: ProductQuantizer.TrainingOptions
        var codes: [UInt8]
        var trainSeconds: Double
        var encodeSeconds: Double

        static func learn(store: VectorStore, training: ProductQuantizer.TrainingOptions, handler: ProgressHandler?) throws -> ProductCode {
            // Settings are checked before the matrix is read.
            if let m = training.subquantizers { try ProductQuantizer.checkShape(dimension: store.dimension, subquantizers: m) }
            guard store.count >= ProductQuantizer.centroids else {
                throw WordshiftError.invalidArgument(
                    "product quantization needs at least \(ProductQuantizer.centroids) vectors (one per centroid); \(store.path) has \(store.count)")
            }
            let index = try store.loadIndex(progress: handler)
            var options = training
            options.threads = Parallel.clampThreads(training.threads)
            let t0 = System.now()
            let quantizer = try ProductQuantizer.train(units: index.unitBase, rows: index.count, dimension: index.dimension,
                                                       options: options, progress: handler)
            options.subquantizers = quantizer.subquantizers
            let t1 = System.now()
            let codes = quantizer.encodeAll(units: index.unitBase, rows: index.count, threads: options.threads,
                                            progress: ProgressReporter(handler))
            return ProductCode(quantizer: quantizer, training: options, codes: codes, trainSeconds: t1 - t0, encodeSeconds: System.now() - t1)
        }
    }

    private static func rewrite(_ path: String, from store: VectorStore, encoding: VectorEncoding, product: ProductCode?,
                                progress: ProgressReporter) throws {
        let db = try SQLiteConnection(path: path, readOnly: false)
        try db.execute("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA locking_mode=EXCLUSIVE")
        try db.execute(HNSWStore.dropSQL)
        try db.execute("BEGIN")
        // The re-encoded rows replace the copy's vectors (one row per word in a store older than
        // version 5) with chunks.
        try db.execute("DROP TABLE IF EXISTS vectors; DROP TABLE IF EXISTS vector_chunks")
        let d = store.dimension
        let m = product?.quantizer.subquantizers ?? 0
        let rowBytes = product == nil ? encoding.rowBytes(dimension: d) ?? 0 : m
        let chunks = try VectorChunkWriter(db, rowBytes: rowBytes)
        var unit = [Float](repeating: 0, count: d)
        progress.begin("quantize", total: Double(store.count), unit: " vectors")
        try store.layout.scan(store.database, path: store.path, count: store.count, rowBytes: store.rowBytes) { row, norm, blob in
            if let product {
                try product.codes.withUnsafeBytes { all in
                    guard let codes = all.baseAddress, (row + 1) * m <= all.count else {
                        throw WordshiftError.invalidArgument("product quantization produced no code for row \(row)")
                    }
                    try chunks.append(norm: norm) { $0.copyMemory(from: codes + row * m, byteCount: m) }
                }
            } else {
                let ok = unit.withUnsafeMutableBufferPointer { u in
                    u.baseAddress.map { VectorEncoding.float32.decode(blob, into: $0, dimension: d) } ?? false
                }
                guard ok else { throw WordshiftError.notAStore(path: store.path, message: "vector row \(row) has the wrong size") }
                // Encoded straight into the row's place in the chunk.
                var encoded = false
                try chunks.append(norm: norm) { out in
                    encoded = unit.withUnsafeBufferPointer { b in
                        b.baseAddress.map { encoding.encode($0, dimension: d, into: UnsafeMutableRawBufferPointer(start: out, count: rowBytes)) } ?? false
                    }
                }
                guard encoded else { throw WordshiftError.invalidArgument("cannot encode row \(row) as \(encoding.rawValue)") }
            }
            if row & 0x3FFF == 0 { progress.update(Double(row)) }
        }
        try chunks.flush()
        var meta = [MetaKey.vectorEncoding: encoding.rawValue, MetaKey.quantizedFrom: store.path,
                    MetaKey.vectorChunkRows: String(chunks.rowsPerChunk)]
        if let product {
            try ProductQuantizerStore.write(product.quantizer, training: product.training, to: db)
            meta[MetaKey.vectorEncoding] = VectorEncoding.pq.rawValue
        }
        try StoreUpdate.setMeta(meta, in: db)
        try StoreSchema.requireVersion(StoreSchema.chunkedVersion, in: db)
        try db.execute("COMMIT")
        try db.execute("VACUUM")
        progress.end()
    }
}
