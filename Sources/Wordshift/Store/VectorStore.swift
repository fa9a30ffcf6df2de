/// A store opened for reading. Opening reads only the meta table; single-word lookups are
/// prepared-statement reads; `loadIndex()` reads the whole matrix for search.
public final class VectorStore {
    /// The store file.
    public let path: String
    /// The store's meta entries (provenance, format, training settings); keys in ``MetaKey``.
    public let meta: [String: String]
    /// Vector length.
    public let dimension: Int
    /// Number of words (rows).
    public let count: Int
    /// How the store keeps its vectors (float32 unless it was quantized).
    public let encoding: VectorEncoding
    /// The codebooks of a product-quantized store (`encoding` `pq`), nil otherwise.
    public let productQuantizer: ProductQuantizer?
    /// Where the vectors are: one row per word (format versions 1–4) or chunks (version 5).
    package let layout: VectorLayout
    let connection: SQLiteConnection
    private var lookupStatement: SQLiteStatement?

    /// Opens the store at `path` read-only. Throws ``WordshiftError/notAStore(path:message:)`` for a
    /// file that is not a Wordshift store and ``WordshiftError/unsupportedStoreVersion(path:found:supported:)``
    /// for one written by a newer version.
    public init(path: String) throws {
        guard System.fileExists(path) else { throw WordshiftError.io(path: path, message: "no such file") }
        guard !System.isDirectory(path) else { throw WordshiftError.io(path: path, message: "is a directory, expected a store") }
        self.path = path
        do {
            connection = try SQLiteConnection(path: path, readOnly: true)
            let appID = try connection.pragmaInt("application_id")
            guard appID == Int(StoreSchema.applicationID) else {
                throw WordshiftError.notAStore(path: path, message: "SQLite application_id is \(appID)")
            }
        } catch let WordshiftError.sqlite(_, _, message) {
            throw WordshiftError.notAStore(path: path, message: message)
        }
        let version = try connection.pragmaInt("user_version")
        if version > StoreSchema.formatVersion {
            throw WordshiftError.unsupportedStoreVersion(path: path, found: version, supported: StoreSchema.formatVersion)
        }
        var m: [String: String] = [:]
        let s = try connection.prepare("SELECT key, value FROM meta")
        while try s.step() { m[s.string(0)] = s.string(1) }
        meta = m
        guard let d = m[MetaKey.dimension].flatMap(Int.init), d > 0,
              let c = m[MetaKey.count].flatMap(Int.init) else {
            throw WordshiftError.notAStore(path: path, message: "meta table lacks dimension or count")
        }
        guard let e = VectorEncoding(rawValue: m[MetaKey.vectorEncoding] ?? VectorEncoding.float32.rawValue) else {
            throw WordshiftError.notAStore(path: path, message: "unknown vector encoding \(m[MetaKey.vectorEncoding] ?? "")")
        }
        // Claims of the meta table, checked before anything is sized from them: every value of
        // every row takes at least one byte of the file (every code byte of a product-quantized row).
        let perRow = e == .pq ? max(1, m[MetaKey.pqSubquantizers].flatMap(Int.init) ?? 1) : d
        guard c >= 0, let bytes = DeclaredSize.product(c, perRow), bytes <= (System.fileSize(path) ?? 0) else {
            throw WordshiftError.notAStore(path: path, message: "meta declares \(c) words of dimension \(d), more than the file can hold")
        }
        dimension = d
        count = c
        encoding = e
        layout = try VectorLayout(meta: m, path: path)
        productQuantizer = e == .pq ? try ProductQuantizerStore.read(from: connection, path: path, meta: m, dimension: d) : nil
        try connection.execute("PRAGMA mmap_size=\(Self.memoryMapBytes); PRAGMA cache_size=\(Self.cacheSize)")
    }

    /// How much of the file SQLite maps for lookups (`PRAGMA mmap_size`).
    static let memoryMapBytes = 1 << 30
    /// SQLite's page cache for lookups (`PRAGMA cache_size`; negative: KiB), and during scans
    /// (which read each page once: a larger cache would only add to the process's peak).
    static let cacheSize = -65536, scanCacheSize = -512

    /// Runs `body`, a scan over most of the file, with SQLite's memory map off and a small page
    /// cache. Pages read through the map stay resident, and count in the process's memory, for
    /// as long as the connection lives, so a full scan through it would hold a second copy of
    /// everything it loads; a sequential scan gains nothing from a large cache either. SQLite
    /// keeps a map that a statement still reads from (one left on a row), so every statement
    /// of the connection must be finished or reset before `body`.
    package func scanningUnmapped<T>(_ body: () throws -> T) throws -> T {
        try connection.execute("PRAGMA mmap_size=0; PRAGMA cache_size=\(Self.scanCacheSize)")
        defer { try? connection.execute("PRAGMA mmap_size=\(Self.memoryMapBytes); PRAGMA cache_size=\(Self.cacheSize)") }
        return try body()
    }

