#if canImport(Glibc)
import Glibc
#endif

/// Builds a new store. Rows stream in through `add`; nothing appears at `path` until
/// `finish()` renames the completed temporary file into place. If the writer is dropped
/// without `finish()`, or anything throws, the temporary file is removed.
public final class StoreWriter {
    /// The destination path; nothing exists there until ``finish()`` renames the finished file into place.
    public let path: String
    /// Length of every vector added.
    public let dimension: Int
    /// Rows added so far.
    public private(set) var count = 0
    private let temporaryPath: String
    private var connection: SQLiteConnection?
    private let insertWord: SQLiteStatement
    /// Inserts ``wordsPerInsert`` words at a time (prepared at the first batch).
    private var insertWords: SQLiteStatement?
    static let wordsPerInsert = 64
    private let chunks: VectorChunkWriter
    private var meta: [(String, String)] = []

    /// Starts a new store bound for `path`, written to a temporary file next to it.
    ///
    /// - Parameters:
    ///   - path: Where ``finish()`` puts the store. An existing file there is replaced only then.
    ///   - dimension: Length of every vector; must be positive.
    /// - Throws: ``WordshiftError/invalidArgument(_:)`` for a dimension below 1, or a SQLite error
    ///   when the temporary file cannot be created (its directory is missing or not writable).
    public init(path: String, dimension: Int) throws {
        guard dimension > 0 else { throw WordshiftError.invalidArgument("dimension must be positive") }
        self.path = path
        self.dimension = dimension
        temporaryPath = System.temporarySibling(of: path)
        TemporaryFiles.register(temporaryPath)
        do {
            let db = try SQLiteConnection(path: temporaryPath, readOnly: false)
            // The file is private until renamed, so no journal is needed for atomicity.
            try db.execute("""
                PRAGMA page_size=\(StoreSchema.pageSize); PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
                PRAGMA locking_mode=EXCLUSIVE; PRAGMA cache_size=-16384;
                PRAGMA application_id=\(StoreSchema.applicationID); PRAGMA user_version=\(StoreSchema.baseFormatVersion);
                """)
            try db.execute(StoreSchema.createTables)
            try db.execute("BEGIN")
            insertWord = try db.prepare("INSERT INTO words(id, word, count) VALUES (?, ?, ?)")
            chunks = try VectorChunkWriter(db, rowBytes: 4 * dimension)
            connection = db
        } catch {
            TemporaryFiles.remove(temporaryPath)
            throw error
        }
        setMeta(MetaKey.format, "wordshift-store")
        setMeta(MetaKey.formatVersion, String(StoreSchema.baseFormatVersion))
        setMeta(MetaKey.dimension, String(dimension))
        setMeta(MetaKey.vectorChunkRows, String(chunks.rowsPerChunk))
        setMeta(MetaKey.toolVersion, WordshiftVersion.string)
        setMeta(MetaKey.createdAt, Timestamp.nowISO8601())
    }

    deinit { if connection != nil { abandon() } }

    /// Sets (or replaces) one meta entry.
    public func setMeta(_ key: String, _ value: String) {
        meta.removeAll { $0.0 == key }
        meta.append((key, value))
    }

    /// Appends one word and its vector (stored as a unit vector plus its norm). Words must be
    /// unique; the caller de-duplicates.
    ///
    /// The norm is computed in double precision (a float32 sum of squares overflows beyond
    /// components of about 1.8e19 and underflows to 0 below about 1e-23, which stored tiny
    /// vectors as zeros), kept as a double, and the unit vector is rounded once to float32; so
    /// `export`, which multiplies in double, gives back every component within one ulp.
    public func add(word: String, count wordCount: Int?, vector: UnsafeBufferPointer<Float>) throws {
        precondition(vector.count == dimension, "vector length must equal the store dimension")
        let norm = try Self.checkedNorm(vector, word: word)
        let inv = norm > 0 ? 1 / norm : 0
        let d = dimension
        try addRow(word: word, count: wordCount, norm: norm) { out in
            for i in 0..<d { out.storeBytes(of: Float(Double(vector[i]) * inv), toByteOffset: 4 * i, as: Float.self) }
        }
    }

