/// A named set of word vectors kept inside a store beside its main vectors, e.g. the vectors
/// `classify adapt` adapted to a target domain. A head trained over a set refers to it by name
/// and is always loaded over it (docs/store.md, "Named vector sets").
///
/// A set either holds all its rows, or *extends the store*: it holds the rows it changed and
/// is read as those rows followed by every store word it does not hold, in store order. An
/// adapted set extends the store, so it costs only the rows of the target vocabulary.
public struct VectorSet: Codable, Sendable, Equatable {
    /// The set's name (unique within the store).
    public var name: String
    /// Vector length (always the store's dimension).
    public var dimension: Int
    /// Rows stored in the set itself.
    public var storedRows: Int
    /// Whether the store words the set does not hold follow its own rows when it is loaded.
    public var extendsStore: Bool
    /// How the set was made (method, settings, corpus hash); compared when a set is reused.
    public var settings: [String: String]
    /// UTC, ISO 8601.
    public var createdAt: String

    /// A set description; `createdAt` defaults to now.
    public init(name: String, dimension: Int, storedRows: Int, extendsStore: Bool, settings: [String: String],
                createdAt: String? = nil) {
        self.name = name
        self.dimension = dimension
        self.storedRows = storedRows
        self.extendsStore = extendsStore
        self.settings = settings
        self.createdAt = createdAt ?? Timestamp.nowISO8601()
    }
}

/// Reading, writing and removing ``VectorSet``s of a store. Every write is one transaction of
/// `StoreUpdate`: a failure leaves the store unchanged.
public enum VectorSets {
    static let schema = """
        CREATE TABLE IF NOT EXISTS vector_sets (name TEXT PRIMARY KEY, dimension INTEGER NOT NULL,
            stored_rows INTEGER NOT NULL, extends_store INTEGER NOT NULL, settings TEXT NOT NULL, created_at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS vector_set_rows (vector_set TEXT NOT NULL, id INTEGER NOT NULL, word TEXT NOT NULL,
            count INTEGER, norm REAL NOT NULL, vector BLOB NOT NULL, PRIMARY KEY (vector_set, id)) WITHOUT ROWID;
        """

    /// Every set of the store, by name.
    public static func list(_ store: VectorStore) throws -> [VectorSet] {
        guard try store.database.tableExists("vector_sets") else { return [] }
        let s = try store.database.prepare(
            "SELECT name, dimension, stored_rows, extends_store, settings, created_at FROM vector_sets ORDER BY name")
        var out: [VectorSet] = []
        while try s.step() { out.append(try set(from: s, path: store.path)) }
        return out
    }

    /// The set called `name`, or nil.
    public static func find(_ name: String, in store: VectorStore) throws -> VectorSet? {
        try find(name, db: store.database, path: store.path)
    }

    static func find(_ name: String, db: SQLiteConnection, path: String) throws -> VectorSet? {
        guard try db.tableExists("vector_sets") else { return nil }
        let s = try db.prepare(
            "SELECT name, dimension, stored_rows, extends_store, settings, created_at FROM vector_sets WHERE name = ?")
        try s.bind(1, name)
        return try s.step() ? try set(from: s, path: path) : nil
    }

    private static func set(from s: SQLiteStatement, path: String) throws -> VectorSet {
        let name = s.string(0)
        guard let settings = try? JSONText.decode([String: String].self, s.string(4)) else {
            throw WordshiftError.notAStore(path: path, message: "vector set \(Quote.word(name)) has unreadable settings")
        }
        return VectorSet(name: name, dimension: s.int(1), storedRows: s.int(2), extendsStore: s.int(3) != 0,
                         settings: settings, createdAt: s.string(5))
    }

    /// Heads (`name` and version) that are trained over the set `name`.
    public static func users(of name: String, in store: VectorStore) throws -> [String] {
        try users(of: name, db: store.database)
    }

    static func users(of name: String, db: SQLiteConnection) throws -> [String] {
        guard try db.tableExists(HeadStore.provenanceTable) else { return [] }
        let s = try db.prepare("SELECT head, version FROM \(HeadStore.provenanceTable) WHERE vector_set = ? ORDER BY head, version")
        try s.bind(1, name)
        var out: [String] = []
        while try s.step() { out.append("\(s.string(0)) v\(s.int(1))") }
        return out
    }

    /// Rows of the set `name` as loaded (its own rows plus, when it extends the store, the store
    /// words it does not hold), counted without reading vectors.
    static func rowCount(_ name: String, db: SQLiteConnection, path: String) throws -> Int {
        guard let info = try find(name, db: db, path: path) else {
            throw WordshiftError.invalidArgument("\(path): no vector set named \(Quote.word(name))")
        }
        guard info.extendsStore else { return info.storedRows }
        let s = try db.prepare("""
            SELECT COUNT(*) FROM words WHERE word NOT IN (SELECT word FROM vector_set_rows WHERE vector_set = ?)
            """)
        try s.bind(1, name)
        return info.storedRows + (try s.step() ? s.int(0) : 0)
    }