    /// Bytes of one encoded row (in a vector chunk, or a `vectors` row of an older store).
    public var rowBytes: Int { productQuantizer?.subquantizers ?? encoding.rowBytes(dimension: dimension) ?? 0 }

    /// Decodes one encoded row into `out` (`dimension` values, a unit vector);
    /// false when the blob has the wrong size.
    package func decodeRow(_ blob: UnsafeRawBufferPointer, into out: UnsafeMutablePointer<Float>) -> Bool {
        if let productQuantizer { return productQuantizer.decode(blob, into: out) }
        return encoding.decode(blob, into: out, dimension: dimension)
    }

    /// The stored vector of `word` (unit vector times its norm), or nil if it is absent.
    public func vector(for word: String) throws -> [Float]? {
        guard let (_, unit, norm) = try lookup(word) else { return nil }
        return unit.map { $0 * norm }
    }

    /// Row id, unit vector and norm of `word`.
    public func lookup(_ word: String) throws -> (id: Int, unit: [Float], norm: Float)? {
        if lookupStatement == nil {
            lookupStatement = try connection.prepare(layout.lookupSQL)
        }
        guard let s = lookupStatement else { return nil }
        defer { s.reset() }
        try s.bind(1, word)
        guard try s.step() else { return nil }
        let id = s.int(0)
        var unit = [Float](repeating: 0, count: dimension)
        guard let (norm, bytes) = layout.row(of: s, id: id, rowBytes: rowBytes),
              unit.withUnsafeMutableBufferPointer({ u in u.baseAddress.map { decodeRow(bytes, into: $0) } ?? false }) else {
            throw WordshiftError.notAStore(path: path, message: "vector row \(id) is missing or does not have \(rowBytes) bytes")
        }
        return (id, unit, Float(norm))
    }

    /// The word with row id `id`, if any.
    public func word(at id: Int) throws -> String? {
        let s = try connection.prepare("SELECT word FROM words WHERE id = ?")
        try s.bind(1, id)
        return try s.step() ? s.string(0) : nil
    }

    /// All words in id order (ids are 0-based row numbers).
    public func loadWords() throws -> (words: [String], counts: [Int?]) {
        let (words, counts) = try loadWordTable()
        return (words, Array(counts))
    }

    /// All words in id order, with their counts as an index keeps them.
    func loadWordTable() throws -> (words: [String], counts: WordCounts) {
        var words: [String] = [], counts = WordCounts(rows: 0)
        words.reserveCapacity(count); counts.reserveCapacity(count)
        let s = try connection.prepare("SELECT id, word, count FROM words ORDER BY id")
        while try s.step() {
            guard s.int(0) == words.count else {
                throw WordshiftError.notAStore(path: path, message: "word ids are not contiguous at \(words.count)")
            }
            words.append(s.string(1))
            counts.append(s.isNull(2) ? nil : s.int(2))
        }
        return (words, counts)
    }

    /// Reads every vector into one contiguous matrix for search. Reports a "loading" stage
    /// counted in vectors to `progress`.
    public func loadIndex(progress handler: ProgressHandler? = nil) throws -> EmbeddingIndex {
        let progress = ProgressReporter(handler)
        // The words too are read unmapped: pages read through the map would stay resident
        // beside the matrix while it fills.
        let (words, counts) = try scanningUnmapped { try loadWordTable() }
        progress.begin("loading", total: Double(words.count), unit: " vectors")
        let index = EmbeddingIndex(words: words, counts: counts, dimension: dimension)
        let codes = productQuantizer.map { ProductCodes(quantizer: $0, count: words.count) }
        let base = index.units.baseAddress
        try scanningUnmapped {
            try layout.scan(connection, path: path, count: words.count, rowBytes: rowBytes) { row, norm, blob in
                // Product-quantized rows are decoded all at once below.
                guard let base, codes?.set(row: row, blob) ?? decodeRow(blob, into: base + row * dimension) else {
                    throw WordshiftError.notAStore(path: path, message: "vector row \(row) has the wrong size")
                }
                index.norms[row] = Float(norm)
                if row & 0xFFF == 0xFFF { progress.update(Double(row + 1)) }
            }
        }
        if let codes {
            codes.decodeAll(into: index.unitBase, threads: Parallel.defaultThreads)
            index.attach(productCodes: codes)
        }
        progress.end()
        index.finishLoading()
        return index
    }
}
