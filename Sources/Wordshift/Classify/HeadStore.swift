/// Classification heads kept inside a store, versioned by name:
///
///     heads(name, version, labels JSON, config JSON, metrics JSON, created_at)
///     head_params(head, version, name, dtype 'f32'|'i32', rows, cols, data BLOB little-endian)
///     head_provenance(head, version, vector_set, provenance JSON)   -- adapted heads
///
/// Every write is one transaction of `StoreUpdate`: a failure leaves the store unchanged.
public enum HeadStore {
    /// One head as ``HeadStore/list(_:)`` reports it: the latest version of a name.
    public struct Entry: Codable, Sendable {
        /// The head's name.
        public var name: String
        /// Its latest version (1 for the first save under that name).
        public var version: Int
        /// Label names, in output order.
        public var labels: [String]
        /// The configuration it was trained with.
        public var config: ClassifierConfig
        /// Validation metrics saved with it (nil when none were saved or they cannot be read).
        public var metrics: ClassificationMetrics?
        /// When that version was saved: UTC, ISO 8601.
        public var createdAt: String
        /// How many versions of this name the store holds.
        public var versions: Int
        /// The named vector set the head predicts over (nil: the store's own vectors).
        public var vectorSet: String?
        /// How the head was made, when recorded (`classify adapt`).
        public var provenance: AdaptationProvenance?
    }

    static let schema = """
        CREATE TABLE IF NOT EXISTS heads (name TEXT NOT NULL, version INTEGER NOT NULL, labels TEXT NOT NULL,
            config TEXT NOT NULL, metrics TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (name, version));
        CREATE TABLE IF NOT EXISTS head_params (head TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL,
            dtype TEXT NOT NULL, rows INTEGER NOT NULL, cols INTEGER NOT NULL, data BLOB NOT NULL,
            PRIMARY KEY (head, version, name));
        """

    /// Heads that record how they were made, or that predict over a named vector set:
    ///
    ///     head_provenance(head, version, vector_set NULL|name, provenance JSON)
    static let provenanceTable = "head_provenance"
    static let provenanceSchema = """
        CREATE TABLE IF NOT EXISTS head_provenance (head TEXT NOT NULL, version INTEGER NOT NULL, vector_set TEXT,
            provenance TEXT NOT NULL, PRIMARY KEY (head, version));
        """

    /// A vector set to write together with a head (in the same transaction).
    public struct NewVectorSet: @unchecked Sendable {
        /// The set's rows (the first `info.storedRows` are stored).
        public var index: EmbeddingIndex
        /// Name, settings and layout of the set.
        public var info: VectorSet
        /// Replace a set of the same name that no head uses (otherwise an existing name is refused).
        public var replace: Bool
        /// A set to write; `index` is what the head was trained over.
        public init(index: EmbeddingIndex, info: VectorSet, replace: Bool = false) {
            self.index = index
            self.info = info
            self.replace = replace
        }
    }