    /// Appends words with the unit vectors (row-major) and norms ``normalize(_:word:)`` made of
    /// their vectors: whole chunks of them go to SQLite without a copy.
    func add(words: [String], units: UnsafeBufferPointer<Float>, norms: UnsafeBufferPointer<Double>) throws {
        precondition(units.count == words.count * dimension && norms.count == words.count, "one unit vector and norm per word")
        var i = 0
        // After the first row (so the row-one test pause stays where it was), many rows per
        // statement: SQLite's per-statement work is paid once per group.
        if count > 0 {
            let group = Self.wordsPerInsert
            if insertWords == nil, let db = connection {
                insertWords = try db.prepare("INSERT INTO words(id, word) VALUES " + Array(repeating: "(?, ?)", count: group).joined(separator: ", "))
            }
            if let many = insertWords {
                while words.count - i >= group {
                    for j in 0..<group {
                        try many.bind(Int32(2 * j + 1), count + j)
                        try many.bind(Int32(2 * j + 2), words[i + j])
                    }
                    try many.step()
                    many.reset()
                    i += group
                    count += group
                }
            }
        }
        while i < words.count {
            try insertWordRow(words[i], count: nil)
            i += 1
        }
        try chunks.append(rows: words.count, norms: norms, vectors: UnsafeRawBufferPointer(units))
    }

    private func addRow(word: String, count wordCount: Int?, norm: Double, _ fill: (UnsafeMutableRawPointer) -> Void) throws {
        try chunks.append(norm: norm, fill)
        try insertWordRow(word, count: wordCount)
    }

    /// Inserts the next `words` row (id = rows so far) and counts it.
    private func insertWordRow(_ word: String, count wordCount: Int?) throws {
        try insertWord.bind(1, count)
        try insertWord.bind(2, word)
        if let wordCount { try insertWord.bind(3, wordCount) } else { try insertWord.bindNull(3) }
        try insertWord.step()
        insertWord.reset()
        count += 1
        if count == 1 { TestHooks.pause(.storeRows) }
    }

    /// Replaces `vector` by its unit vector (rounded once from double) and returns its norm, as
    /// ``add(word:count:vector:)`` stores them; throws for a vector that is not finite.
    static func normalize(_ vector: UnsafeMutableBufferPointer<Float>, word: String) throws -> Double {
        let norm = try checkedNorm(UnsafeBufferPointer(vector), word: word)
        let inv = norm > 0 ? 1 / norm : 0
        for i in vector.indices { vector[i] = Float(Double(vector[i]) * inv) }
        return norm
    }

    private static func checkedNorm(_ vector: UnsafeBufferPointer<Float>, word: String) throws -> Double {
        let norm = Self.norm(vector)
        guard norm.isFinite, Float(norm).isFinite else {
            throw WordshiftError.invalidArgument("the vector of \(Quote.word(word)) is not finite (NaN, infinite, or too large for float32); "
                + "a store holds finite numbers only")
        }
        return norm
    }

    /// The length of `vector` in double precision. Four running sums (a fixed order, so the
    /// same vector always gives the same norm) let the loop use SIMD.
    static func norm(_ vector: UnsafeBufferPointer<Float>) -> Double {
        var sums = SIMD4<Double>(repeating: 0)
        let whole = vector.count & ~3
        var i = 0
        while i < whole {
            let v = SIMD4<Double>(Double(vector[i]), Double(vector[i + 1]), Double(vector[i + 2]), Double(vector[i + 3]))
            sums += v * v
            i += 4
        }
        var squares = (sums[0] + sums[1]) + (sums[2] + sums[3])
        while i < vector.count {
            let v = Double(vector[i])
            squares += v * v
            i += 1
        }
        return squares.squareRoot()
    }

    /// Runs `body` with the connection of the store under construction (inside its
    /// transaction), for stages that add their own tables.
    package func withConnection(_ body: (SQLiteConnection) throws -> Void) throws {
        guard let connection else { throw WordshiftError.invalidArgument("the store writer is closed") }
        try body(connection)
    }

    /// Writes the meta table and indexes, commits, and renames the file into place.
    public func finish() throws { try finish(afterIndexing: nil) }

    /// ``finish()``, running `afterIndexing` once the word index is built and before the meta
    /// rows are written, so that work still running elsewhere (the import's source hash) can end
    /// while SQLite sorts, and its result still go into the meta table (`setMeta`).
    package func finish(afterIndexing: (() throws -> Void)?) throws {
        guard let db = connection else { return }
        do {
            if count == 0 { throw WordshiftError.emptyInput(path: path, message: "no vectors to store") }
            setMeta(MetaKey.count, String(count))
            try chunks.flush()
            try db.execute(StoreSchema.createIndexes)
            try afterIndexing?()
            let put = try db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)")
            for (k, v) in meta {
                try put.bind(1, k); try put.bind(2, v); try put.step(); put.reset()
            }
            try db.execute("COMMIT")
            connection = nil  // closes the file
            try TemporaryFiles.moveIntoPlace(temporaryPath, to: path)
        } catch {
            abandon()
            throw error
        }
    }

    /// Drops everything written so far.
    public func abandon() {
        connection = nil
        TemporaryFiles.remove(temporaryPath)
    }
}
