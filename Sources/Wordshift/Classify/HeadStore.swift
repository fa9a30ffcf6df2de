/// Classification heads kept inside a store, versioned by name:
///
///     heads(name, version, labels JSON, config JSON, metrics JSON, created_at)
///     head_params(head, version, name, dtype 'f32'|'i32', rows, cols, data BLOB little-endian)
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
    }

    static let schema = """
        CREATE TABLE IF NOT EXISTS heads (name TEXT NOT NULL, version INTEGER NOT NULL, labels TEXT NOT NULL,
            config TEXT NOT NULL, metrics TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (name, version));
        CREATE TABLE IF NOT EXISTS head_params (head TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL,
            dtype TEXT NOT NULL, rows INTEGER NOT NULL, cols INTEGER NOT NULL, data BLOB NOT NULL,
            PRIMARY KEY (head, version, name));
        """

    /// Saves `head` as the next version of `name`; returns that version.
    @discardableResult
    public static func save(_ head: ClassifierHead, name: String, metrics: ClassificationMetrics?, to path: String) throws -> Int {
        guard !name.isEmpty else { throw WordshiftError.invalidArgument("a head needs a non-empty --name") }
        let store = try VectorStore(path: path)
        guard store.dimension == head.model.dimension, store.count == head.model.config.features.storeCount else {
            throw WordshiftError.invalidArgument("head has dimension \(head.model.dimension) over \(head.model.config.features.storeCount) words; store \(path) has \(store.dimension) over \(store.count)")
        }
        return try StoreUpdate.run(path) { db in
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
        return out
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

    /// Loads head `name` (latest version, or `version`) over `index`, the store's vectors.
    public static func load(name: String, version: Int? = nil, store: VectorStore, index: EmbeddingIndex) throws -> ClassifierHead {
        let db = store.database
        guard try db.tableExists("heads") else { throw WordshiftError.invalidArgument("\(store.path): no head named \(Quote.word(name)) (the store has no heads)") }
        let s = try db.prepare("""
            SELECT name, version, labels, config, metrics, created_at, 1 FROM heads WHERE name = ?
            AND version = COALESCE(?, (SELECT MAX(version) FROM heads WHERE name = ?))
            """)
        try s.bind(1, name)
        if let version { try s.bind(2, version) } else { try s.bindNull(2) }
        try s.bind(3, name)
        guard try s.step() else {
            let names = try list(store).map(\.name)
            throw WordshiftError.invalidArgument("\(store.path): no head named \(Quote.word(name))\(version.map { " version \($0)" } ?? "") (heads: \(names.isEmpty ? "none" : names.joined(separator: ", ")))")
        }
        let e = try entry(s, path: store.path)
        guard e.config.dimension == store.dimension, e.config.features.storeCount == store.count,
              index.count == store.count, index.dimension == store.dimension else {
            throw WordshiftError.invalidArgument("\(store.path): head \(Quote.word(name)) was trained for dimension \(e.config.dimension) over \(e.config.features.storeCount) words, but the store has dimension \(store.dimension) over \(store.count)")
        }
        var params: [String: HeadParameter] = [:]
        let p = try db.prepare("SELECT name, dtype, rows, cols, data FROM head_params WHERE head = ? AND version = ?")
        try p.bind(1, name); try p.bind(2, e.version)
        while try p.step() {
            let rows = p.int(2), cols = p.int(3), blob = p.blob(4)
            guard rows >= 0, cols >= 0, blob.count == rows * cols * 4 else {
                throw WordshiftError.notAStore(path: store.path, message: "head \(Quote.word(name)) parameter \(p.string(0)) has \(blob.count) bytes, expected \(rows * cols * 4)")
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