    /// Saves `head` as the next version of `name`; returns that version.
    ///
    /// A head trained over the store's own vectors needs neither `vectorSet` nor `newVectorSet`.
    /// A head trained over a named vector set names it in `vectorSet` (a set already in the
    /// store) or passes it in `newVectorSet` (written in the same transaction, so a head never
    /// refers to a set that is not there). `provenance` (how the head was made) is kept beside it.
    @discardableResult
    public static func save(_ head: ClassifierHead, name: String, metrics: ClassificationMetrics?, to path: String,
                            vectorSet: String? = nil, newVectorSet: NewVectorSet? = nil,
                            provenance: AdaptationProvenance? = nil) throws -> Int {
        guard !name.isEmpty else { throw WordshiftError.invalidArgument("a head needs a non-empty --name") }
        let store = try VectorStore(path: path)
        let setName = newVectorSet?.info.name ?? vectorSet
        if let newVectorSet, let vectorSet, vectorSet != newVectorSet.info.name {
            throw WordshiftError.invalidArgument("head \(Quote.word(name)): vector set \(Quote.word(vectorSet)) and new set \(Quote.word(newVectorSet.info.name)) differ")
        }
        if setName == nil {
            guard store.dimension == head.model.dimension, store.count == head.model.config.features.storeCount else {
                throw WordshiftError.invalidArgument("head has dimension \(head.model.dimension) over \(head.model.config.features.storeCount) words; store \(path) has \(store.dimension) over \(store.count)")
            }
        }
        if let newVectorSet, newVectorSet.index.count != head.model.config.features.storeCount {
            throw WordshiftError.invalidArgument("head \(Quote.word(name)) was trained over \(head.model.config.features.storeCount) words; vector set \(Quote.word(newVectorSet.info.name)) has \(newVectorSet.index.count)")
        }
        return try StoreUpdate.run(path) { db in
            if let newVectorSet {
                try VectorSets.write(newVectorSet.index, storedRows: newVectorSet.info.storedRows, as: newVectorSet.info, db: db,
                                     path: path, replace: newVectorSet.replace)
            }
            if let setName {
                let rows = try VectorSets.rowCount(setName, db: db, path: path)
                guard store.dimension == head.model.dimension, rows == head.model.config.features.storeCount else {
                    throw WordshiftError.invalidArgument("head has dimension \(head.model.dimension) over \(head.model.config.features.storeCount) words; vector set \(Quote.word(setName)) of \(path) has \(store.dimension) over \(rows)")
                }
            }
            try db.execute(schema)
            let q = try db.prepare("SELECT COALESCE(MAX(version), 0) FROM heads WHERE name = ?")
            try q.bind(1, name)
            let version = (try q.step() ? q.int(0) : 0) + 1
            let ins = try db.prepare("INSERT INTO heads(name, version, labels, config, metrics, created_at) VALUES (?,?,?,?,?,?)")
            try ins.bind(1, name); try ins.bind(2, version)
            try ins.bind(3, try JSONText.encode(head.labels))
            try ins.bind(4, try JSONText.encode(head.model.config))
            try ins.bind(5, metrics.map { try JSONText.encode($0) } ?? "null")
            try ins.bind(6, Timestamp.nowISO8601())
            try ins.step()
            let put = try db.prepare("INSERT INTO head_params(head, version, name, dtype, rows, cols, data) VALUES (?,?,?,?,?,?,?)")
            for p in head.parameters() {
                try put.bind(1, name); try put.bind(2, version); try put.bind(3, p.name)
                try put.bind(4, p.ints == nil ? "f32" : "i32"); try put.bind(5, p.rows); try put.bind(6, p.cols)
                if let ints = p.ints {
                    try ints.withUnsafeBytes { try put.bind(7, blob: $0); try put.step() }
                } else {
                    try p.floats.withUnsafeBytes { try put.bind(7, blob: $0); try put.step() }
                }
                put.reset()
            }
            if setName != nil || provenance != nil {
                try db.execute(provenanceSchema)
                let pr = try db.prepare("INSERT INTO head_provenance(head, version, vector_set, provenance) VALUES (?,?,?,?)")
                try pr.bind(1, name); try pr.bind(2, version)
                if let setName { try pr.bind(3, setName) } else { try pr.bindNull(3) }
                try pr.bind(4, try provenance.map { try JSONText.encode($0) } ?? "null")
                try pr.step()
            }
            return version
        }
    }

    /// Every head (latest version of each name).
    public static func list(_ store: VectorStore) throws -> [Entry] {
        guard try store.database.tableExists("heads") else { return [] }
        let s = try store.database.prepare("""
            SELECT h.name, h.version, h.labels, h.config, h.metrics, h.created_at, c.n FROM heads h
            JOIN (SELECT name, MAX(version) AS v, COUNT(*) AS n FROM heads GROUP BY name) c ON c.name = h.name AND c.v = h.version
            ORDER BY h.name
            """)
        var out: [Entry] = []
        while try s.step() { out.append(try entry(s, path: store.path)) }
        for i in out.indices { try addProvenance(&out[i], db: store.database, path: store.path) }
        return out
    }

    /// Every version of head `name`, oldest first (empty if there is no such head).
    public static func versions(of name: String, in store: VectorStore) throws -> [Entry] {
        guard try store.database.tableExists("heads") else { return [] }
        let s = try store.database.prepare("""
            SELECT name, version, labels, config, metrics, created_at, (SELECT COUNT(*) FROM heads WHERE name = ?1)
            FROM heads WHERE name = ?1 ORDER BY version
            """)
        try s.bind(1, name)
        var out: [Entry] = []
        while try s.step() { out.append(try entry(s, path: store.path)) }
        for i in out.indices { try addProvenance(&out[i], db: store.database, path: store.path) }
        return out
    }

    static func addProvenance(_ e: inout Entry, db: SQLiteConnection, path: String) throws {
        guard try db.tableExists(provenanceTable) else { return }
        let s = try db.prepare("SELECT vector_set, provenance FROM head_provenance WHERE head = ? AND version = ?")
        try s.bind(1, e.name); try s.bind(2, e.version)
        guard try s.step() else { return }
        e.vectorSet = s.isNull(0) ? nil : s.string(0)
        let text = s.string(1)
        if text != "null" {
            do { e.provenance = try JSONText.decode(AdaptationProvenance.self, text) } catch {
                throw WordshiftError.notAStore(path: path, message: "head \(Quote.word(e.name)) v\(e.version) has unreadable provenance: \(error)")
            }
        }
    }

    static func entry(_ s: SQLiteStatement, path: String) throws -> Entry {
        let name = s.string(0)
        do {
            return Entry(name: name, version: s.int(1), labels: try JSONText.decode([String].self, s.string(2)),
                         config: try JSONText.decode(ClassifierConfig.self, s.string(3)),
                         metrics: try? JSONText.decode(ClassificationMetrics.self, s.string(4)),
                         createdAt: s.string(5), versions: s.int(6))
        } catch {
            throw WordshiftError.notAStore(path: path, message: "head \(Quote.word(name)) has unreadable labels or config: \(error)")
        }
    }

