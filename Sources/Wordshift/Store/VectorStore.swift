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
        // Claims of the meta table, checked before anything is sized from them: every value of
        // every row takes at least one byte of the file, whatever the encoding.
        guard c >= 0, let values = DeclaredSize.product(c, d), values <= (System.fileSize(path) ?? 0) else {
            throw WordshiftError.notAStore(path: path, message: "meta declares \(c) words of dimension \(d), more than the file can hold")
        }
        guard let e = VectorEncoding(rawValue: m[MetaKey.vectorEncoding] ?? VectorEncoding.float32.rawValue) else {
            throw WordshiftError.notAStore(path: path, message: "unknown vector encoding \(m[MetaKey.vectorEncoding] ?? "")")
        }
        dimension = d
        count = c
        encoding = e
        try connection.execute("PRAGMA mmap_size=\(Self.memoryMapBytes); PRAGMA cache_size=\(Self.cacheSize)")
    }

    /// How much of the file SQLite maps for lookups (`PRAGMA mmap_size`).
    static let memoryMapBytes = 1 << 30
    /// SQLite's page cache for lookups (`PRAGMA cache_size`; negative: KiB), and during scans.
    static let cacheSize = -65536, scanCacheSize = -2048

    /// Runs `body`, a scan over most of the file, with SQLite's memory map off and a small page
    /// cache. Pages read through the map stay resident, and count in the process's memory, for
    /// as long as the connection lives, so a full scan through it would hold a second copy of
    /// everything it loads; a sequential scan gains nothing from a large cache either.
    package func scanningUnmapped<T>(_ body: () throws -> T) throws -> T {
        try connection.execute("PRAGMA mmap_size=0; PRAGMA cache_size=\(Self.scanCacheSize)")
        defer { try? connection.execute("PRAGMA mmap_size=\(Self.memoryMapBytes); PRAGMA cache_size=\(Self.cacheSize)") }
        return try body()
    }

    /// The stored vector of `word` (unit vector times its norm), or nil if it is absent.
    public func vector(for word: String) throws -> [Float]? {
        guard let (_, unit, norm) = try lookup(word) else { return nil }
        return unit.map { $0 * norm }
    }

    /// Row id, unit vector and norm of `word`.
    public func lookup(_ word: String) throws -> (id: Int, unit: [Float], norm: Float)? {
        if lookupStatement == nil {
            lookupStatement = try connection.prepare(
                "SELECT v.id, v.norm, v.vector FROM words w JOIN vectors v ON v.id = w.id WHERE w.word = ?")
        }
        guard let s = lookupStatement else { return nil }
        defer { s.reset() }
        try s.bind(1, word)
        guard try s.step() else { return nil }
        let blob = s.blob(2)
        var unit = [Float](repeating: 0, count: dimension)
        let d = dimension, e = encoding
        guard unit.withUnsafeMutableBufferPointer({ u in u.baseAddress.map { e.decode(blob, into: $0, dimension: d) } ?? false }) else {
            throw WordshiftError.notAStore(path: path, message: "vector row \(s.int(0)) has \(blob.count) bytes, expected \(encoding.rowBytes(dimension: dimension))")
        }
        return (s.int(0), unit, Float(s.double(1)))
    }

    /// The word with row id `id`, if any.
    public func word(at id: Int) throws -> String? {
        let s = try connection.prepare("SELECT word FROM words WHERE id = ?")
        try s.bind(1, id)
        return try s.step() ? s.string(0) : nil
    }

    /// All words in id order (ids are 0-based row numbers).
    public func loadWords() throws -> (words: [String], counts: [Int?]) {
        var words: [String] = [], counts: [Int?] = []
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
        let (words, counts) = try loadWords()
        progress.begin("loading", total: Double(words.count), unit: " vectors")
        let index = EmbeddingIndex(words: words, counts: counts, dimension: dimension)
        let row = try scanningUnmapped { () throws -> Int in
            let s = try connection.prepare("SELECT id, norm, vector FROM vectors ORDER BY id")
            var row = 0
            while try s.step() {
                guard row < words.count, s.int(0) == row, let base = index.units.baseAddress,
                      encoding.decode(s.blob(2), into: base + row * dimension, dimension: dimension) else {
                    throw WordshiftError.notAStore(path: path, message: "vector row \(row) is missing or has the wrong size")
                }
                index.norms[row] = Float(s.double(1))
                row += 1
                if row & 0xFFF == 0 { progress.update(Double(row)) }
            }
            return row
        }
        guard row == words.count else {
            throw WordshiftError.notAStore(path: path, message: "\(words.count) words but \(row) vectors")
        }
        progress.end()
        index.finishLoading()
        return index
    }
}