    /// Reads the set `name` as an index: its rows, then (for a set that extends the store) the
    /// store words it does not hold. Reports a "loading" stage counted in vectors.
    public static func load(_ name: String, from store: VectorStore, progress handler: ProgressHandler? = nil) throws -> EmbeddingIndex {
        guard let info = try find(name, in: store) else {
            let names = try list(store).map(\.name)
            throw WordshiftError.invalidArgument("\(store.path): no vector set named \(Quote.word(name)) (sets: \(names.isEmpty ? "none" : names.joined(separator: ", ")))")
        }
        let d = store.dimension, path = store.path
        // Claims of the table, checked before anything is sized from them: every value takes at
        // least one byte of the file.
        guard info.dimension == d, info.storedRows >= 0,
              let values = DeclaredSize.product(info.storedRows, d), values <= (System.fileSize(path) ?? 0) else {
            throw WordshiftError.notAStore(path: path, message: "vector set \(Quote.word(name)) declares \(info.storedRows) rows of dimension \(info.dimension) (store dimension \(d))")
        }
        let progress = ProgressReporter(handler)
        let db = store.database
        // The set's words first, to know which store rows follow them.
        var words: [String] = [], counts: [Int?] = []
        words.reserveCapacity(info.storedRows)
        let w = try db.prepare("SELECT id, word, count FROM vector_set_rows WHERE vector_set = ? ORDER BY id")
        try w.bind(1, name)
        while try w.step() {
            guard w.int(0) == words.count else {
                throw WordshiftError.notAStore(path: path, message: "vector set \(Quote.word(name)): row ids are not contiguous at \(words.count)")
            }
            words.append(w.string(1))
            counts.append(w.isNull(2) ? nil : w.int(2))
        }
        guard words.count == info.storedRows else {
            throw WordshiftError.notAStore(path: path, message: "vector set \(Quote.word(name)) declares \(info.storedRows) rows but holds \(words.count)")
        }
        var storeRows: [Int] = []
        if info.extendsStore {
            let own = Set(words)
            let (storeWords, storeCounts) = try store.loadWords()
            for (id, word) in storeWords.enumerated() where !own.contains(word) {
                storeRows.append(id)
                words.append(word)
                counts.append(storeCounts[id])
            }
        }
        progress.begin("loading", total: Double(words.count), unit: " vectors")
        let index = EmbeddingIndex(words: words, counts: counts, dimension: d)
        var row = 0
        func put(_ blob: UnsafeRawBufferPointer, norm: Double, what: String, fromStore: Bool = false) throws {
            guard row < words.count, let dst = index.units.baseAddress,
                  fromStore ? store.decodeRow(blob, into: dst + row * d) : VectorEncoding.float32.decode(blob, into: dst + row * d, dimension: d) else {
                throw WordshiftError.notAStore(path: path, message: "vector set \(Quote.word(name)): \(what) is missing or has the wrong size")
            }
            index.norms[row] = Float(norm)
            row += 1
            if row & 0xFFF == 0 { progress.update(Double(row)) }
        }
        let v = try db.prepare("SELECT id, norm, vector FROM vector_set_rows WHERE vector_set = ? ORDER BY id")
        try v.bind(1, name)
        while try v.step() { try put(v.blob(2), norm: v.double(1), what: "row \(v.int(0))") }
        if !storeRows.isEmpty {
            // Store rows in id order; the ones the set replaces are skipped.
            var next = 0
            try store.layout.scan(db, path: path, count: store.count, rowBytes: store.rowBytes) { id, norm, blob in
                guard next < storeRows.count, id == storeRows[next] else { return }
                try put(blob, norm: norm, what: "store row \(id)", fromStore: true)
                next += 1
            }
        }
        guard row == words.count else {
            throw WordshiftError.notAStore(path: path, message: "vector set \(Quote.word(name)): \(words.count) words but \(row) vectors")
        }
        progress.end()
        index.finishLoading()
        return index
    }

    /// The index a set extending `base` reads as: `words` with their raw row-major `vectors`,
    /// then every row of `base` whose word is not among them, in base order.
    public static func extending(base: EmbeddingIndex, words: [String], counts: [Int?], vectors: [Float]) -> EmbeddingIndex {
        let d = base.dimension
        let own = Set(words)
        let kept = (0..<base.count).filter { !own.contains(base.words[$0]) }
        let all = words + kept.map { base.words[$0] }
        let allCounts = (counts.count == words.count ? counts : [Int?](repeating: nil, count: words.count)) + kept.map { base.counts[$0] }
        let index = EmbeddingIndex(words: all, counts: allCounts, dimension: d)
        vectors.withUnsafeBufferPointer { src in
            for r in 0..<min(words.count, src.count / max(1, d)) {
                let row = UnsafeBufferPointer(rebasing: src[r * d..<(r + 1) * d])
                let n = VectorMath.norm(row)
                index.norms[r] = n
                let inv: Float = n > 0 ? 1 / n : 0
                let dst = index.unit(r)
                for j in 0..<d { dst[j] = row[j] * inv }
            }
        }
        for (k, r) in kept.enumerated() {
            let row = words.count + k
            index.unit(row).update(from: base.unit(r), count: d)
            index.norms[row] = base.norms[r]
        }
        index.finishLoading()
        return index
    }