    /// Loads head `name` (latest version, or `version`) with the vectors it predicts over: the
    /// store's own vectors, or the named vector set it was trained over. Reports the vectors'
    /// "loading" stage to `progress`.
    public static func load(name: String, version: Int? = nil, store: VectorStore,
                            progress: ProgressHandler? = nil) throws -> ClassifierHead {
        let e = try find(name: name, version: version, store: store)
        let index = try e.vectorSet.map { try VectorSets.load($0, from: store, progress: progress) }
            ?? store.loadIndex(progress: progress)
        return try load(entry: e, store: store, index: index)
    }

    /// Loads head `name` (latest version, or `version`). `index` is the store's own vectors
    /// (`store.loadIndex()`); a head trained over a named vector set is loaded over that set,
    /// read from the store, instead.
    public static func load(name: String, version: Int? = nil, store: VectorStore, index: EmbeddingIndex) throws -> ClassifierHead {
        let e = try find(name: name, version: version, store: store)
        if let set = e.vectorSet { return try load(entry: e, store: store, index: try VectorSets.load(set, from: store)) }
        return try load(entry: e, store: store, index: index)
    }

    /// The entry of head `name` (latest version, or `version`), with its provenance.
    public static func find(name: String, version: Int? = nil, store: VectorStore) throws -> Entry {
        let db = store.database
        guard try db.tableExists("heads") else { throw WordshiftError.invalidArgument("\(store.path): no head named \(Quote.word(name)) (the store has no heads)") }
        let s = try db.prepare("""
            SELECT name, version, labels, config, metrics, created_at, (SELECT COUNT(*) FROM heads WHERE name = ?1)
            FROM heads WHERE name = ?1 AND version = COALESCE(?2, (SELECT MAX(version) FROM heads WHERE name = ?1))
            """)
        try s.bind(1, name)
        if let version { try s.bind(2, version) } else { try s.bindNull(2) }
        guard try s.step() else {
            let names = try list(store).map(\.name)
            throw WordshiftError.invalidArgument("\(store.path): no head named \(Quote.word(name))\(version.map { " version \($0)" } ?? "") (heads: \(names.isEmpty ? "none" : names.joined(separator: ", ")))")
        }
        var e = try entry(s, path: store.path)
        try addProvenance(&e, db: db, path: store.path)
        if let set = e.vectorSet, try VectorSets.find(set, in: store) == nil {
            throw WordshiftError.notAStore(path: store.path, message: "head \(Quote.word(name)) v\(e.version) predicts over vector set \(Quote.word(set)), which the store does not hold (removed by another tool?); train the head again")
        }
        return e
    }

    private static func load(entry e: Entry, store: VectorStore, index: EmbeddingIndex) throws -> ClassifierHead {
        let db = store.database
        let name = e.name
        let over = e.vectorSet.map { "vector set \(Quote.word($0))" } ?? "the store"
        guard e.config.dimension == store.dimension, e.config.features.storeCount == index.count,
              index.dimension == store.dimension else {
            throw WordshiftError.invalidArgument("\(store.path): head \(Quote.word(name)) was trained for dimension \(e.config.dimension) over \(e.config.features.storeCount) words, but \(over) has dimension \(index.dimension) over \(index.count)")
        }
        var params: [String: HeadParameter] = [:]
        let p = try db.prepare("SELECT name, dtype, rows, cols, data FROM head_params WHERE head = ? AND version = ?")
        try p.bind(1, name); try p.bind(2, e.version)
        while try p.step() {
            let rows = p.int(2), cols = p.int(3), blob = p.blob(4)
            guard rows >= 0, cols >= 0, let values = DeclaredSize.product(rows, cols, 4), blob.count == values else {
                throw WordshiftError.notAStore(path: store.path, message: "head \(Quote.word(name)) parameter \(p.string(0)) has \(blob.count) bytes for \(rows) × \(cols) values")
            }
            if p.string(1) == "i32" {
                params[p.string(0)] = HeadParameter(name: p.string(0), rows: rows, cols: cols, ints: Array(blob.bindMemory(to: Int32.self)))
            } else {
                params[p.string(0)] = HeadParameter(name: p.string(0), rows: rows, cols: cols, floats: Array(blob.bindMemory(to: Float.self)))
            }
        }
        return try ClassifierHead(labels: e.labels, config: e.config, vectors: index, parameters: params, path: store.path)
    }
}

/// One named parameter array of a head.
public struct HeadParameter: Sendable {
    /// The parameter's name within the head (e.g. the input or output matrix).
    public var name: String
    /// Rows of the matrix.
    public var rows: Int
    /// Columns of the matrix.
    public var cols: Int
    /// The values, row-major, for a float32 parameter (empty for an integer one).
    public var floats: [Float] = []
    /// The values, row-major, for an int32 parameter (nil for a float one).
    public var ints: [Int32]? = nil

    init(name: String, rows: Int, cols: Int, floats: [Float]) { self.name = name; self.rows = rows; self.cols = cols; self.floats = floats }
    init(name: String, rows: Int, cols: Int, ints: [Int32]) { self.name = name; self.rows = rows; self.cols = cols; self.ints = ints }
}
