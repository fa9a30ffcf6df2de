/// Writes a quantized copy of a store (`wordshift quantize`): the same file with its main
/// vectors re-encoded as float16 or int8 (``VectorEncoding``), format version 3 so that older
/// readers refuse it instead of misreading it. Subword n-grams, heads and vector sets are copied
/// as they are; an approximate-search index is left out (rebuild it on the copy).
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
    }

    /// Writes `source` with its vectors in `encoding` to `out` (atomically: a temporary file next
    /// to it, renamed when complete; removed on failure). The caller checks that `out` may be
    /// written. Reports a "quantize" stage counted in vectors.
    public static func quantize(_ source: String, to encoding: VectorEncoding, out: String,
                                progress handler: ProgressHandler? = nil) throws -> Summary {
        let started = System.now()
        let store = try VectorStore(path: source)
        guard store.encoding == .float32 else {
            throw WordshiftError.invalidArgument("\(source) is already quantized (\(store.encoding.rawValue)); quantize its float32 original")
        }
        guard encoding != .float32 else { throw WordshiftError.invalidArgument("choose float16 or int8 to quantize to") }
        let progress = ProgressReporter(handler)
        let temporary = System.temporarySibling(of: out)
        TemporaryFiles.register(temporary)
        do {
            // A consistent snapshot of everything, even while another process updates the store.
            // (The reader connection is query-only; VACUUM INTO writes only the new file.)
            let target = temporary.replacingOccurrences(of: "'", with: "''")
            try store.database.execute("PRAGMA query_only=0; VACUUM INTO '\(target)'; PRAGMA query_only=1")
            try rewrite(temporary, from: store, encoding: encoding, progress: progress)
            try TemporaryFiles.moveIntoPlace(temporary, to: out)
        } catch {
            TemporaryFiles.remove(temporary)
            throw error
        }
        return Summary(source: source, out: out, encoding: encoding, rows: store.count, sourceBytes: System.fileSize(source) ?? 0,
                       outBytes: System.fileSize(out) ?? 0, seconds: System.now() - started)
    }

    private static func rewrite(_ path: String, from store: VectorStore, encoding: VectorEncoding, progress: ProgressReporter) throws {
        let db = try SQLiteConnection(path: path, readOnly: false)
        try db.execute("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA locking_mode=EXCLUSIVE")
        try db.execute(HNSWStore.dropSQL)
        try db.execute("BEGIN")
        let read = try store.database.prepare("SELECT id, vector FROM vectors ORDER BY id")
        let put = try db.prepare("UPDATE vectors SET vector = ? WHERE id = ?")
        let d = store.dimension
        var unit = [Float](repeating: 0, count: d)
        var n = 0
        progress.begin("quantize", total: Double(store.count), unit: " vectors")
        while try read.step() {
            let ok = unit.withUnsafeMutableBufferPointer { u in
                u.baseAddress.map { VectorEncoding.float32.decode(read.blob(1), into: $0, dimension: d) } ?? false
            }
            guard ok else { throw WordshiftError.notAStore(path: store.path, message: "vector row \(read.int(0)) has the wrong size") }
            guard let bytes = unit.withUnsafeBufferPointer({ b in b.baseAddress.map { encoding.encode($0, dimension: d) } }) else { continue }
            try bytes.withUnsafeBytes { try put.bind(1, copying: $0) }
            try put.bind(2, read.int(0))
            _ = try put.step()
            put.reset()
            n += 1
            if n & 0x3FFF == 0 { progress.update(Double(n)) }
        }
        try StoreUpdate.setMeta([MetaKey.vectorEncoding: encoding.rawValue, MetaKey.quantizedFrom: store.path], in: db)
        try StoreSchema.requireVersion(StoreSchema.quantizedVersion, in: db)
        try db.execute("COMMIT")
        try db.execute("VACUUM")
        progress.end()
    }
}