    /// `extending` with `Int` counts.
    static func extending(base: EmbeddingIndex, words: [String], counts: [Int], vectors: [Float]) -> EmbeddingIndex {
        extending(base: base, words: words, counts: counts.map { Optional($0) }, vectors: vectors)
    }

    /// Saves the first `storedRows` rows of `index` (all rows when nil) as the set `info.name` in
    /// the store at `path`. With `replace`, an existing set of that name is replaced unless a
    /// head uses it; otherwise an existing name is refused.
    public static func save(_ index: EmbeddingIndex, storedRows: Int? = nil, as info: VectorSet, to path: String,
                            replace: Bool = false) throws {
        try StoreUpdate.run(path) { db in try write(index, storedRows: storedRows, as: info, db: db, path: path, replace: replace) }
    }

    /// `save` inside a transaction the caller holds (a head and its set are saved together).
    static func write(_ index: EmbeddingIndex, storedRows: Int?, as info: VectorSet, db: SQLiteConnection, path: String,
                      replace: Bool) throws {
        guard !info.name.isEmpty else { throw WordshiftError.invalidArgument("a vector set needs a non-empty name") }
        let n = storedRows ?? index.count
        guard n >= 0, n <= index.count, info.storedRows == n, info.dimension == index.dimension else {
            throw WordshiftError.invalidArgument("vector set \(Quote.word(info.name)): \(n) of \(index.count) rows of dimension \(index.dimension) do not match its description (\(info.storedRows) rows, dimension \(info.dimension))")
        }
        let storeDimension = try db.prepare("SELECT value FROM meta WHERE key = 'dimension'")
        guard try storeDimension.step(), Int(storeDimension.string(0)) == index.dimension else {
            throw WordshiftError.invalidArgument("\(path): vector set \(Quote.word(info.name)) has dimension \(index.dimension), the store another")
        }
        try db.execute(schema)
        try StoreSchema.requireVersion(StoreSchema.vectorSetsVersion, in: db)
        if try find(info.name, db: db, path: path) != nil {
            guard replace else {
                throw WordshiftError.invalidArgument("\(path): a vector set named \(Quote.word(info.name)) exists; choose another name, or replace it")
            }
            try removeRows(info.name, db: db, path: path)
        }
        let ins = try db.prepare("INSERT INTO vector_sets(name, dimension, stored_rows, extends_store, settings, created_at) VALUES (?,?,?,?,?,?)")
        try ins.bind(1, info.name); try ins.bind(2, info.dimension); try ins.bind(3, n)
        try ins.bind(4, info.extendsStore ? 1 : 0); try ins.bind(5, try JSONText.encode(info.settings)); try ins.bind(6, info.createdAt)
        try ins.step()
        let put = try db.prepare("INSERT INTO vector_set_rows(vector_set, id, word, count, norm, vector) VALUES (?,?,?,?,?,?)")
        let d = index.dimension
        for r in 0..<n {
            try put.bind(1, info.name); try put.bind(2, r); try put.bind(3, index.words[r])
            if let c = index.counts[r] { try put.bind(4, c) } else { try put.bindNull(4) }
            try put.bind(5, Double(index.norms[r]))
            try put.bind(6, blob: UnsafeRawBufferPointer(start: index.unit(r), count: d * 4))
            try put.step()
            put.reset()
        }
    }

    /// Removes the set `name`; refused while a head uses it.
    public static func remove(_ name: String, from path: String) throws {
        try StoreUpdate.run(path) { db in
            guard try find(name, db: db, path: path) != nil else {
                throw WordshiftError.invalidArgument("\(path): no vector set named \(Quote.word(name))")
            }
            try removeRows(name, db: db, path: path)
        }
    }

    private static func removeRows(_ name: String, db: SQLiteConnection, path: String) throws {
        let heads = try users(of: name, db: db)
        guard heads.isEmpty else {
            throw WordshiftError.invalidArgument("\(path): vector set \(Quote.word(name)) is used by \(heads.joined(separator: ", ")); "
                + "those heads need it to predict, so it stays (use another vector set name)")
        }
        for sql in ["DELETE FROM vector_set_rows WHERE vector_set = ?", "DELETE FROM vector_sets WHERE name = ?"] {
            let s = try db.prepare(sql)
            try s.bind(1, name)
            try s.step()
        }
    }
}
